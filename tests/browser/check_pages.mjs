// Loads Revier pages in Debian's chromium (never a downloaded browser) and reports, as JSON on
// stdout, every sign that something from the page ran or could run: dialogs, page errors,
// scripts compiled in the page's own world, `window.__pwned`, CSP violations, and what the DOM
// still holds (event-handler attributes, script/data links, scripts, styles, frames).
// Each page is loaded twice: with our Content-Security-Policy, and with CSP bypassed, so the
// sanitizer is checked on its own too. Requests to any other origin are aborted and listed.
//
// Usage: node tests/browser/check_pages.mjs <url>...   (run by tests/tests/e2e/hostile_content.rs)

import { chromium } from 'playwright-core';
import { CHROMIUM, FLAGS } from './common.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const urls = process.argv.slice(2);
if (urls.length === 0) {
  console.error('usage: node check_pages.mjs <url>...');
  process.exit(2);
}

// What the DOM still holds that could run or restyle the page.
function inspectDom() {
  const handlers = [];
  const links = [];
  let inlineStyles = 0;
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) handlers.push(`${el.tagName.toLowerCase()}[${name}]`);
      if (name === 'style') inlineStyles += 1;
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'srcdoc'].includes(name)) {
        const v = attr.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        if (v.startsWith('javascript:') || v.startsWith('data:') || v.startsWith('vbscript:') || name === 'srcdoc') {
          links.push(`${el.tagName.toLowerCase()}[${name}]=${attr.value.slice(0, 80)}`);
        }
      }
    }
  }
  return {
    pwned: window.__pwned !== undefined,
    handlers,
    links,
    inlineStyles,
    // schema.org JSON-LD (issue 12) is a data block the browser never runs; any other
    // script element counts.
    scripts: document.querySelectorAll('script:not([type="application/ld+json"])').length,
    // Our own stylesheet is fingerprinted (/static/site.<hash>.css).
    styles: document.querySelectorAll('style, link[rel~="stylesheet" i]:not([href^="/static/site."])').length,
    frames: document.querySelectorAll('iframe, frame, object, embed').length,
    metaRefresh: document.querySelectorAll('meta[http-equiv="refresh" i]').length,
    bases: document.querySelectorAll('base').length,
    // Our pages' own forms (sign-out, a time-zone pick, the follow box) go to this origin;
    // a form sent elsewhere can only come from content.
    forms: [...document.querySelectorAll('form')]
      .filter((f) => new URL(f.getAttribute('action') || '', location.href).origin !== location.origin).length,
  };
}

async function checkPage(context, url) {
  const page = await context.newPage();
  const origin = new URL(url).origin;
  const report = {
    url,
    status: null,
    dialogs: [],
    pageErrors: [],
    cspViolations: [],
    scriptsRun: [],
    foreignRequests: [],
    dom: null,
  };
  page.on('dialog', async (d) => {
    report.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => report.pageErrors.push(String(e).slice(0, 200)));
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy/i.test(text)) report.cspViolations.push(text.slice(0, 200));
  });
  await page.route('**/*', (route) => {
    const u = route.request().url();
    let same = false;
    try {
      same = new URL(u).origin === origin;
    } catch {
      same = false;
    }
    if (same) return route.continue();
    report.foreignRequests.push(u.slice(0, 200));
    return route.abort();
  });
  // Every script the page itself compiles (an inline script or handler carries the page's URL;
  // our own evaluations carry none).
  const cdp = await context.newCDPSession(page);
  cdp.on('Debugger.scriptParsed', (e) => {
    const aux = e.executionContextAuxData || {};
    if (aux.isDefault === false || !e.url || e.url.includes('__playwright')) return;
    report.scriptsRun.push(`${e.url}:${e.startLine}`);
  });
  await cdp.send('Debugger.enable');
  try {
    const resp = await page.goto(url, { waitUntil: 'load', timeout: 20000 });
    report.status = resp ? resp.status() : null;
    // Give timers, lazy handlers and meta refreshes a moment; hover and focus everything that
    // could carry a handler.
    for (const el of (await page.$$('a, img, span, p, div, article, h1, h2')).slice(0, 200)) {
      await el.hover({ timeout: 500, force: true }).catch(() => {});
      await el.focus().catch(() => {});
    }
    await page.waitForTimeout(500);
    report.dom = await page.evaluate(inspectDom);
  } catch (e) {
    report.pageErrors.push(`load failed: ${String(e).slice(0, 200)}`);
  }
  await cdp.detach().catch(() => {});
  await page.close();
  return report;
}

async function main() {
  const runs = [];
  for (const bypassCSP of [false, true]) {
    // A fresh profile for every run: nothing carried over from an earlier one.
    const profile = mkdtempSync(join(tmpdir(), 'revier-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      bypassCSP,
      javaScriptEnabled: true,
      serviceWorkers: 'block',
    });
    const pages = [];
    try {
      for (const url of urls) pages.push(await checkPage(context, url));
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
    runs.push({ csp: !bypassCSP, pages });
  }
  process.stdout.write(JSON.stringify({ runs }) + '\n');
}

main().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
