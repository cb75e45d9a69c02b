// The console's end-to-end scenario in the system's headless Chromium (puppeteer-core,
// no browser download). Run by tests/tests/api/console_browser.rs, which starts the server
// and passes: DUBAN_BASE, OFFICE_TOKEN, DEPARTMENT_LINK (a sign-in link), AUDITOR_TOKEN,
// DEPARTMENT_NAME,
// PLAN_FILE, OUT_DIR (screenshots and downloads), CHROMIUM (default /usr/bin/chromium).
//
// The office signs in by link and imports a plan, assigns a measure; the department
// (390 px wide) reports 60 % and submits; the office rejects, the department
// resubmits, the office accepts, and the office's board, open in another tab all along,
// turns the department's row green within a second without a reload; the auditor slides
// back to the moment after the 60 % report and sees the task as it was; the circular
// .docx is downloaded; every request went to the server and nowhere else.
// Prints one JSON line per step and a last line `RESULT {...}`.

import { mkdtempSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const base = env('DUBAN_BASE');
const origin = new URL(base).origin;
const out = env('OUT_DIR');
const department = env('DEPARTMENT_NAME');
mkdirSync(out, { recursive: true });

const requests = [];
const problems = [];
const result = { screenshots: [] };
const step = (name, extra = {}) => console.log(JSON.stringify({ step: name, ...extra }));
const check = (ok, what) => {
  if (!ok) throw new Error(`check failed: ${what}`);
};

/** Today + n days in Asia/Shanghai, YYYY-MM-DD. */
function shanghaiDate(n) {
  const d = new Date(Date.now() + n * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
}

const profile = mkdtempSync(join(tmpdir(), 'duban-chromium-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  userDataDir: profile,
  // Fail within a minute rather than three when the browser stops answering.
  protocolTimeout: 60_000,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
    '--lang=zh-CN',
  ],
});

/** The sign-in link of a token. */
const link = (token) => `${base}/#token=${encodeURIComponent(token)}`;

async function open(context, signIn, width, height, mobile = false) {
  const page = await context.newPage();
  await page.setViewport({ width, height, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1 });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.setDefaultTimeout(15_000);
  page.on("console", (m) => process.env.DEBUG && console.log("console", m.type(), m.text()));
  const started = Date.now();
  await page.goto(signIn);
  await page.waitForSelector('#nav a');
  return { page, started };
}

async function shot(page, name) {
  await page.bringToFront();
  const path = join(out, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  result.screenshots.push(path);
}

async function go(page, hash, selector) {
  await page.bringToFront();
  await page.evaluate((h) => (location.hash = h), hash);
  if (selector) await page.waitForSelector(selector);
}

/** Types into a field of an action form (the form keeps it as a draft). */
async function fill(page, form, name, value, scope = '') {
  await page.bringToFront();
  await page.$eval(
    `${scope} form[data-action="${form}"] [name="${name}"]`,
    (el, v) => {
      if (el.tagName === 'SELECT' && !el.multiple) {
        const o = [...el.options].find((x) => x.value === v || x.textContent === v);
        el.value = o ? o.value : v;
        el.dispatchEvent(new Event('change', { bubbles: true }));
      } else {
        el.value = v;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }
    },
    value,
  );
}

async function act(page, form, scope = '') {
  await page.bringToFront();
  await page.click(`${scope} form[data-action="${form}"] button[type="submit"]`);
  await page.waitForFunction(
    (f) => {
      const el = document.querySelector('#flash .flash');
      const err = document.querySelector(`${f} .error`);
      return (el && el.textContent.includes('成功')) || err;
    },
    { polling: 100 },
    `${scope} form[data-action="${form}"]`,
  );
  const err = await page.$eval(`${scope} form[data-action="${form}"] .errors`, (e) => e.textContent).catch(() => '');
  check(!err, `${form} succeeded (${err})`);
  await page.evaluate(() => document.querySelector('#flash').replaceChildren());
}

/** Waits until the task page shows status `want` (or, with `leave`, any other one: the
 * page re-renders after an action's success message) and returns what it shows. */
async function status(page, want, leave = false) {
  await page
    .waitForFunction(
      (w, l) => {
        const tag = document.querySelector('.facts .tag');
        return tag && (tag.textContent === w) !== l;
      },
      { polling: 100, timeout: 5000 },
      want,
      leave,
    )
    .catch(() => {});
  return page.$eval('.facts .tag', (e) => e.textContent);
}

async function lightOf(page) {
  return page.$eval(`tr[data-department="${department}"]`, (r) => r.dataset.light).catch(() => null);
}

try {
  // 1. The office signs in by link; the token leaves the address bar.
  const office = await open(browser.defaultBrowserContext(), link(env('OFFICE_TOKEN')), 1280, 900);
  const o = office.page;
  const url = o.url();
  check(!url.includes('token='), `the token left the address bar (${url})`);
  check(
    (await o.evaluate(() => sessionStorage.getItem('duban.token'))) === env('OFFICE_TOKEN'),
    'the token is in session storage',
  );
  await o.waitForSelector('#board table, #board .error');
  step('office signed in', { ms: Date.now() - office.started });

  // 2. The office imports the plan document.
  await go(o, '#/import', '#plan-file');
  const input = await o.$('#plan-file');
  await input.uploadFile(env('PLAN_FILE'));
  await o.click('#preview-button');
  await o.waitForSelector('#import-result, #preview, #import-out .error');
  if (await o.$('#confirm-import')) {
    await shot(o, '06-import-preview');
    await o.click('#confirm-import');
  }
  await o.waitForSelector('#import-result, #import-out .error');
  const imported = await o.$$eval('#import-result tbody a', (as) => as.map((a) => ({ href: a.getAttribute('href'), title: a.textContent })));
  check(imported.length > 5, `the plan's measures were imported (${imported.length})`);
  await shot(o, '06-import');
  const taskId = imported[0].href.split('/').pop();
  result.taskId = taskId;
  step('plan imported', { measures: imported.length, taskId });

  // 3. The office assigns the first measure to the department, due in a week.
  await go(o, `#/task/${taskId}`, 'form[data-action="assign"]');
  await fill(o, 'assign', 'leadId', department);
  await fill(o, 'assign', 'due', shanghaiDate(7));
  await act(o, 'assign');
  check((await status(o, '已交办')) === '已交办', 'the measure is assigned');
  step('measure assigned');

  // The board in a second tab of the office, never reloaded from here on.
  const boardTab = await open(browser.defaultBrowserContext(), link(env('OFFICE_TOKEN')), 1280, 900);
  const b = boardTab.page;
  await b.waitForSelector(`tr[data-department="${department}"]`);
  await b.waitForSelector('.live[data-state="open"]');
  const before = await lightOf(b);
  check(before === 'YELLOW' || before === 'RED', `the row is yellow or red at first (${before})`);
  await shot(b, '01-board-before');
  step('board open', { light: before });

  // 4. The department, on a phone, reports 60 % and submits.
  const deptContext = await browser.createBrowserContext();
  const dept = await open(deptContext, env('DEPARTMENT_LINK'), 390, 844, true);
  const d = dept.page;
  const card = `article[data-task="${taskId}"]`;
  await d.waitForSelector(card);
  await d.click(`${card} details summary`);
  await fill(d, 'progress', 'percent', '60', card);
  await fill(d, 'progress', 'note', '已完成方案起草，正在征求意见。', card);
  await act(d, 'progress', card);
  await d.waitForFunction((c) => document.querySelector(`${c} .bar .figure`).textContent === '60%', { polling: 100 }, card);

  // The office's task page is now stale: urging from it is a version conflict, which
  // offers a reload that keeps the note typed; then the urge goes through.
  const urge = '请于本周内补齐佐证材料。';
  await fill(o, 'urge', 'note', urge);
  await o.click('form[data-action="urge"] button[type="submit"]');
  await o.waitForSelector('form[data-action="urge"] .error[data-code="VERSION_CONFLICT"] button.reload');
  await shot(o, '03-task-conflict');
  await o.click('form[data-action="urge"] .error button.reload');
  await o.waitForFunction(
    (u) => {
      const f = document.querySelector('form[data-action="urge"]');
      return f && !f.querySelector('.error') && f.elements.note.value === u;
    },
    { polling: 100 },
    urge,
  );
  await act(o, 'urge');
  step('version conflict reloaded without losing the note');
  // The department's screen learns of the urge when it is opened again.
  await go(d, '#/dispatch', '#dispatch');
  await go(d, '#/worklist', card);
  await d.click(`${card} details summary`);
  await fill(d, 'submit', 'summary', '方案已印发实施。', card);
  await fill(d, 'submit', 'evidence', '印发文件扫描件\n会议纪要', card);
  await act(d, 'submit', card);
  await d.waitForFunction((c) => document.querySelector(`${c} .tag`).textContent === '待验收', { polling: 100 }, card);
  const width = await d.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `the worklist fits 390 px (${width})`);
  await shot(d, '02-worklist-390');
  await go(d, `#/task/${taskId}`, '.facts');
  const taskWidth = await d.evaluate(() => document.documentElement.scrollWidth);
  check(taskWidth <= 390, `the task page fits 390 px (${taskWidth})`);
  await shot(d, '03-task-390');
  step('department reported 60 % and submitted');

  // 5. The office rejects with remarks; the department resubmits; the office accepts.
  await go(o, '#/board', '#board');
  await go(o, `#/task/${taskId}`, 'form[data-action="verify"]');
  await fill(o, 'verify', 'verdict', 'REJECTED');
  await fill(o, 'verify', 'remarks', '佐证材料不全，请补充验收记录。');
  await act(o, 'verify');
  check((await status(o, '待验收', true)) !== '待验收', 'the rejection sent it back');
  step('office rejected');

  await go(d, '#/dispatch', '#dispatch');
  await go(d, '#/worklist', card);
  await d.waitForFunction((c) => document.querySelector(`${c} .tag`).textContent !== '待验收', { polling: 100 }, card);
  await d.click(`${card} details summary`);
  await fill(d, 'submit', 'summary', '已补充验收记录。', card);
  await fill(d, 'submit', 'evidence', '验收记录', card);
  await act(d, 'submit', card);
  step('department resubmitted');

  await go(o, '#/board', '#board');
  await go(o, `#/task/${taskId}`, 'form[data-action="verify"]');
  await fill(o, 'verify', 'verdict', 'ACCEPTED');
  await fill(o, 'verify', 'remarks', '同意销号。');
  await act(o, 'verify');
  const accepted = Date.now();
  check((await status(o, '已办结')) === '已办结', 'the measure is closed');
  await shot(o, '03-task');

  // 6. The board's row turns green without a reload, within a second.
  await b.waitForFunction(
    (dep) => document.querySelector(`tr[data-department="${dep}"]`)?.dataset.light === 'GREEN',
    { timeout: 1000, polling: 20 },
    department,
  );
  result.greenAfterMs = Date.now() - accepted;
  check(b.url().endsWith('#/'), 'the board tab was not navigated');
  await shot(b, '01-board-after');
  step('board row green', { ms: result.greenAfterMs });

  // 7. The auditor slides back to just after the 60 % report.
  const audContext = await browser.createBrowserContext();
  const aud = await open(audContext, link(env('AUDITOR_TOKEN')), 1280, 900);
  const a = aud.page;
  await go(a, `#/audit/${taskId}`, '#as-of');
  await a.waitForSelector('.as-of[data-status="CLOSED"]');
  const reported = await a.$eval('.timeline li[data-type="ProgressReported"] time', (t) => t.getAttribute('datetime'));
  const moment = new Date(Date.parse(reported) + 1).toISOString();
  await a.$eval(
    '#as-of',
    (el, at) => {
      el.value = String(Date.parse(at));
      el.dispatchEvent(new Event('change'));
    },
    moment,
  );
  await a.waitForSelector(`.as-of[data-at="${moment}"]`);
  check((await a.$eval('.as-of', (e) => e.dataset.progress)) === '60', 'the task had 60 % then');
  const past = await a.$eval('.as-of', (e) => e.dataset.status);
  check(past === 'IN_PROGRESS', `the task as it was after the report is in progress (${past})`);
  await a.click('#verify');
  await a.waitForSelector('#integrity [data-ok]');
  check((await a.$eval('#integrity [data-ok]', (e) => e.dataset.ok)) === 'true', 'the log verifies');
  await shot(a, '05-audit');
  step('auditor saw the past', { at: reported, status: past });

  // 8. The quarterly dispatch and its circular as .docx.
  await go(o, '#/dispatch', '#dispatch .circular');
  await shot(o, '04-dispatch');
  const cdp = await o.createCDPSession();
  const downloads = join(out, 'downloads');
  rmSync(downloads, { recursive: true, force: true });
  mkdirSync(downloads, { recursive: true });
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  /** Clicks a download button and returns the path of the file that arrives. */
  const downloaded = async (button, ext) => {
    await o.click(button);
    const deadline = Date.now() + 10_000;
    let files = [];
    while (Date.now() < deadline) {
      files = readdirSync(downloads).filter((f) => f.endsWith(ext));
      if (files.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    check(files.length === 1, `the ${ext} file was downloaded (${files})`);
    return join(downloads, files[0]);
  };
  result.docx = await downloaded('#download-docx', '.docx');
  result.markdown = await downloaded('#download-md', '.md');
  step('circular downloaded', { docx: result.docx, markdown: result.markdown });

  // 9. The remaining screens, the ledger's downloads, then sign out.
  await go(o, '#/ledger', '#ledger table');
  await shot(o, '07-ledger');
  result.csv = await downloaded('#download-csv', '.csv');
  result.xlsx = await downloaded('#download-xlsx', '.xlsx');
  step('ledger downloaded');
  await go(o, '#/worklist', 'h1');
  await shot(o, '08-worklist-office');
  await o.click('#signout');
  await o.waitForSelector('.signin');
  check((await o.evaluate(() => sessionStorage.getItem('duban.token'))) === null, 'sign-out forgets the token');
  step('signed out');

  // 10. Nothing but the server was asked for anything.
  const foreign = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
  result.requests = requests.length;
  result.foreign = foreign;
  check(foreign.length === 0, `requests to other origins: ${foreign.join(', ')}`);
  check(problems.length === 0, `no page errors: ${problems.join(' | ')}`);
  result.ok = true;
} catch (e) {
  result.ok = false;
  result.error = String(e && e.stack ? e.stack : e);
  result.problems = problems;
  // What each page showed when it failed.
  for (const [i, page] of (await browser.pages()).entries()) {
    await page.screenshot({ path: join(out, `failure-${i}.png`), fullPage: true }).catch(() => {});
    result.problems.push(`page ${i} ${page.url()}: ${await page.$eval('main', (m) => m.innerText.slice(0, 400)).catch(() => '?')}`);
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`RESULT ${JSON.stringify(result)}`);
process.exit(result.ok ? 0 : 1);
