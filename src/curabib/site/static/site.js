/* curabib site: filter the works of a list page and copy their entries. Plain ES2019, no library, no
   request. The filters live in the URL query (?q=&type=&from=&to=&venue=) so a filtered view can be
   shared and is restored on load; each work carries precomputed data-* attributes, and filtering only
   toggles `hidden`. */
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) { return; }
  var names = ['q', 'type', 'from', 'to', 'venue'];
  var fields = {};
  names.forEach(function (name) { fields[name] = document.getElementById(name); });
  var count = document.getElementById('count');
  var status = document.getElementById('status');
  // Each work's data, read from its attributes once: a keystroke then costs string tests, not DOM reads.
  var works = Array.prototype.map.call(document.querySelectorAll('li.work'), function (el) {
    var year = parseInt(el.getAttribute('data-year'), 10);
    return {
      el: el,
      key: el.getAttribute('data-key'),
      year: isNaN(year) ? null : year,
      type: el.getAttribute('data-type'),
      venue: el.getAttribute('data-venue'),
      text: el.getAttribute('data-text')
    };
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
      var hide = !section.querySelector('li.work:not([hidden])');
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

  function copied(button, ok) {
    button.classList.toggle('done', ok);
    if (status) { status.textContent = ok ? 'Copied.' : 'Could not copy: select the text and copy it.'; }
    setTimeout(function () { button.classList.remove('done'); }, 1500);
  }

  function fallback(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button.copy') : null;
    if (!button) { return; }
    var work = button.closest('li.work');
    var template = work && work.querySelector(
      'template.copy-text[data-format="' + CSS.escape(button.dataset.copy) + '"]');
    if (!template) { return; }
    var text = template.content.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(
        function () { copied(button, true); },
        function () { copied(button, fallback(text)); });
    } else {
      copied(button, fallback(text));
    }
  });
}());
