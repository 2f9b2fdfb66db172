// End-to-end tests of the web app: start `clincode serve` on a port the OS picks, drive Debian's Chromium
// (headless, through playwright-core; no browser download) through search, a code page, the coding
// assistant and the validator with an uploaded file. Screenshots go to $CLINCODE_ARTIFACTS (default
// ./artifacts). Usage: node e2e.mjs /path/to/clincode
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const binary = process.argv[2] || process.env.CLINCODE_BIN;
const artifacts = process.env.CLINCODE_ARTIFACTS || path.join(here, 'artifacts');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const upload = path.join(here, '..', 'data', 'episodes', 'upload.csv');
// The audit's pair: the coder's episodes and the auditor's re-coding (tests/data/README.md).
const auditOriginal = path.join(here, '..', 'data', 'episodes', 'audit-original.csv');
const auditAudited = path.join(here, '..', 'data', 'episodes', 'audit-audited.csv');
// A library of our own with a recommendation in scenarios and a constraint (tests/rules/guidance/xpg1.yaml).
const guidanceDir = path.join(here, '..', 'rules', 'guidance');
// An ICD-10-CM tabular sample shaped like the real file: notes of every kind, inherited down the tree.
const cmTabular = path.join(here, '..', 'data', 'icd10cm', 'icd10cm_tabular_sample_2021.xml');
assert.ok(binary, 'usage: node e2e.mjs /path/to/clincode');
mkdirSync(artifacts, { recursive: true });

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--release', cmTabular, 'serve', '--port', '0', '--quiet', '--guidance-dir', guidanceDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, base: m[1].replace(/\/$/, '') }); }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

const results = [];
async function step(name, page, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e.message}`);
  } finally {
    await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true }).catch(() => {});
  }
}

const { child, base } = await startServer();
const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  const offsite = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) offsite.push(r.url()); });

  await step('01-search', page, async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('Words, word starts or a code').fill('vertebro');
    const first = page.locator('#results li a').first();
    await first.waitFor();
    assert.match(await first.innerText(), /V44\.4/);
    assert.match(await first.innerText(), /Chapter V/, 'the hierarchy path is shown');
    await page.selectOption('#system', 'icd10');
    await page.getByLabel('Words, word starts or a code').fill('heart fail');
    await page.locator('#results li a', { hasText: 'I50' }).first().waitFor();
    assert.ok(!(await page.locator('#results').innerText()).includes('OPCS-4'), 'the system filter keeps to ICD-10');
    assert.ok(await page.locator('#results mark', { hasText: 'Heart' }).count() > 0, 'matched words are highlighted');
  });

  await step('01b-search-ranking', page, async () => {
    await page.selectOption('#system', '');
    // A lay term read through the lexicon: the reading is shown and its words highlighted.
    await page.getByLabel('Words, word starts or a code').fill('bowel cancer');
    await page.locator('#results li a', { hasText: 'C18' }).first().waitFor();
    const first = page.locator('#results li a').first();
    assert.match(await first.innerText(), /C18/);
    assert.match(await first.innerText(), /bowel cancer = malignant neoplasm of colon/i);
    assert.match(await first.innerText(), /category/, 'a divided category is marked apart from recordable codes');
    assert.ok(await page.locator('#results li').first().locator('mark', { hasText: 'colon' }).count() > 0);
    // Enter on a code as typed opens it.
    await page.getByLabel('Words, word starts or a code').fill('v444');
    await page.getByLabel('Words, word starts or a code').press('Enter');
    await page.locator('h1', { hasText: 'V44.4' }).waitFor();
    await page.goto(`${base}/#/search`);
  });

  await step('02-code-page', page, async () => {
    await page.selectOption('#system', '');
    await page.getByLabel('Words, word starts or a code').fill('vertebroplasty');
    await page.locator('#results li a', { hasText: 'V44.4' }).first().waitFor();
    await page.getByLabel('Words, word starts or a code').press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'V44.4' }).waitFor();
    assert.match(await page.locator('.crumbs').innerText(), /V44/);
    await page.locator('section', { has: page.locator('#guid-h') }).filter({ hasText: 'IPG12' }).waitFor();
    await page.locator('.crumbs a', { hasText: 'V44' }).click();
    await page.locator('h1', { hasText: 'Decompression of fracture of spine' }).waitFor();
    await page.locator('section', { has: page.locator('#children-h') }).filter({ hasText: 'V44.4' }).waitFor();
  });

  await step('02b-code-page-breadcrumb-one-line', page, async () => {
    // A deep code: chapter, block, category. The breadcrumb is one line at 1366 px, separators between items.
    await page.goto(`${base}/#/code/icd10/I50.0`);
    await page.locator('h1', { hasText: 'I50.0' }).waitFor();
    const crumbs = page.locator('.crumbs ol');
    const box = await crumbs.boundingBox();
    const line = await crumbs.evaluate((el) => parseFloat(getComputedStyle(el).fontSize) * 1.8);
    assert.ok(box.height <= line, `breadcrumb on one line (${box.height} px high)`);
    const tops = await page.locator('.crumbs li').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    assert.ok(tops.length >= 2 && tops.every((t) => t === tops[0]), `items side by side: ${tops}`);
    assert.equal(await page.locator('header.top nav a').first().evaluate((a) => getComputedStyle(a).paddingLeft), '12px',
      'the main navigation keeps its own style');
    assert.equal(await page.locator('.crumbs a').first().evaluate((a) => getComputedStyle(a).paddingLeft), '0px',
      'the breadcrumb is not styled as the main navigation');
  });

  await step('02d-code-page-notes', page, async () => {
    // A code of a release with notes: the kinds in words, inherited notes said to be so, every code a link,
    // the record form without a dot with a copy button.
    await page.goto(`${base}/#/code/icd10cm/I50.20`);
    await page.locator('h1', { hasText: 'I50.20' }).waitFor();
    const notes = page.locator('#notes');
    const text = await notes.innerText();
    assert.match(text, /Code also end stage heart failure, if applicable \(I50\.84\) \(from code I50\.2\)/);
    assert.match(text, /Excludes1 \(not coded here\) neonatal cardiac failure/);
    assert.match(text, /Code first/);
    assert.ok(!/code_first|use_additional_code|excludes1:/.test(text), 'no internal note names');
    assert.equal(await page.locator('#record-form').innerText(), 'I5020');
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.locator('#copy-record-status', { hasText: 'I5020' }).waitFor();
    await notes.locator('a', { hasText: 'I50.84' }).click();
    await page.locator('h1', { hasText: 'End stage heart failure' }).waitFor();
    assert.match(await page.locator('#notes').innerText(), /Inclusion term Stage D heart failure/);
    // Its own note links a range's ends that the release holds.
    assert.ok(await page.locator('#notes a', { hasText: 'I50.2' }).count() >= 1);
  });

  await step('02c-skip-link-and-notices', page, async () => {
    await page.goto(`${base}/#/guidance`);
    await page.locator('h1').first().waitFor();
    await page.locator('a.skip').focus();  // the first stop of the page, shown when focused
    assert.ok((await page.locator('a.skip').boundingBox()).x >= 0, 'the skip link is visible when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main', 'the skip link focuses the main region');
    assert.equal(await page.evaluate(() => location.hash), '#/guidance', 'and does not change the page');
    // The server runs on the starter data: what it cannot check is said once, in a banner.
    const notices = await page.locator('#notices').innerText();
    assert.match(notices, /not checked: load a release/);
  });

  await step('03-guidance', page, async () => {
    await page.goto(`${base}/#/guidance/IPG655`);
    await page.locator('h1', { hasText: 'IPG655' }).waitFor();
    const text = await page.locator('article').innerText();
    assert.match(text, /Plus/);
    assert.match(text, /K57\.8/);
    await page.locator('article a.code', { hasText: 'K57.8' }).click();
    await page.locator('h1', { hasText: 'K57.8' }).waitFor();
  });

  await step('03b-guidance-scenarios', page, async () => {
    await page.goto(`${base}/#/guidance/XPG1`);
    await page.locator('h1', { hasText: 'XPG1' }).waitFor();
    const scenarios = page.locator('.scenario');
    assert.equal(await scenarios.count(), 2);
    assert.match(await scenarios.nth(0).innerText(), /Open procedure[\s\S]*J03\.2[\s\S]*Y13\.7/);
    assert.match(await scenarios.nth(1).innerText(), /Percutaneous procedure[\s\S]*J12\.7/);
    assert.match(await page.locator('.constraint').innerText(), /L89\.8, L89\.9/);
    assert.match(await page.locator('article').innerText(), /Code one of these ways/);
  });

  await step('04-assistant', page, async () => {
    await page.goto(`${base}/#/assistant`);
    await page.getByLabel('Operation note').fill('Percutaneous vertebroplasty T12/L1 for osteoporotic compression fractures. Biplanar fluoroscopic guidance.');
    await page.getByRole('button', { name: 'Code it' }).click();
    await page.locator('#coded').waitFor();
    const codes = await page.locator('#coded table').first().locator('td:nth-child(2)').allInnerTexts();
    assert.deepEqual(codes, ['V44.4', 'V55.2', 'Y53.4', 'Z66.4', 'Z66.5']);
    // One copy per system, each in CDS form.
    await page.getByRole('button', { name: 'Copy OPCS-4 (CDS form)' }).click();
    await page.locator('#copy-procedures-status', { hasText: 'V444 V552 Y534 Z664 Z665' }).waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText()).catch(() => null);
    if (clip !== null) assert.equal(clip, 'V444 V552 Y534 Z664 Z665');
    await page.getByRole('button', { name: 'Copy ICD-10 (CDS form)' }).click();
    await page.locator('#copy-diagnoses-status', { hasText: 'M809' }).waitFor();
    // Roles and facts in words, not internal names; the evidence is the phrase that says it.
    const coded = await page.locator('#coded').innerText();
    assert.match(coded, /Levels of spine/);
    assert.ok(!/levels_of_spine|spine_region/.test(await page.locator('main').innerText()), 'no internal names');
    assert.match(coded, /“Biplanar fluoroscopic guidance”/);
    assert.match(await page.locator('main').innerText(), /Region of spine/);
  });

  await step('04c-assistant-answers', page, async () => {
    // What the note leaves out is asked with controls, not command-line flags, and coded again.
    await page.goto(`${base}/#/assistant?guidance=IPG12`);
    await page.getByLabel('Operation note').fill('Vertebroplasty of L1 for osteoporotic fracture.');
    await page.getByRole('button', { name: 'Code it' }).click();
    await page.locator('#questions').waitFor();
    assert.ok(!(await page.locator('main').innerText()).includes('--fact'), 'no --fact in the web app');
    assert.ok(!(await page.locator('main').innerText()).includes('--guidance'), 'no --guidance in the web app');
    await page.getByLabel('Image control used').selectOption('yes');
    await page.getByRole('button', { name: 'Code again with these answers' }).click();
    // Image control stated: its method is asked next (Y53.9 until then).
    await page.locator('#coded td', { hasText: 'Y53.9' }).waitFor();
    await page.getByLabel('Method of image control').selectOption('fluoroscopy');
    await page.getByRole('button', { name: 'Code again with these answers' }).click();
    await page.locator('#coded td', { hasText: 'Y53.4' }).waitFor();
    assert.equal(await page.getByLabel('Method of image control').inputValue(), 'fluoroscopy', 'the answer is kept');
    assert.match(await page.locator('main').innerText(), /you stated it/);
  });

  await step('04d-assistant-choose-recommendation', page, async () => {
    await page.goto(`${base}/#/assistant`);
    await page.getByLabel('Operation note').fill('Left total hip replacement.');
    await page.getByRole('button', { name: 'Code it' }).click();
    await page.locator('#choose-guidance').waitFor();
    assert.match(await page.locator('#code-result').innerText(), /choose the recommendation/);
    assert.ok(!(await page.locator('#code-result').innerText()).includes('--guidance'));
  });

  await step('04b-assistant-pasted-recommendation', page, async () => {
    // A recommendation text of our own, pasted: read on the fly, its way of coding chosen from the note.
    const rec = [
      'IPG9101 - Microwave ablation of liver lesions', 'Procedure:', 'OPCS-4 code(s):',
      'Y53.- Approach to organ under image control (if image control is used)',
      'U20.2 Transoesophageal echocardiography (when TOE is used)',
      'Open procedure:', 'J03.2 Destruction of lesion of liver NEC',
      'Percutaneous procedure:', 'J12.7 Percutaneous microwave ablation of lesion of liver',
      'Laparoscopic procedure:', 'J08.3 Endoscopic microwave ablation of lesion of liver using laparoscope',
    ].join('\n');
    await page.goto(`${base}/#/assistant`);
    await page.getByLabel('Operation note').fill('Percutaneous microwave ablation of a segment 6 liver lesion under CT guidance. No TOE.');
    await page.locator('#rec-text-box summary').click();
    await page.getByLabel('Recommendation text (paste a NICE clinical coding recommendation)').fill(rec);
    await page.getByRole('button', { name: 'Code it' }).click();
    await page.locator('#coded').waitFor();
    const codes = await page.locator('#coded table').first().locator('td:nth-child(2)').allInnerTexts();
    assert.deepEqual(codes, ['J12.7', 'Y53.3']);
    assert.match(await page.locator('#coded h2').first().innerText(), /IPG9101/);
    assert.match(await page.locator('#scenario').innerText(), /Percutaneous procedure[\s\S]*percutaneous/i);
    const conditions = await page.locator('#conditions').innerText();
    assert.match(conditions, /Y53\.-[\s\S]*met/);
    assert.match(conditions, /U20\.2[\s\S]*not met[\s\S]*TOE/);
  });

  await step('05-validator-upload', page, async () => {
    await page.goto(`${base}/#/validate`);
    await page.setInputFiles('#file', upload);
    await page.getByRole('button', { name: 'Validate file' }).click();
    await page.locator('#upload-status', { hasText: 'rows read' }).waitFor();
    const status = await page.locator('#upload-status').innerText();
    // E6's STARTAGE "not-an-age" is a finding on the field, not an unreadable row (issue 16).
    assert.match(status, /6 rows read: 6 episodes checked, 0 unreadable/);
    assert.ok(await page.locator('.chart .bars').count() >= 2, 'charts drawn');
    // Chart labels are text at a readable size, and each severity has its own colour.
    const labelPx = await page.locator('.bar-label').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(labelPx >= 12, `chart labels ${labelPx} px`);
    const colours = await page.locator('.bar.bar-error, .bar.bar-warning, .bar.bar-info')
      .evaluateAll((bars) => bars.map((b) => getComputedStyle(b).backgroundColor));
    assert.ok(colours.length === 3 && new Set(colours).size === 3, `a colour per severity (${colours})`);
    const all = await page.locator('table.findings tbody tr').count();
    assert.ok(all >= 3, `findings listed (${all})`);
    await page.selectOption('#f-sev', 'error');
    const errors = await page.locator('table.findings tbody tr td:nth-child(2)').allInnerTexts();
    assert.ok(errors.length > 0 && errors.every((s) => s === 'error'), 'severity filter');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download HTML report' }).click()]);
    assert.match(download.suggestedFilename(), /upload-report\.html/);
    await download.saveAs(path.join(artifacts, 'upload-report.html'));
  });

  await step('06-one-episode', page, async () => {
    await page.getByLabel('OPCS-4 codes, main first').fill('Y53.4 V44.4');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.locator('#episode-result table.findings').waitFor();
    assert.match(await page.locator('#episode-result').innerText(), /Y53\.?4 .*cannot be the main procedure/);
    // One episode at the desk: no "Episode: desk" column, no empty columns.
    const heads = await page.locator('#episode-result table.findings thead th').allInnerTexts();
    assert.ok(!heads.includes('Episode'), `columns: ${heads}`);
    assert.ok(!(await page.locator('#episode-result').innerText()).includes('desk'));
    // The file's results from the step before are still there.
    assert.match(await page.locator('#validate-result').innerText(), /Summary of upload\.csv/);
  });

  await step('07-keyboard-and-offline', page, async () => {
    await page.goto(`${base}/`);
    await page.locator('#q').waitFor();
    await page.keyboard.press('Shift+Tab');
    const focused = await page.evaluate(() => document.activeElement.textContent.trim());
    assert.equal(focused, 'Audit', 'Shift+Tab from the search box walks back through the main navigation');
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'Coding audit' }).waitFor();
    assert.deepEqual(offsite, [], 'no request leaves the server');
    assert.deepEqual(consoleErrors, [], 'no script errors');
  });

  await step('08-report', page, async () => {
    // The downloaded report on its own (a file, no server): the table of episodes with findings can be
    // filtered, sorted and paged, and each rule links to its explanation in the same file.
    const report = await context.newPage();
    await report.goto(`file://${path.join(artifacts, 'upload-report.html')}`);
    const rows = report.locator('#findings tbody tr:not([hidden])');
    assert.ok(await rows.count() >= 3, 'episodes with findings listed');
    await report.getByLabel('Filter').fill('E6');
    assert.ok((await rows.allInnerTexts()).every((t) => t.startsWith('E6')), 'filtered to one episode');
    await report.getByLabel('Filter').fill('');
    await report.selectOption('#findings-class', 'warning');
    const severities = await rows.locator('td:nth-child(3)').allInnerTexts();
    assert.ok(severities.length > 0 && severities.every((t) => t === 'warning'), 'severity filter');
    await report.selectOption('#findings-class', '');
    await report.locator('#findings th button', { hasText: 'Rule' }).click();
    const rules = await rows.locator('td:nth-child(4)').allInnerTexts();
    assert.deepEqual(rules, [...rules].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })), 'sorted by rule');
    const href = await rows.first().locator('td:nth-child(4) a').getAttribute('href');
    assert.equal(await report.locator(`[id="${href.slice(1)}"]`).count(), 1, `${href} explained in the report`);
    await report.screenshot({ path: path.join(artifacts, '08-report-1366.png'), fullPage: true });
    await report.setViewportSize({ width: 390, height: 844 });
    // On a phone the report never scrolls sideways: its tables show a row as a block.
    const wide = await report.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the report fits the phone (${wide} px)`);
    const shownRows = await report.locator('#findings tbody tr').evaluateAll((trs) => trs.filter((tr) => tr.offsetHeight > 0).length);
    assert.equal(shownRows, await rows.count(), 'rows the pager hides stay hidden on a phone');
    await report.screenshot({ path: path.join(artifacts, '08-report-phone.png'), fullPage: true });
    await report.close();
  });

  await step('10-audit', page, async () => {
    // Two files as one form: the four figures, the thresholds, errors by kind, every error, the report.
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto(`${base}/#/audit`);
    assert.equal(await page.locator('nav a[aria-current="page"]').innerText(), 'Audit');
    await page.getByRole('button', { name: 'Audit the files' }).click();
    assert.match(await page.locator('#audit-status').innerText(), /Choose both files/);
    await page.setInputFiles('#audit-original', auditOriginal);
    await page.setInputFiles('#audit-audited', auditAudited);
    await page.getByRole('button', { name: 'Audit the files' }).click();
    await page.locator('#audit-summary').waitFor();
    assert.match(await page.locator('#audit-status').innerText(), /5 episodes audited; 7 code errors/);
    const figures = await page.locator('#audit-summary table tbody tr').allInnerTexts();
    assert.ok(figures[0].includes('40.00%') && figures[1].includes('75.00%'), `figures ${figures}`);
    // A mark at each level's threshold on every bar of the figures chart.
    assert.equal(await page.locator('#audit-figures-chart .mark').count(), 8);
    const rows = page.locator('table.audit-errors tbody tr');
    assert.equal(await rows.count(), 9, 'seven code errors and two episodes in one file only');
    await page.selectOption('#audit-f-kind', 'sequencing');
    assert.equal(await rows.count(), 2, 'kind filter');
    assert.ok((await rows.allInnerTexts()).every((t) => t.includes('Sequencing')));
    await page.selectOption('#audit-f-kind', '');
    await page.screenshot({ path: path.join(artifacts, '10-audit-1366.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download HTML report' }).click()]);
    const reportPath = path.join(artifacts, 'audit-report.html');
    await download.saveAs(reportPath);
    const report = await context.newPage();
    await report.goto(`file://${reportPath}`);
    assert.match(await report.locator('h1').innerText(), /Clinical coding audit/);
    assert.equal(await report.locator('#errors tbody tr').count(), 9);
    await report.selectOption('#errors-class', 'missing');
    assert.equal(await report.locator('#errors tbody tr:not([hidden])').count(), 2, 'the report filters its errors by kind');
    await report.selectOption('#errors-class', '');
    await report.screenshot({ path: path.join(artifacts, '10-audit-report-1366.png'), fullPage: true });
    await report.pdf({ path: path.join(artifacts, 'audit-report.pdf'), format: 'A4', printBackground: false });
    await report.setViewportSize({ width: 390, height: 844 });
    assert.ok(await report.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the audit report fits a phone');
    await report.screenshot({ path: path.join(artifacts, '10-audit-report-phone.png'), fullPage: true });
    await report.close();
  });

  // No table hides part of itself sideways (a phone shows each row as a block) and no empty cell shows.
  const tablesFit = () => page.evaluate(() => [...document.querySelectorAll('main table')].every((t) => t.scrollWidth <= t.clientWidth + 1)
    && [...document.querySelectorAll('main td.empty')].every((td) => td.offsetHeight === 0));

  await step('09-phone', page, async () => {
    // A phone: the search hits keep the system badge a badge; the main screens are shot for review.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/search?q=vertebroplasty`);
    await page.locator('#results li a').first().waitFor();
    const badge = await page.locator('#results .badge').first().boundingBox();
    assert.ok(badge.height < 30 && badge.width < 120, `badge ${badge.width}x${badge.height}`);
    await page.screenshot({ path: path.join(artifacts, '09-phone-search.png'), fullPage: true });
    await page.goto(`${base}/#/code/icd10cm/I50.20`);
    await page.locator('#notes').waitFor();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `code page fits the phone (${wide} px)`);
    await page.screenshot({ path: path.join(artifacts, '09-phone-code.png'), fullPage: true });
    await page.goto(`${base}/#/assistant?guidance=IPG12`);
    await page.getByLabel('Operation note').fill('Vertebroplasty of L1 for osteoporotic fracture.');
    await page.getByRole('button', { name: 'Code it' }).click();
    await page.locator('#questions').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the assistant fits the phone');
    assert.ok(await tablesFit(), "the assistant's tables fit the phone, row by row");
    await page.screenshot({ path: path.join(artifacts, '09-phone-assistant.png'), fullPage: true });
    await page.goto(`${base}/#/validate`);
    await page.getByLabel('OPCS-4 codes, main first').fill('Y53.4 V44.4');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.locator('#episode-result table.findings').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the validator fits the phone');
    assert.ok(await tablesFit(), "the validator's findings fit the phone, without empty cells");
    await page.screenshot({ path: path.join(artifacts, '09-phone-validator.png'), fullPage: true });
    await page.goto(`${base}/#/audit`);
    await page.setInputFiles('#audit-original', auditOriginal);
    await page.setInputFiles('#audit-audited', auditAudited);
    await page.getByRole('button', { name: 'Audit the files' }).click();
    await page.locator('#audit-summary').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the audit page fits the phone');
    assert.ok(await tablesFit(), "the audit's tables fit the phone, row by row");
    await page.screenshot({ path: path.join(artifacts, '09-phone-audit.png'), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 800 });
  });
} finally {
  await browser.close();
  child.kill('SIGTERM');
}
const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length}/${results.length} browser checks passed; screenshots in ${artifacts}`);
process.exit(failed.length ? 1 : 0);
