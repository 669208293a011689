// The moderation flow of issue 9 in Debian's chromium (tests/tests/e2e/web_moderation_browser.rs):
// a visitor without an account reports an event through the "Report" link and the form; a
// moderator signs in, finds the report in the queue, opens it, sees the visitor's note and the
// reported content, and resolves it with a note; the report leaves the open queue. Each page
// on the way is checked with axe (WCAG 2.0/2.1 A and AA, impact serious or critical). Runs in
// every language given. Requests to any origin but the instance's are aborted and listed.
//
// Input (JSON on stdin): { "base": "http://127.0.0.1:PORT", "target": "/events/…",
//   "languages": ["de", "en"], "moderator": {"login": "...", "password": "..."} }
// Output: { "steps": [{lang, name, status: "ok"|"failed", detail}],
//           "violations": [{lang, page, id, impact, help, targets}], "foreignRequests": [...] }

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readInput, launch, newContext, emit, fail } from './common.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SEVERE = new Set(['serious', 'critical']);

const input = readInput();
const BASE = input.base.replace(/\/$/, '');
const report = { steps: [], violations: [], foreignRequests: [] };

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

async function step(lang, name, fn) {
  const entry = { lang, name, status: 'ok', detail: '' };
  try {
    const detail = await fn();
    if (typeof detail === 'string') entry.detail = detail;
  } catch (e) {
    entry.status = 'failed';
    entry.detail = String(e && e.message ? e.message : e).slice(0, 600);
  }
  report.steps.push(entry);
  console.error(`[${lang}] ${name}: ${entry.status}${entry.detail ? ` — ${entry.detail}` : ''}`);
  return entry.status === 'ok';
}

/// axe on the page as it is now; severe violations are added to the report.
async function audit(page, lang, name) {
  await page.evaluate(AXE_SOURCE);
  const axe = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    TAGS,
  );
  for (const v of axe.violations.filter((v) => SEVERE.has(v.impact))) {
    report.violations.push({
      lang,
      page: name,
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 10).map((n) => n.target.join(' ')),
    });
  }
}

async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

async function run(browser, lang) {
  const note = `Flow ${lang}: this event is spam ${Date.now()}`;
  const decision = `Checked in ${lang}: not spam`;
  // The visitor: no account, no session cookie.
  const visitor = await newContext(browser, { origins: [BASE], lang, bypassCSP: true, foreign: report.foreignRequests });
  const vp = await visitor.newPage();
  let reported = await step(lang, 'visitor reports the event', async () => {
    await vp.goto(BASE + input.target, { waitUntil: 'load' });
    const link = vp.locator('a[href^="/report"]').first();
    expect((await link.count()) === 1, 'the event page has no Report link');
    await Promise.all([vp.waitForNavigation({ waitUntil: 'load' }), link.click()]);
    const form = vp.locator('form[action="/report"]');
    expect((await form.count()) === 1, `no report form at ${vp.url()}`);
    await audit(vp, lang, 'report form');
    await form.locator('input[name="category"]').first().check();
    await form.locator('textarea[name="comment"]').fill(note);
    await submit(vp, form.locator('button[type="submit"]'));
    const status = await vp.locator('[role="status"], .done').count();
    expect(status > 0, `no confirmation after sending the report (at ${vp.url()})`);
    await audit(vp, lang, 'report sent');
  });
  await visitor.close();
  // The moderator.
  const moderator = await newContext(browser, { origins: [BASE], lang: 'en', bypassCSP: true, foreign: report.foreignRequests });
  const mp = await moderator.newPage();
  await step(lang, 'moderator signs in', async () => {
    await mp.goto(`${BASE}/login`);
    await mp.getByLabel('Username or e-mail address').fill(input.moderator.login);
    await mp.getByLabel('Password', { exact: true }).fill(input.moderator.password);
    await submit(mp, mp.getByRole('button', { name: 'Sign in' }));
    expect(!new URL(mp.url()).pathname.startsWith('/login'), `still on ${mp.url()}`);
    // The rest of the flow in the language under test.
    await moderator.addCookies([{ name: 'revier_lang', value: lang, url: BASE }]);
  });
  if (reported) {
    reported = await step(lang, 'moderator finds the report in the queue and resolves it', async () => {
      await mp.goto(`${BASE}/moderation`, { waitUntil: 'load' });
      await audit(mp, lang, 'moderation overview');
      const toQueue = mp.locator('a[href^="/moderation/reports"]').first();
      expect((await toQueue.count()) === 1, 'the moderation overview does not link the reports');
      await mp.goto(`${BASE}/moderation/reports`, { waitUntil: 'load' });
      await audit(mp, lang, 'report queue');
      const links = mp.locator('a[href^="/moderation/reports/"]');
      const n = await links.count();
      let found = false;
      for (let i = 0; i < n && !found; i += 1) {
        const href = await links.nth(i).getAttribute('href');
        if (!/^\/moderation\/reports\/\d+$/.test(href || '')) continue;
        await mp.goto(BASE + href, { waitUntil: 'load' });
        found = (await mp.content()).includes(note);
        if (!found) await mp.goBack();
      }
      expect(found, 'the report with the visitor\'s note is not in the queue');
      await audit(mp, lang, 'report detail');
      const form = mp.locator('form[action$="/resolve"]');
      expect((await form.count()) === 1, 'no resolve form on the report page');
      await form.locator('textarea').first().fill(decision);
      await submit(mp, form.locator('button[type="submit"]'));
      await mp.goto(`${BASE}/moderation/reports`, { waitUntil: 'load' });
      const stillOpen = await mp.locator(`a[href^="/moderation/reports/"]`).count();
      const page = await mp.content();
      expect(!page.includes(note.slice(0, 40)), `the resolved report is still in the open queue (${stillOpen} links)`);
    });
  }
  if (reported) {
    await step(lang, 'the decision is in the moderation log', async () => {
      await mp.goto(`${BASE}/moderation/log`, { waitUntil: 'load' });
      await audit(mp, lang, 'moderation log');
      const html = await mp.content();
      expect(html.includes(decision), 'the resolution note is not in the moderation log');
    });
  }
  await moderator.close();
}

async function main() {
  const browser = await launch();
  try {
    for (const lang of input.languages || ['de', 'en']) await run(browser, lang);
  } finally {
    await browser.close();
  }
  emit(report);
}

main().catch(fail);
