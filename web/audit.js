// The Audit page: the coder's file and the auditor's file uploaded as one form to POST /v1/audit; the four
// figures against the attainment levels, the errors by kind, breakdowns and every error, and the report.
// `ui` carries the app's helpers (app.js), so this module knows no more of the page than they do.

const kinds = {
  wrong_category: 'Wrong category (third character)',
  wrong_subdivision: 'Wrong subdivision (fourth or fifth character)',
  missing: 'Missing code',
  extra: 'Code added',
  sequencing: 'Sequencing (right code, wrong place)',
  dagger_asterisk: 'Dagger and asterisk pairing',
  unmatched_original: 'Only in the original file',
  unmatched_audited: 'Only in the audited file',
  unreadable: 'Row not read',
};
const types = [
  ['primary_diagnosis', 'Primary diagnosis'],
  ['secondary_diagnosis', 'Secondary diagnoses'],
  ['primary_procedure', 'Primary procedure'],
  ['secondary_procedure', 'Secondary procedures'],
];
const audit = { errors: [], summary: null, report: null, name: '' };

export function renderAudit(ui) {
  ui.setView(`<h1>Coding audit</h1>
    <form class="card" id="audit-form"><h2>Two files of the same episodes</h2>
      <p class="muted">The coder's coding and an auditor's re-coding (HES-like CSV or JSON lines, any row order), joined on
        the episode id. Accuracy is counted as the NHS clinical coding audit methodology counts it.</p>
      <div class="grid2">
        <label>Original coding (the coder's)<input type="file" id="audit-original" accept=".csv,.jsonl,.txt"></label>
        <label>Audited coding (the auditor's)<input type="file" id="audit-audited" accept=".csv,.jsonl,.txt"></label>
      </div>
      <div class="row">
        <label>Join on column<input type="text" id="audit-key" placeholder="EPIKEY" size="12"></label>
        <label>Attainment levels<select id="audit-profile"><option value="igt">IG Toolkit (levels 2 and 3)</option>
          <option value="dspt">DSPT (standards met)</option></select></label>
        <button type="submit">Audit the files</button>
      </div>
      <p id="audit-status" class="muted" aria-live="polite"></p>
    </form>
    <div id="audit-result"></div>`, 'audit');
  document.getElementById('audit-form').addEventListener('submit', (e) => { e.preventDefault(); upload(ui); });
}

async function upload(ui) {
  const original = document.getElementById('audit-original').files[0];
  const audited = document.getElementById('audit-audited').files[0];
  const status = document.getElementById('audit-status');
  if (!original || !audited) { status.textContent = 'Choose both files first: the original coding and the audited coding.'; return; }
  const form = new FormData();
  form.append('original', original, original.name);
  form.append('audited', audited, audited.name);
  const params = new URLSearchParams({ report: '1', profile: document.getElementById('audit-profile').value });
  const key = document.getElementById('audit-key').value.trim();
  if (key) params.set('key', key);
  Object.assign(audit, { errors: [], summary: null, report: null, name: original.name.replace(/\.[^.]*$/, '') });
  try {
    // The browser sets the multipart boundary itself.
    await ui.postJsonLines(`/v1/audit?${params}`, form, {
      onUpload: (f) => { status.textContent = `Uploading: ${Math.round(100 * f)}%`; },
      onObject: (obj) => {
        if (obj.summary) { audit.summary = obj.summary; audit.report = obj.report_html; } else audit.errors.push(obj);
        status.textContent = `${audit.errors.length} errors so far…`;
      },
    });
  } catch (err) {
    status.innerHTML = ui.errorBox(err);
    return;
  }
  const s = audit.summary;
  status.textContent = s ? `${ui.counted(s.episodes_audited, 'episode')} audited; ${ui.counted(s.code_errors, 'code error')}.` : 'Done.';
  show(ui);
}

// Accuracy by type, to 100%, with a dashed mark at each level's threshold.
function figuresChart(ui, s) {
  const levels = s.attainment.levels;
  const rows = types.map(([key, title]) => {
    const f = s[key];
    const reached = s.attainment[key];
    const colour = !reached ? 'bar-error' : reached === levels[levels.length - 1].name ? 'bar-ok' : '';
    const marks = levels.map((l) => `<span class="mark" style="left:${l[key]}%" title="${ui.esc(l.name)}: ${l[key]}%"></span>`).join('');
    return `<li><span class="bar-label">${title}</span><span class="bar-track"><span class="bar ${colour}" style="width:${Math.max(0.5, f.percent)}%"></span>${marks}</span>
      <span class="bar-value">${f.percent.toFixed(2)}% <span class="muted">(${ui.esc(reached || 'below every level')})</span></span></li>`;
  }).join('');
  return `<figure class="chart"><figcaption>Accuracy against the ${ui.esc(s.attainment.title)} thresholds (dashed: each level)</figcaption><ul class="bars" id="audit-figures-chart">${rows}</ul></figure>`;
}

function show(ui) {
  const s = audit.summary;
  const all = s.attainment.all_four;
  const byKind = Object.entries(s.errors_by_kind || {}).sort((a, b) => b[1] - a[1]);
  let running = 0;
  const pareto = Object.fromEntries(byKind.map(([k, n]) => { running += n; return [`${kinds[k] || k} (${Math.round((100 * running) / s.code_errors)}% so far)`, n]; }));
  const figures = ui.stackTable('The four figures', ['Code type', 'Correct', 'Audited', 'Accuracy', 'Level reached'],
    types.map(([key, title]) => [title, String(s[key].correct), String(s[key].total), `<b>${s[key].percent.toFixed(2)}%</b>`,
      s.attainment[key] ? ui.esc(s.attainment[key]) : ['none', 'sev-error']]));
  const breakdowns = Object.entries(s.breakdowns || {}).map(([dimension, groups]) => `<h3>By ${ui.esc(dimension)}</h3>${ui.stackTable(`By ${dimension}`,
    [dimension, 'Episodes', ...types.map(([, t]) => t)],
    Object.entries(groups).map(([value, f]) => [ui.esc(value), String(f.episodes), ...types.map(([key]) => `${f[key].percent.toFixed(2)}% <span class="muted">of ${f[key].total}</span>`)]))}`).join('');
  document.getElementById('audit-result').innerHTML = `
    <section class="card" id="audit-summary"><h2>${ui.esc(s.original)} against ${ui.esc(s.audited)}</h2>
      <div class="cards">
        <div class="stat"><b>${s.episodes_audited}</b>episodes audited</div>
        <div class="stat"><b>${s.unmatched_original}</b>only in the original</div>
        <div class="stat"><b>${s.unmatched_audited}</b>only in the audited</div>
        <div class="stat"><b>${s.unreadable_original + s.unreadable_audited}</b>rows not read</div>
        <div class="stat"><b>${s.code_errors}</b>code errors</div>
        <div class="stat"><b>${ui.esc(all || 'no level')}</b>all four figures</div>
      </div>
      ${figuresChart(ui, s)}${figures}
      <p class="muted">Thresholds: ${ui.esc(s.attainment.title)}. ${ui.esc(s.attainment.source)}</p>
      <div class="row"><button type="button" id="audit-dl-report" class="secondary" ${audit.report ? '' : 'disabled'}>Download HTML report</button>
        <button type="button" id="audit-dl-csv" class="secondary">Download errors (CSV)</button>
        <button type="button" id="audit-dl-jsonl" class="secondary">Download errors (JSON lines)</button></div>
    </section>
    <section class="card"><h2>Where the errors are</h2>${ui.barChart('Errors by kind, most frequent first (Pareto)', pareto)}
      ${ui.barChart('Codes most often wrong', Object.fromEntries((s.codes_most_often_wrong || []).map((c) => [c.code, c.errors])))}</section>
    ${breakdowns ? `<section class="card"><h2>Breakdowns</h2>${breakdowns}</section>` : ''}
    <section class="card"><h2>Every error</h2>
      <div class="row"><label>Kind<select id="audit-f-kind"><option value="">all</option>${Object.entries(kinds).map(([k, t]) => `<option value="${k}">${t}</option>`).join('')}</select></label>
        <label class="grow">Text<input type="search" id="audit-f-text" placeholder="episode, code or title"></label></div>
      <div id="audit-errors"></div></section>`;
  const refilter = () => {
    const kind = document.getElementById('audit-f-kind').value;
    const text = document.getElementById('audit-f-text').value.toLowerCase();
    const rows = audit.errors.filter((e) => (!kind || e.kind === kind) && (!text || JSON.stringify(e).toLowerCase().includes(text)));
    document.getElementById('audit-errors').innerHTML = rows.length ? errorsTable(ui, rows) : '<p class="muted">No errors match.</p>';
  };
  for (const id of ['audit-f-kind', 'audit-f-text']) document.getElementById(id).addEventListener('input', refilter);
  refilter();
  document.getElementById('audit-dl-report').addEventListener('click', () => ui.download(`${audit.name}-audit.html`, 'text/html', audit.report));
  document.getElementById('audit-dl-csv').addEventListener('click', () => ui.download(`${audit.name}-audit-errors.csv`, 'text/csv', toCsv(audit.errors)));
  document.getElementById('audit-dl-jsonl').addEventListener('click', () => ui.download(`${audit.name}-audit-errors.jsonl`, 'application/x-ndjson', audit.errors.map((e) => JSON.stringify(e)).join('\n') + '\n'));
}

function side(ui, s) {
  if (!s) return '';
  return `${ui.esc(s.position)} <b>${ui.esc(s.code)}</b> <span class="muted">${ui.esc(s.title || '')}</span>`;
}

function errorsTable(ui, errors, limit = 500) {
  const shown = errors.slice(0, limit);
  const rows = shown.map((e) => (e.type
    ? [ui.esc(e.episode_id), types.find(([k]) => k === e.type)[1], kinds[e.kind], side(ui, e.original), side(ui, e.audited), e.rule_id ? ui.esc(e.rule_id) : '']
    : [ui.esc(e.episode_id), `${ui.esc(e.file)} line ${e.line}`, kinds[e.kind], ui.esc(e.detail), '', '']));
  return `${ui.stackTable('Audit errors', ['Episode', 'Type', 'Kind', 'Coder', 'Auditor', 'Rule'], rows, 'audit-errors')}${errors.length > limit ? `<p class="muted">Showing ${limit} of ${errors.length}; download them all above.</p>` : ''}`;
}

function toCsv(errors) {
  const cols = ['episode_id', 'type', 'kind', 'original_position', 'original_code', 'original_title', 'audited_position', 'audited_code', 'audited_title', 'rule_id', 'file', 'line', 'detail'];
  const field = (v) => { const s = String(v ?? ''); return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  const flat = (e) => ({ ...e, original_position: e.original?.position, original_code: e.original?.code, original_title: e.original?.title,
    audited_position: e.audited?.position, audited_code: e.audited?.code, audited_title: e.audited?.title });
  return `${cols.join(',')}\n${errors.map((e) => cols.map((c) => field(flat(e)[c])).join(',')).join('\n')}\n`;
}
