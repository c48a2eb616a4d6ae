/* curabib site: filter the works of a list page and copy their entries. Plain ES2019, no library, no
   request. The filters live in the URL query (?q=&type=&from=&to=&venue=) so a filtered view can be
   shared and is restored on load; each work is read once on load, and filtering only toggles `hidden`.
   The page says each thing once (a 5,000-work page stays under 2 MB): a work's key is its id after the
   first '-' (`w-key`, `w2-key` where the page lists it again), its type the badge's second class, its
   venue the venue shown or the badge's "published at <venue>". */
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) { return; }
  var names = ['q', 'type', 'from', 'to', 'venue'];
  var fields = {};
  names.forEach(function (name) { fields[name] = document.getElementById(name); });
  var count = document.getElementById('count');
  var status = document.getElementById('status');
  // Each work's data, read once: a keystroke then costs string tests, not DOM reads. The search text is
  // what the reader sees of the work (reference, badge, venue, year, the list's name for it, note) and its
  // key.
  var PUBLISHED_AT = 'published at ';
  var byElement = new Map();
  var works = Array.prototype.map.call(document.querySelectorAll('.works > li'), function (el) {
    var year = parseInt(el.getAttribute('data-year'), 10);
    var seen = ['.ref', '.meta', '.note'].map(function (selector) {
      var part = el.querySelector(selector);
      return part ? part.textContent : '';
    });
    var key = el.id.slice(el.id.indexOf('-') + 1);
    var badge = el.querySelector('.badge');
    var venue = el.querySelector('.venue');
    var venueText = venue ? venue.textContent : '';
    if (!venue && badge && badge.textContent.indexOf(PUBLISHED_AT) === 0) {
      venueText = badge.textContent.slice(PUBLISHED_AT.length);
    }
    seen.push(key);
    var work = {
      el: el,
      key: key,
      year: isNaN(year) ? null : year,
      type: badge ? badge.classList[1] : '',
      venue: venueText.toLowerCase(),
      text: seen.join(' ').toLowerCase()
    };
    byElement.set(el, work);
    return work;
  });
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.section'));

  function read() {
    var words = fields.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var from = parseInt(fields.from.value, 10);
    var to = parseInt(fields.to.value, 10);
    return {
      words: words,
      type: fields.type.value || 'all',
      from: isNaN(from) ? null : from,
      to: isNaN(to) ? null : to,
      venue: fields.venue.value.trim().toLowerCase()
    };
  }

  function matches(w, f) {
    if (f.type !== 'all' && w.type !== f.type) { return false; }
    if (f.from !== null || f.to !== null) {
      if (w.year === null || (f.from !== null && w.year < f.from) || (f.to !== null && w.year > f.to)) {
        return false;
      }
    }
    if (f.venue && w.venue.indexOf(f.venue) < 0) { return false; }
    for (var i = 0; i < f.words.length; i++) {
      if (w.text.indexOf(f.words[i]) < 0) { return false; }
    }
    return true;
  }

  function apply() {
    var f = read();
    var shown = new Set();
    works.forEach(function (w) {
      var hide = !matches(w, f);
      if (w.el.hidden !== hide) { w.el.hidden = hide; }
      if (!hide) { shown.add(w.key); }
    });
    sections.forEach(function (section) {
      var hide = !section.querySelector('.works > li:not([hidden])');
      if (section.hidden !== hide) { section.hidden = hide; }
    });
    count.textContent = shown.size === 1 ? '1 work' : shown.size + ' works';
  }

  function toQuery() {
    var params = new URLSearchParams();
    names.forEach(function (name) {
      var value = fields[name].value.trim();
      if (value && !(name === 'type' && value === 'all')) { params.set(name, value); }
    });
    var query = params.toString();
    var url = location.pathname + (query ? '?' + query : '') + location.hash;
    history.replaceState(null, '', url);
  }

  function fromQuery() {
    var params = new URLSearchParams(location.search);
    names.forEach(function (name) {
      var value = params.get(name);
      if (value === null) { return; }
      if (name === 'type' && !fields.type.querySelector('option[value="' + CSS.escape(value) + '"]')) {
        value = 'all';
      }
      fields[name].value = value;
    });
  }

  function update() { apply(); toQuery(); }

  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', function (event) { event.preventDefault(); update(); });
  fromQuery();
  apply();

  // The Cite dialog. A work's entries are in the list's cite files (`data-chunk` works each, in the order
  // the page first shows them), loaded with a script element when first asked: that works from a file:
  // URL too, where a fetch would not.
  var main = document.getElementById('main');
  var dialog = document.getElementById('cite');
  var chunkSize = parseInt(main.getAttribute('data-chunk'), 10);
  var position = new Map();
  works.forEach(function (w) { if (!position.has(w.key)) { position.set(w.key, position.size); } });
  var texts = new Map();
  var loading = new Map();
  window.curabibCite = function (n, rows) {
    rows.forEach(function (row) {
      texts.set(row[0], { bibtex: row[1], biblatex: row[2] || row[1], 'csl-json': row[3], key: row[0] });
    });
  };

  function load(key) {
    var n = Math.floor(position.get(key) / chunkSize);
    if (!loading.has(n)) {
      loading.set(n, new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = main.getAttribute('data-cite') + n + '.js';
        script.onload = resolve;
        script.onerror = function () { loading.delete(n); reject(new Error('not loaded')); };
        document.head.appendChild(script);
      }));
    }
    return loading.get(n).then(function () { return texts.get(key); });
  }

  var shownText = document.getElementById('cite-text');
  var current = null;
  var opener = null;

  function format() {
    var checked = dialog.querySelector('input[name="format"]:checked');
    return checked ? checked.value : 'bibtex';
  }

  function show() { shownText.textContent = current ? current[format()] : ''; }

  function say(message) { if (status) { status.textContent = message; } }

  function open(button) {
    var work = button.closest('li');
    opener = button;
    load(byElement.get(work).key).then(function (found) {
      current = found;
      document.getElementById('cite-work').textContent = work.querySelector('.ref').textContent;
      document.getElementById('cite-status').textContent = '';
      show();
      if (!dialog.open) { dialog.showModal(); }
    }, function () { say('Could not load the citation: the site\'s cite/ folder is missing.'); });
  }

  function fallback(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    dialog.appendChild(area);  // inside the modal dialog, the only part of the page that can take focus
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    dialog.removeChild(area);
    return ok;
  }

  function copied(ok) {
    var button = document.getElementById('cite-copy');
    button.classList.toggle('done', ok);
    // Said inside the dialog: while it is open, the rest of the page is inert, its status unheard.
    document.getElementById('cite-status').textContent =
      ok ? 'Copied.' : 'Could not copy: select the text and copy it.';
    setTimeout(function () { button.classList.remove('done'); }, 1500);
  }

  function copy() {
    var text = shownText.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(
        function () { copied(true); },
        function () { copied(fallback(text)); });
    } else {
      copied(fallback(text));
    }
  }

  // The Cite buttons, one a work: added here, since the dialog needs this script.
  var template = document.createElement('button');
  template.className = 'cite';
  template.setAttribute('aria-haspopup', 'dialog');
  template.textContent = 'Cite';
  works.forEach(function (w) { w.el.appendChild(template.cloneNode(true)); });
  main.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button.cite') : null;
    if (button) { open(button); }
  });
  dialog.addEventListener('change', show);
  document.getElementById('cite-copy').addEventListener('click', copy);
  document.getElementById('cite-close').addEventListener('click', function () { dialog.close(); });
  dialog.addEventListener('close', function () { if (opener) { opener.focus(); } });
}());
