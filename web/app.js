// clincode web app: one page, hash routes, the /v1/ JSON API. No framework and no network beyond this server.
import { renderAudit } from './audit.js';
const main = document.getElementById('main');

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const SYSTEM_SLUG = { 'OPCS-4': 'opcs4', 'ICD-10': 'icd10', 'ICD-10-CM': 'icd10cm', CPT: 'cpt' };
const slug = (name) => SYSTEM_SLUG[name] || String(name).toLowerCase().replace(/-/g, '');
const codeLink = (system, code, label) => `<a class="code" href="#/code/${slug(system)}/${encodeURIComponent(code)}">${esc(label ?? code)}</a>`;

async function api(path, options = {}) {
  const res = await fetch(path, options);
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  if (!res.ok) {
    const message = body && body.error ? body.error : `HTTP ${res.status}`;
    const err = new Error(message);
    err.body = body;  // the details the server gives with the error (fields, candidates)
    throw err;
  }
  return body;
}

// "1 row", "2 rows".
const counted = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function errorBox(e) { return `<div class="error-box" role="alert">${esc(e.message || e)}</div>`; }

function setView(html, nav) {
  main.innerHTML = html;
  for (const a of document.querySelectorAll('.top nav a')) {
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

// ---- Search -------------------------------------------------------------------------------------------
let searchTimer = null;
let searchSeq = 0;

function renderSearch(params) {
  setView(`
    <h1>Search the classifications</h1>
    <form class="card row" id="search-form" role="search">
      <label class="grow">Words, word starts or a code
        <input type="search" id="q" name="q" autocomplete="off" value="${esc(params.get('q') || '')}" aria-controls="results" autofocus></label>
      <label>System
        <select id="system" name="system">
          <option value="">UK: OPCS-4 and ICD-10</option><option value="all">All systems (US included)</option>
          <option value="opcs4">OPCS-4</option><option value="icd10">ICD-10</option>
          <option value="icd10cm">ICD-10-CM</option><option value="cpt">CPT</option>
        </select></label>
      <label>Within (code or chapter)
        <input type="text" id="within" name="within" size="12" value="${esc(params.get('within') || '')}" placeholder="V44, Chapter K"></label>
    </form>
    <p class="muted" id="search-status" aria-live="polite"></p>
    <ul class="results" id="results" aria-label="Search results"></ul>`, 'search');
  document.getElementById('system').value = params.get('system') || '';
  document.getElementById('q').focus();
  const form = document.getElementById('search-form');
  const run = () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(doSearch, 120);
  };
  form.addEventListener('input', run);
  // Enter opens the code when the query is exactly one; otherwise it searches now. (The form has two text
  // fields and no button, so the browser would not submit it on Enter by itself.)
  const searchNow = async () => {
    clearTimeout(searchTimer);
    const hits = await doSearch();
    const first = hits && hits[0];
    if (first && first.match === 'exact_code') location.hash = `#/code/${slug(first.system)}/${encodeURIComponent(first.code)}`;
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); searchNow(); });
  document.getElementById('q').addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); document.querySelector('#results a')?.focus(); }
    if (e.key === 'Enter') { e.preventDefault(); searchNow(); }
  });
  document.getElementById('results').addEventListener('keydown', (e) => {
    const links = [...document.querySelectorAll('#results a')];
    const i = links.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i >= 0 && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? links[i - 1] : document.getElementById('q')).focus(); }
  });
  if (params.get('q')) doSearch();
}

// The words a hit was found by: the query's, and those of the lexicon term it was read through ("DVT" as "deep
// vein thrombosis"), folded as the server folds them.
const fold = (t) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const wordsOf = (t) => fold(t).split(/[^a-z0-9]+/).filter((w) => w.length > 0);

// `text` escaped, each word that starts with one of `words` (or a singular of it) in <mark>.
function highlight(text, words) {
  if (!words.length) return esc(text);
  return String(text).split(/([A-Za-z0-9\u00C0-\u017F]+)/).map((part, i) => {
    if (i % 2 === 0) return esc(part);
    const w = fold(part);
    const hit = words.some((q) => w.startsWith(q) || (q.length > 3 && q.endsWith('s') && w.startsWith(q.slice(0, -1))));
    return hit ? `<mark>${esc(part)}</mark>` : esc(part);
  }).join('');
}

function hitItem(h, q) {
  const words = wordsOf(q).concat(h.via ? wordsOf(h.via.means) : []);
  const kind = h.recordable ? '' : ' <span class="tag" title="Not recordable: choose a code below it">category</span>';
  const via = h.via ? ` <span class="muted via">${esc(h.via.term)}${h.via.means ? ` = ${esc(h.via.means)}` : ''}</span>` : '';
  const term = h.matched_term ? ` <span class="muted">(${highlight(h.matched_term, words)})</span>` : '';
  return `<li><a href="#/code/${slug(h.system)}/${encodeURIComponent(h.code)}">
      <span class="badge">${esc(h.system)}</span><span class="code">${esc(h.code)}</span><span>${highlight(h.title, words)}${kind}${term}${via}</span>
      <span class="path">${h.path.map((p) => esc(`${p.code} ${p.title}`)).join(' › ')}</span></a></li>`;
}

// Runs the search in the form; returns the hits (or null when there was no query or it failed).
async function doSearch() {
  if (!document.getElementById('q')) return null;  // the page changed before a pending search ran
  const q = document.getElementById('q').value.trim();
  const system = document.getElementById('system').value;
  const within = document.getElementById('within').value.trim();
  const status = document.getElementById('search-status');
  const list = document.getElementById('results');
  const query = new URLSearchParams();
  if (q) query.set('q', q);
  if (system) query.set('system', system);
  if (within) query.set('within', within);
  history.replaceState(null, '', `#/search?${query}`);
  if (!q) { list.innerHTML = ''; status.textContent = ''; return null; }
  query.set('limit', '50');
  const seq = ++searchSeq;
  try {
    const hits = await api(`/v1/search?${query}`);
    if (seq !== searchSeq) return null;
    const partial = hits.length > 0 && hits.every((h) => h.match === 'partial');
    status.textContent = !hits.length ? `No results for “${q}”`
      : partial ? `No title has every word of “${q}”; the closest ${hits.length} (partial matches)`
        : `${hits.length} result${hits.length === 1 ? '' : 's'}`;
    list.innerHTML = hits.map((h) => hitItem(h, q)).join('');
    return hits;
  } catch (e) {
    if (seq === searchSeq) { list.innerHTML = ''; status.innerHTML = errorBox(e); }
    return null;
  }
}

// ---- Code page ----------------------------------------------------------------------------------------
// A note's text with each code it names linked (the server splits it into parts).
const noteText = (system, n) => (n.parts || [{ text: n.text }])
  .map((p) => (p.code ? codeLink(system, p.code, p.text) : esc(p.text))).join('');

// The notes of a code page, own and inherited, in the families a coder reads them by.
const NOTE_FAMILIES = [
  ['Includes', ['includes', 'inclusion']],
  ['Excludes', ['excludes1', 'excludes2']],
  ['Coding instructions', ['code_first', 'use_additional_code', 'code_also']],
  ['Characters', ['seventh_character', 'modifier']],
  ['Notes', ['note']],
  ['Index terms', ['index_term']],
];

function notesSection(c) {
  const all = [...c.notes, ...(c.inherited_notes || [])];
  if (!all.length) return '<p class="muted">No notes in this release.</p>';
  return NOTE_FAMILIES.map(([title, kinds]) => {
    const own = c.notes.filter((n) => kinds.includes(n.kind));
    const inherited = (c.inherited_notes || []).filter((n) => kinds.includes(n.kind));
    if (!own.length && !inherited.length) return '';
    const item = (n) => `<li><span class="note-kind">${esc(n.label || n.kind)}</span> ${noteText(c.system, n)}${n.from
      ? ` <span class="muted note-from">(from ${esc(n.from.kind)} ${codeLink(c.system, n.from.code)})</span>` : ''}</li>`;
    const list = `<ul class="notes">${own.map(item).join('')}${inherited.map(item).join('')}</ul>`;
    const many = own.length + inherited.length > 12;
    return `<h3>${esc(title)}</h3>${many ? `<details><summary>${counted(own.length + inherited.length, 'note')}</summary>${list}</details>` : list}`;
  }).join('');
}

// A flag in words; null flags (not known for this release) are left out.
function flagRows(flags) {
  return Object.entries(flags).filter(([, v]) => v !== null && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => `<tr><th scope="row">${esc(k.replace(/_/g, ' '))}</th><td>${Array.isArray(v)
      ? v.map(esc).join(', ') : esc(typeof v === 'boolean' ? (v ? 'yes' : 'no') : v)}</td></tr>`).join('');
}

async function renderCode(system, code) {
  setView('<p class="muted">Loading…</p>', 'search');
  try {
    const c = await api(`/v1/codes/${encodeURIComponent(system)}/${encodeURIComponent(code)}`);
    const record = c.record
      ? `<div class="row record"><span>Record form <code id="record-form">${esc(c.record)}</code></span>
          <button type="button" class="secondary" id="copy-record">Copy</button><span id="copy-record-status" class="muted" aria-live="polite"></span>
          ${c.flags.selectable === false ? '<span class="muted">Not recordable on its own: choose a code below it.</span>' : ''}</div>`
      : `<p class="muted">A ${esc(c.kind)}: not a code to record.</p>`;
    setView(`
      <nav class="crumbs" aria-label="Hierarchy"><ol>${c.ancestors.map((a) => `<li title="${esc(a.code)} ${esc(a.title)}">${codeLink(c.system, a.code)} <span class="crumb-title">${esc(a.title)}</span></li>`).join('')}</ol></nav>
      <h1><span class="code">${esc(c.code)}</span> ${esc(c.title)}</h1>
      <p class="muted">${esc(c.system)} · ${esc(c.release)} · ${esc(c.kind)}${c.pattern ? ` · looked up as pattern ${esc(c.pattern)}` : ''}</p>
      ${record}
      <div class="grid2">
        <section class="card" aria-labelledby="children-h"><h2 id="children-h">Children</h2>
          ${c.children.length ? `<table><tbody>${c.children.map((k) => `<tr><td>${codeLink(c.system, k.code)}</td><td>${esc(k.title)}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">None: this is a code to use.</p>'}
        </section>
        <section class="card" aria-labelledby="flags-h"><h2 id="flags-h">Flags</h2><table><tbody>${flagRows(c.flags)}</tbody></table></section>
      </div>
      <section class="card" aria-labelledby="notes-h" id="notes"><h2 id="notes-h">Notes</h2>${notesSection(c)}</section>
      <section class="card" aria-labelledby="guid-h"><h2 id="guid-h">Recommendations that mention ${esc(c.code)}</h2>
        ${c.guidance.length ? `<ul>${c.guidance.map((g) => `<li><a href="#/guidance/${encodeURIComponent(g.id)}">${esc(g.id)}</a> ${esc(g.title)} <span class="muted">(via ${esc(g.pattern)})</span></li>`).join('')}</ul>` : '<p class="muted">None in the library.</p>'}
      </section>`, 'search');
    document.getElementById('copy-record')?.addEventListener('click', () => copyText(c.record, 'copy-record-status'));
  } catch (e) {
    setView(`<h1>${esc(code)}</h1>${errorBox(e)}<p><a href="#/search?q=${encodeURIComponent(code)}">Search for it</a></p>`, 'search');
  }
}

// Copies `text` and says so in the element `statusId` (the text stays selectable when the clipboard is blocked).
async function copyText(text, statusId) {
  const status = document.getElementById(statusId);
  try {
    await navigator.clipboard.writeText(text);
    if (status) status.textContent = `Copied: ${text}`;
  } catch {
    if (status) status.textContent = `Select and copy: ${text}`;
  }
}

// ---- Guidance -----------------------------------------------------------------------------------------
let guidanceList = null;
async function loadGuidanceList() {
  if (!guidanceList) guidanceList = await api('/v1/guidance');
  return guidanceList;
}

async function renderGuidanceList() {
  setView('<h1>Guidance</h1><p class="muted">Loading…</p>', 'guidance');
  try {
    const list = await loadGuidanceList();
    setView(`<h1>Clinical coding recommendations</h1>
      <table><thead><tr><th>Id</th><th>Title</th><th>Systems</th></tr></thead><tbody>
      ${list.map((g) => `<tr><td><a href="#/guidance/${encodeURIComponent(g.id)}">${esc(g.id)}</a></td><td>${esc(g.title)}<div class="muted">${esc(g.description)}</div></td><td>${esc(g.systems)}</td></tr>`).join('')}
      </tbody></table>`, 'guidance');
  } catch (e) { setView(errorBox(e), 'guidance'); }
}

function patternLink(system, pattern) {
  const m = /^([A-Z][0-9]{2})(\.-)?$/.exec(pattern) || /^([A-Z][0-9]{2}\.[0-9A-Z]+)$/.exec(pattern) || /^([0-9]{4}[A-Z0-9])$/.exec(pattern);
  return m ? codeLink(system, m[1], pattern) : `<span class="code">${esc(pattern)}</span>`;
}

function renderGroups(system, groups) {
  return groups.map((g, i) => {
    const lines = g.any_of.length
      ? g.any_of.map((p, k) => (system === 'SNOMED CT'
        ? `${esc(g.titles[k] || '')} <span class="code">${esc(p)}</span>`
        : `${patternLink(system, p)} ${esc(g.titles[k] || '')}`))
      : [esc(g.placeholder)];
    const joiner = system === 'SNOMED CT' ? `<div class="joiner">${g.role === 'diagnosis' ? 'Diagnosis' : 'Procedure'}</div>` : (i > 0 ? '<div class="joiner">Plus</div>' : '');
    return `${joiner}<div class="group">${lines.join('<div class="joiner">Or</div>')}${g.condition ? `<div class="condition">${esc(g.condition)}</div>` : ''}</div>`;
  }).join('');
}

function renderSection(s) {
  const system = s.classification;
  let html = `<section class="card"><h2>${esc(system)} ${system === 'SNOMED CT' ? 'concepts' : 'codes'}</h2>`;
  html += renderGroups(system, s.groups);
  const scenarios = s.scenarios || [];
  if (scenarios.length) {
    html += `<p class="muted">${scenarios.length > 1 ? 'Code one of these ways, as the procedure was done' : 'When this applies'}${s.groups.length ? ', with the codes above' : ''}:</p>`;
    html += scenarios.map((sc) => `<div class="scenario"><h3>${esc(sc.label)}${sc.fact ? ` <span class="muted">(${esc(sc.fact)})</span>` : ''}</h3>${renderGroups(system, sc.groups)}</div>`).join('');
  }
  if (s.statement) html += `<p>${esc(s.statement)}</p>`;
  if (s.constraints && s.constraints.length) {
    html += `<h3>Constraints</h3>${s.constraints.map((c) => `<p class="constraint">${esc(c.text)}${c.codes.length ? ` <span class="muted">(not coded: ${c.codes.map((x) => esc(x)).join(', ')})</span>` : ''}</p>`).join('')}`;
  }
  if (s.cpt_codes && s.cpt_codes.length) {
    html += `<table><thead><tr><th>Code</th><th>Summary (our words)</th><th>Includes</th><th>Never reported with</th></tr></thead><tbody>${s.cpt_codes.map((c) => `<tr><td>${codeLink('CPT', c.code)}</td><td>${esc(c.summary)}</td><td>${esc((c.components || []).join(', '))}</td><td>${esc((c.not_reported_with || []).join(', '))}</td></tr>`).join('')}</tbody></table>`;
  }
  if (s.notes && s.notes.length) html += `<h3>Notes</h3>${s.notes.map((n) => `<p class="note-box">${esc(n.text || n)}</p>`).join('')}`;
  return `${html}</section>`;
}

async function renderGuidance(id) {
  setView('<p class="muted">Loading…</p>', 'guidance');
  try {
    const r = await api(`/v1/guidance/${encodeURIComponent(id)}`);
    setView(`<article class="nice">
      <p class="crumbs"><a href="#/guidance">Guidance</a> › ${esc(r.id)}</p>
      <h1>${esc(r.id)}: ${esc(r.title)}</h1>
      <section class="card"><h2>What the procedure is</h2><p>${esc(r.description || 'No description.')}</p>
        <p class="muted">Source: ${esc(r.source)}${r.related && r.related.length ? ` · Related: ${r.related.map((x) => `<a href="#/guidance/${encodeURIComponent(x)}">${esc(x)}</a>`).join(', ')}` : ''}</p>
        <p><a href="#/assistant?guidance=${encodeURIComponent(r.id)}">Code a note with this recommendation</a></p></section>
      ${r.sections.map(renderSection).join('')}
    </article>`, 'guidance');
  } catch (e) { setView(errorBox(e), 'guidance'); }
}

// ---- Coding assistant ---------------------------------------------------------------------------------
function cdsForm(system, code) {
  if (system === 'CPT') return code;
  const plain = code.replace('.', '');
  return system === 'ICD-10' && plain.length === 3 ? `${plain}X` : plain;
}

async function renderAssistant(params) {
  const list = await loadGuidanceList().catch(() => []);
  setView(`<h1>Coding assistant</h1>
    <form class="card" id="code-form">
      <label>Operation note<textarea id="note" name="note" required placeholder="Paste the operation note"></textarea></label>
      <div class="row" style="margin-top:10px">
        <label>Recommendation<select id="guidance"><option value="">Find it from the note</option>
          ${list.map((g) => `<option value="${esc(g.id)}">${esc(g.id)} ${esc(g.title)}</option>`).join('')}</select></label>
        <label>Codes<select id="code-system"><option value="">OPCS-4 and ICD-10</option><option value="cpt">CPT</option></select></label>
        <button type="submit" id="code-button">Code it</button>
      </div>
      <details id="rec-text-box"${params.get('text') ? ' open' : ''}><summary>Or use a recommendation text it has never seen</summary>
        <label>Recommendation text (paste a NICE clinical coding recommendation)<textarea id="rec-text" placeholder="IPGnnn - Title&#10;OPCS-4 code(s): ..."></textarea></label>
        <label>or a file<input type="file" id="rec-file" accept=".txt,.md,.text"></label>
        <p class="muted">When a text is given it is read on the fly with the loaded releases, and used instead of the recommendation chosen above.</p>
      </details>
    </form>
    <div id="code-result" aria-live="polite"></div>`, 'assistant');
  if (params.get('guidance')) document.getElementById('guidance').value = params.get('guidance');
  document.getElementById('rec-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (file) document.getElementById('rec-text').value = await file.text();
  });
  // The facts the user stated with the answers to questions; kept while the note is coded again.
  let stated = {};
  const out = document.getElementById('code-result');
  const codeNote = async () => {
    const body = { text: document.getElementById('note').value, guidance: document.getElementById('guidance').value };
    const recText = document.getElementById('rec-text').value;
    if (recText.trim()) { body.guidance_text = recText; delete body.guidance; }
    const system = document.getElementById('code-system').value;
    if (system) body.system = system;
    if (Object.keys(stated).length) body.facts = stated;
    out.innerHTML = '<p class="muted">Coding…</p>';
    try {
      const r = await api('/v1/code', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      out.innerHTML = renderCoding(r, stated);
      for (const b of out.querySelectorAll('button[data-copy]')) {
        b.addEventListener('click', () => copyText(b.dataset.copy, `${b.id}-status`));
      }
      document.getElementById('answers')?.addEventListener('submit', (e) => {
        e.preventDefault();
        for (const el of e.target.querySelectorAll('[data-fact]')) {
          const v = el.value.trim();
          if (v) stated[el.dataset.fact] = v; else delete stated[el.dataset.fact];
        }
        codeNote();
      });
      document.getElementById('clear-answers')?.addEventListener('click', () => { stated = {}; codeNote(); });
    } catch (err) {
      out.innerHTML = errorBox(err) + chooseGuidance(err.body);
      for (const b of out.querySelectorAll('button[data-guidance]')) {
        b.addEventListener('click', () => { document.getElementById('guidance').value = b.dataset.guidance; codeNote(); });
      }
    }
  };
  document.getElementById('code-form').addEventListener('submit', (e) => {
    e.preventDefault();
    stated = {};  // a new note: answers given to the last one do not carry over
    codeNote();
  });
}

// When the note fits no recommendation alone: the nearest ones as buttons, and the list above to choose from.
function chooseGuidance(body) {
  const detail = body && body.detail;
  if (!detail || detail.choose !== 'guidance') return '';
  const c = detail.candidates || [];
  return `<div class="card" id="choose-guidance"><p>Choose the recommendation in <label for="guidance"><strong>Recommendation</strong></label> above${c.length ? ', or one of the nearest:' : '.'}</p>
    ${c.length ? `<div class="row">${c.map((g) => `<button type="button" class="secondary" data-guidance="${esc(g.id)}">${esc(g.id)} ${esc(g.title)}</button>`).join('')}</div>` : ''}</div>`;
}

// A control for a fact a question asks for, named by its label; `given` is what the user stated before.
function factControl(f, given) {
  const id = `fact-${f.key}`;
  const current = given ?? '';
  let control;
  if (f.kind === 'yes_no' || f.kind === 'choice') {
    const values = f.kind === 'yes_no' ? ['yes', 'no'] : f.values;
    control = `<select id="${esc(id)}" data-fact="${esc(f.key)}"><option value="">Not stated</option>${values.map((v) => `<option value="${esc(v)}"${v === current ? ' selected' : ''}>${esc(v.replace(/_/g, ' '))}</option>`).join('')}</select>`;
  } else {
    const placeholder = { codes: 'ICD-10 codes, as M80.9', number: 'a number' }[f.kind] || (f.key === 'vertebrae' ? 'T12,L1' : 'in words');
    control = `<input type="${f.kind === 'number' ? 'number' : 'text'}" id="${esc(id)}" data-fact="${esc(f.key)}" value="${esc(current)}" placeholder="${esc(placeholder)}"${f.kind === 'number' ? ' min="0" step="any"' : ''}>`;
  }
  return `<label class="fact-control">${esc(f.label)}${control}</label>`;
}

// The facts asked for so far, by key: what the user answered stays on screen after its question is gone.
const factSpecs = new Map();

function questionsSection(questions, stated) {
  if (!questions.length && !Object.keys(stated).length) return '';
  const asked = new Map();
  for (const key of Object.keys(stated)) if (factSpecs.has(key)) asked.set(key, factSpecs.get(key));
  for (const q of questions) {
    for (const f of q.facts) {
      factSpecs.set(f.key, f);
      if (!asked.has(f.key)) asked.set(f.key, f);
    }
  }
  const list = questions.map((q) => `<li>${esc(q.text)}</li>`).join('');
  const controls = [...asked.values()].map((f) => factControl(f, stated[f.key])).join('');
  return `<section class="card"><h2>To finish</h2>${list ? `<ul id="questions">${list}</ul>` : '<p>Nothing left to ask.</p>'}
    ${controls || Object.keys(stated).length ? `<form id="answers" class="answers"><p class="muted">State what the note leaves out and code it again:</p>
      <div class="row">${controls}</div>
      <div class="row"><button type="submit">Code again with these answers</button>${Object.keys(stated).length ? '<button type="button" class="secondary" id="clear-answers">Clear my answers</button>' : ''}</div></form>` : ''}</section>`;
}

function itemsTable(system, items, caption) {
  if (!items.length) return '';
  return stackTable(caption, ['#', 'Code', 'Title', 'Role', 'Why', 'From the note'], items.map((it, i) => [
    String(i + 1), codeLink(system, it.code), esc(it.title), esc(it.role_label || it.role), esc(it.why),
    it.evidence ? `“${esc(it.evidence)}”` : '']));
}

// A table that a phone shows as one block a row, each cell under its column's name (app.css, table.stack);
// an empty cell is left out of the block. A cell is HTML, or [HTML, class].
function stackTable(caption, heads, rows, extraClass = '') {
  const td = (cell, k) => {
    const [html, cls] = Array.isArray(cell) ? cell : [cell, ''];
    const classes = [cls, html === '' ? 'empty' : ''].filter(Boolean).join(' ');
    return `<td data-label="${heads[k]}"${classes ? ` class="${classes}"` : ''}>${html}</td>`;
  };
  return `<table class="stack${extraClass ? ` ${extraClass}` : ''}">${caption ? `<caption class="sr-only">${esc(caption)}</caption>` : ''}<thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
    ${rows.map((row) => `<tr>${row.map(td).join('')}</tr>`).join('')}
  </tbody></table>`;
}

// A copy button for the codes of one system, in the form a record holds them.
function copyButton(id, system, items) {
  if (!items.length) return '';
  const codes = items.map((it) => cdsForm(system, it.code)).join(' ');
  return `<div class="row copy-row"><button type="button" class="secondary" id="${id}" data-copy="${esc(codes)}">Copy ${esc(system)}${system === 'CPT' ? '' : ' (CDS form)'}</button><code>${esc(codes)}</code><span id="${id}-status" class="muted" aria-live="polite"></span></div>`;
}

function renderCoding(r, stated = {}) {
  const procSystem = r.system;
  return `<section class="card" id="coded">
      <h2>${r.from_library ? `<a href="#/guidance/${encodeURIComponent(r.guidance)}">${esc(r.guidance)}</a>` : esc(r.guidance)} ${esc(r.guidance_title)}</h2>
      <p class="muted">${esc(r.found_by)}</p>
      ${copyButton('copy-procedures', procSystem, r.procedures)}${copyButton('copy-diagnoses', 'ICD-10', r.diagnoses)}
      <h2>${esc(procSystem)}</h2>${itemsTable(procSystem, r.procedures, 'Procedure codes in order') || '<p class="muted">No procedure codes.</p>'}
      ${r.diagnoses.length ? `<h2>ICD-10</h2>${itemsTable('ICD-10', r.diagnoses, 'Diagnosis codes')}` : ''}
    </section>
    ${r.scenario ? `<section class="card" id="scenario"><h2>Way of coding</h2><p><strong>${esc(r.scenario.label)}</strong>, because ${esc(r.scenario.why)}.</p>${r.scenario.others.length ? `<p class="muted">Not chosen: ${r.scenario.others.map(esc).join('; ')}</p>` : ''}</section>` : ''}
    ${r.conditions.length ? `<section class="card" id="conditions"><h2>Conditions</h2>${stackTable('Conditions of the codes', ['Codes', 'Condition', 'The note', 'Evidence'],
      r.conditions.map((c) => [esc(c.codes), esc(c.condition), `<span class="cond-${esc(c.state)}">${esc({ met: 'met', unmet: 'not met', unknown: 'does not say' }[c.state] || c.state)}</span>`, c.evidence ? `“${esc(c.evidence)}”` : '']))}</section>` : ''}
    ${r.assumptions.length ? `<section class="card"><h2>Assumptions</h2><ul>${r.assumptions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul></section>` : ''}
    ${questionsSection(r.questions, stated)}
    <section class="card"><h2>Validator</h2>${r.findings.length ? findingsTable(r.findings, { oneEpisode: true }) : '<p>No findings on this code set.</p>'}</section>
    <section class="card"><h2>Facts read</h2><table><tbody>${r.facts.map((f) => `<tr><th scope="row">${esc(f.label || f.key)}</th><td>${esc(String(f.value).replace(/_/g, ' '))}</td><td class="muted">${f.evidence ? `“${esc(f.evidence)}”` : f.from === 'user' ? 'you stated it' : ''}</td></tr>`).join('')}</tbody></table></section>`;
}

// ---- Validator ----------------------------------------------------------------------------------------
// Findings as a table. Columns nobody would read are left out: the episode for one episode at the desk,
// position and code when no finding has one (guidance findings are about the episode as a whole).
function findingsTable(findings, { limit = 500, oneEpisode = false } = {}) {
  const shown = findings.slice(0, limit);
  const cols = [
    !oneEpisode && ['Episode', (f) => esc(f.episode_id)],
    ['Severity', (f) => esc(f.severity), (f) => `sev-${esc(f.severity)}`],
    ['Rule', (f) => esc(f.rule_id)],
    shown.some((f) => f.position) && ['Position', (f) => esc(f.position)],
    shown.some((f) => f.code) && ['Code', (f) => esc(f.code)],
    ['Message', (f) => esc(f.message)],
    ['Fix', (f) => esc(f.fix)],
  ].filter(Boolean);
  return `${stackTable('', cols.map(([h]) => h), shown.map((f) => cols.map(([, cell, cls]) => (cls ? [cell(f), cls(f)] : cell(f)))), 'findings')}${findings.length > limit ? `<p class="muted">Showing ${limit} of ${findings.length}; download them all below.</p>` : ''}`;
}

// A bar chart in HTML, so its labels are text at the page's size (an SVG scaled into half the page made
// them unreadable); `colour(key)` names a class per bar (a colour per severity).
function barChart(title, counts, colour = () => '') {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 12);
  if (!entries.length) return '';
  const max = Math.max(...entries.map(([, v]) => v));
  const bars = entries.map(([k, v]) => `<li><span class="bar-label" title="${esc(k)}">${esc(k)}</span>
      <span class="bar-track"><span class="bar ${colour(k)}" style="width:${Math.max(1, (v / max) * 100).toFixed(1)}%"></span></span>
      <span class="bar-value">${v.toLocaleString('en-GB')}</span></li>`).join('');
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption><ul class="bars" aria-label="${esc(title)}">${bars}</ul></figure>`;
}

const validation = { findings: [], summary: null, report: null, name: '' };

function renderValidate() {
  setView(`<h1>Validator</h1>
    <div class="grid2">
      <form class="card" id="check-form"><h2>One episode</h2>
        <label>OPCS-4 codes, main first<input type="text" id="proc" placeholder="V44.4 Y53.4 V55.1 Z67.1"></label>
        <label>ICD-10 codes, primary first<input type="text" id="diag" placeholder="M80.0"></label>
        <div class="row"><label>Sex<select id="sex"><option value="0">not known</option><option value="1">male</option><option value="2">female</option><option value="9">not specified</option></select></label>
          <label>Age<input type="number" id="age" min="0" max="130" size="4"></label>
          <button type="submit">Check</button></div>
      </form>
      <form class="card" id="upload-form"><h2>A file of episodes</h2>
        <label>HES-like CSV or JSON lines<input type="file" id="file" accept=".csv,.jsonl,.txt"></label>
        <p><button type="submit" id="upload-button">Validate file</button></p>
        <progress id="progress" max="100" value="0" hidden></progress>
        <p id="upload-status" class="muted" aria-live="polite"></p>
      </form>
    </div>
    <div id="episode-result" aria-live="polite"></div>
    <div id="validate-result"></div>`, 'validate');
  document.getElementById('check-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    // The one episode's findings have their own place: a file's results beside them stay.
    const out = document.getElementById('episode-result');
    const body = { procedures: document.getElementById('proc').value, diagnoses: document.getElementById('diag').value, sex: Number(document.getElementById('sex').value) };
    const age = document.getElementById('age').value;
    if (age !== '') body.age = Number(age);
    try {
      const r = await api('/v1/check', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      out.innerHTML = `<section class="card"><h2>Findings</h2>${r.findings.length ? findingsTable(r.findings, { oneEpisode: true }) : `<p>No findings: the episode follows every rule checked (${r.rules_checked} rules).</p>`}</section>`;
    } catch (err) { out.innerHTML = errorBox(err); }
  });
  document.getElementById('upload-form').addEventListener('submit', (e) => { e.preventDefault(); uploadFile(); });
}

// Posts `body` and reads the answer's JSON lines as they arrive: onObject(obj) for each, onUpload(fraction)
// while the body goes. Resolves when the answer has ended; rejects with the server's error (a JSON body or
// an {"error"} line) or a lost connection. Shared by the validator's and the audit's uploads.
function postJsonLines(url, body, { contentType = '', onObject, onUpload = () => {} }) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let seen = 0;
    let carry = '';
    const consume = (final) => {
      const text = xhr.responseText.slice(seen);
      seen = xhr.responseText.length;
      const lines = (carry + text).split('\n');
      carry = final ? '' : lines.pop();
      for (const line of lines) {
        if (!line.trim()) continue;
        const obj = JSON.parse(line);
        if (obj.error && Object.keys(obj).length <= 2 && !obj.summary) throw new Error(obj.error);
        onObject(obj);
      }
    };
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable) onUpload(ev.loaded / ev.total); };
    xhr.onprogress = () => { try { consume(false); } catch (err) { xhr.abort(); reject(err); } };
    xhr.onload = () => {
      if (xhr.status !== 200) {
        let message = `HTTP ${xhr.status}`;
        try { message = JSON.parse(xhr.responseText).error; } catch { /* not JSON */ }
        reject(new Error(message));
        return;
      }
      try { consume(true); resolve(); } catch (err) { reject(err); }
    };
    xhr.onerror = () => reject(new Error('The upload failed (connection lost).'));
    xhr.open('POST', url);
    if (contentType) xhr.setRequestHeader('Content-Type', contentType);
    xhr.send(body);
  });
}

async function uploadFile() {
  const file = document.getElementById('file').files[0];
  const status = document.getElementById('upload-status');
  if (!file) { status.textContent = 'Choose a file first.'; return; }
  const progress = document.getElementById('progress');
  progress.hidden = false;
  progress.value = 0;
  Object.assign(validation, { findings: [], summary: null, report: null, name: file.name });
  try {
    await postJsonLines(`/v1/validate?report=1&name=${encodeURIComponent(file.name)}`, file, {
      contentType: file.name.endsWith('.jsonl') ? 'application/x-ndjson' : 'text/csv',
      onUpload: (f) => { progress.value = 100 * f; status.textContent = `Uploading ${file.name}: ${Math.round(100 * f)}%`; },
      onObject: (obj) => {
        if (obj.summary) { validation.summary = obj.summary; validation.report = obj.report_html; } else validation.findings.push(obj);
        status.textContent = `${validation.findings.length} findings so far…`;
      },
    });
  } catch (err) {
    status.innerHTML = errorBox(err);
    return;
  } finally {
    progress.value = 100;
  }
  const s = validation.summary;
  status.textContent = s ? `${counted(s.rows_read, 'row')} read: ${counted(s.episodes_checked, 'episode')} checked, ${s.rows_unreadable} unreadable; ${counted(s.findings, 'finding')}.` : 'Done.';
  showValidation();
}

function showValidation() {
  const s = validation.summary || {};
  const rules = [...new Set(validation.findings.map((f) => f.rule_id))].sort();
  document.getElementById('validate-result').innerHTML = `
    <section class="card"><h2>Summary of ${esc(validation.name)}</h2>
      <div class="grid2">${barChart('Findings by severity', s.findings_per_severity || {}, (k) => `bar-${k}`)}${barChart('Findings by rule', s.findings_per_rule || {})}</div>
      <div class="row"><button type="button" id="dl-csv" class="secondary">Download findings (CSV)</button>
        <button type="button" id="dl-jsonl" class="secondary">Download findings (JSON lines)</button>
        <button type="button" id="dl-report" class="secondary" ${validation.report ? '' : 'disabled'}>Download HTML report</button></div>
    </section>
    <section class="card"><h2>Findings</h2>
      <div class="row"><label>Severity<select id="f-sev"><option value="">all</option><option>error</option><option>warning</option><option>info</option></select></label>
        <label>Rule<select id="f-rule"><option value="">all</option>${rules.map((r) => `<option>${esc(r)}</option>`).join('')}</select></label>
        <label class="grow">Text<input type="search" id="f-text" placeholder="episode, code or words"></label></div>
      <div id="findings-table"></div></section>`;
  const refilter = () => {
    const sev = document.getElementById('f-sev').value;
    const rule = document.getElementById('f-rule').value;
    const text = document.getElementById('f-text').value.toLowerCase();
    const rows = validation.findings.filter((f) => (!sev || f.severity === sev) && (!rule || f.rule_id === rule)
      && (!text || `${f.episode_id} ${f.code} ${f.message}`.toLowerCase().includes(text)));
    document.getElementById('findings-table').innerHTML = rows.length ? findingsTable(rows) : '<p class="muted">No findings match.</p>';
  };
  for (const id of ['f-sev', 'f-rule', 'f-text']) document.getElementById(id).addEventListener('input', refilter);
  refilter();
  const base = validation.name.replace(/\.[^.]*$/, '');
  document.getElementById('dl-csv').addEventListener('click', () => download(`${base}-findings.csv`, 'text/csv', toCsv(validation.findings)));
  document.getElementById('dl-jsonl').addEventListener('click', () => download(`${base}-findings.jsonl`, 'application/x-ndjson', validation.findings.map((f) => JSON.stringify(f)).join('\n') + '\n'));
  document.getElementById('dl-report').addEventListener('click', () => download(`${base}-report.html`, 'text/html', validation.report));
}

function toCsv(findings) {
  const cols = ['episode_id', 'rule_id', 'severity', 'position', 'code', 'message', 'fix'];
  const field = (v) => { const s = String(v ?? ''); return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  return `${cols.join(',')}\n${findings.map((f) => cols.map((c) => field(f[c])).join(',')).join('\n')}\n`;
}

function download(name, type, content) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([content], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// ---- Router -------------------------------------------------------------------------------------------
function route() {
  const hash = location.hash.replace(/^#/, '') || '/search';
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'code' && parts.length === 3) return renderCode(parts[1], parts[2]);
  if (parts[0] === 'guidance' && parts[1]) return renderGuidance(parts[1]);
  if (parts[0] === 'guidance') return renderGuidanceList();
  if (parts[0] === 'assistant') return renderAssistant(params);
  if (parts[0] === 'validate') return renderValidate();
  if (parts[0] === 'audit') return renderAudit({ setView, esc, errorBox, barChart, stackTable, download, counted, postJsonLines });
  return renderSearch(params);
}

window.addEventListener('hashchange', () => { route(); main.focus({ preventScroll: true }); });
// "Skip to content" moves the focus to the page's main region; it is not a route.
document.querySelector('.skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
  main.scrollIntoView();
});
api('/v1/version').then((v) => {
  document.getElementById('releases').textContent = v.releases.map((r) => r.edition).join(' · ');
  // What the validator cannot check with the releases loaded ("not checked: load a release"), once per page.
  document.getElementById('notices').innerHTML = (v.notices || []).map((n) => `<li>${esc(n)}</li>`).join('');
}).catch(() => {});
route();
