// Reads curabib's outputs with the JavaScript consumers people use, and reports what each one saw.
// Input (stdin): {"bib": [paths], "json": [paths]}. Output (stdout): one JSON object keyed by path.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as bbt from '@retorquere/bibtex-parser'

const require = createRequire(import.meta.url)
const { Cite, plugins, logger } = require('@citation-js/core')
require('@citation-js/plugin-bibtex')
require('@citation-js/plugin-csl')
const CSL = require('citeproc')

const logged = []
if (logger && logger.setLogLevel) logger.setLogLevel('warn')
for (const level of ['warn', 'error']) {
  console[level] = (...args) => logged.push(args.join(' '))
}

const families = (names) => (names || []).map((n) =>
  [n['dropping-particle'], n['non-dropping-particle'], n.family || n.literal || n.lastName || n.name]
    .filter(Boolean).join(' '))

async function readBib (path) {
  const text = readFileSync(path, 'utf8')
  const parsed = await bbt.parseAsync(text)
  const fromBbt = parsed.entries.map((e) => ({
    key: e.key,
    title: e.fields.title || '',
    families: (e.fields.author || []).map((a) => [a.prefix, a.lastName || a.name].filter(Boolean).join(' ')),
    year: e.fields.year || ''
  }))
  logged.length = 0
  let fromCitationJs = []
  const errors = []
  try {
    const cite = await Cite.async(text, { forceType: '@biblatex/text' })
    fromCitationJs = cite.data.map((item) => ({
      key: item['citation-key'] || item.id,
      title: item.title || '',
      families: families(item.author),
      year: String(((item.issued || {})['date-parts'] || [[]])[0][0] || '')
    }))
  } catch (err) {
    errors.push(String(err))
  }
  return {
    bbt: { errors: parsed.errors.map((e) => e.error || String(e)), entries: fromBbt },
    citationjs: { errors: [...errors, ...logged], entries: fromCitationJs }
  }
}

function renderJson (path) {
  const items = JSON.parse(readFileSync(path, 'utf8'))
  const config = plugins.config.get('@csl')
  const style = config.styles.get('apa')
  const locale = config.locales.get('en-US')
  const byId = Object.fromEntries(items.map((i) => [i.id, i]))
  const errors = []
  let rendered = 0
  try {
    const engine = new CSL.Engine({ retrieveLocale: () => locale, retrieveItem: (id) => byId[id] }, style)
    engine.updateItems(Object.keys(byId))
    const [, entries] = engine.makeBibliography()
    rendered = entries.filter((e) => e.trim().length > 0).length
  } catch (err) {
    errors.push(String(err))
  }
  return { citeproc: { errors, rendered, items: items.length } }
}

const request = JSON.parse(readFileSync(0, 'utf8'))
const out = {}
for (const path of request.bib || []) out[path] = await readBib(path)
for (const path of request.json || []) out[path] = renderJson(path)
process.stdout.write(JSON.stringify(out))
