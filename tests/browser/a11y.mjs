// Runs axe-core (pinned in package.json) on Revier pages in Debian's chromium and reports, as
// JSON on stdout, every violation of impact "serious" or "critical" against WCAG 2.0/2.1 A and
// AA, per page and language. Requests to any origin but the instance's are aborted and listed.
//
// Input (JSON, a file named by the first argument or stdin):
//   { "base": "http://127.0.0.1:PORT",
//     "paths": ["/", "/login", ...],
//     "languages": ["de", "en"],                       (default both)
//     "cookies": [{"name": "revier_session", "value": "..."}]   (optional: a signed-in run) }
// Output: { "pages": [{ path, lang, status, url, htmlLang, violations: [{id, impact, help,
//           targets}] }], "foreignRequests": [...] }
//
// The axe run needs a context with CSP bypassed (our policy is `script-src 'none'`); the page
// is loaded exactly as served otherwise.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readInput, launch, newContext, emit, fail } from './common.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SEVERE = new Set(['serious', 'critical']);

async function audit(context, base, path, lang) {
  const page = await context.newPage();
  const result = { path, lang, status: null, url: null, htmlLang: null, violations: [] };
  try {
    const resp = await page.goto(base + path, { waitUntil: 'load', timeout: 30000 });
    result.status = resp ? resp.status() : null;
    result.url = page.url();
    result.htmlLang = await page.evaluate(() => document.documentElement.lang);
    await page.evaluate(AXE_SOURCE);
    const axe = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      TAGS,
    );
    result.violations = axe.violations
      .filter((v) => SEVERE.has(v.impact))
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 10).map((n) => n.target.join(' ')),
      }));
  } catch (e) {
    result.violations.push({ id: 'load-failed', impact: 'critical', help: String(e).slice(0, 300), targets: [] });
  }
  await page.close();
  return result;
}

async function main() {
  const input = readInput();
  const base = input.base.replace(/\/$/, '');
  const languages = input.languages || ['de', 'en'];
  const report = { pages: [], foreignRequests: [] };
  const browser = await launch();
  try {
    for (const lang of languages) {
      const context = await newContext(browser, {
        origins: [base],
        lang,
        bypassCSP: true,
        cookies: input.cookies || [],
        foreign: report.foreignRequests,
      });
      for (const path of input.paths) report.pages.push(await audit(context, base, path, lang));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  emit(report);
}

main().catch(fail);
