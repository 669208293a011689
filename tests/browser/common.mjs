// What the browser scripts share: Debian's chromium launched so that nothing but loopback can be
// reached, contexts that abort (and list) every request to an origin not allowed, and reading
// the JSON input. Used by a11y.mjs, flows.mjs and (the launch flags) check_pages.mjs.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

export const CHROMIUM = process.env.REVIER_CHROMIUM || '/usr/bin/chromium';

// Every name but loopback fails to resolve, and anything that still tries goes to a proxy on a
// closed port.
export const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=127.0.0.1;localhost',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

/// The JSON input: the file named by the first argument, else stdin.
export function readInput() {
  const arg = process.argv[2];
  const text = arg && arg !== '-' ? readFileSync(arg, 'utf8') : readFileSync(0, 'utf8');
  return JSON.parse(text);
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/// A fresh context (no state shared with others) for `lang`, whose requests may only go to
/// `origins`; every other request is aborted and pushed to `foreign`.
export async function newContext(browser, { origins, lang, viewport, bypassCSP, cookies, foreign }) {
  const context = await browser.newContext({
    bypassCSP: Boolean(bypassCSP),
    viewport: viewport || { width: 1280, height: 800 },
    locale: lang === 'de' ? 'de-DE' : 'en-US',
    extraHTTPHeaders: lang ? { 'Accept-Language': lang } : {},
    serviceWorkers: 'block',
  });
  const allowed = new Set(origins.map((o) => new URL(o).origin));
  await context.route('**/*', (route) => {
    const u = route.request().url();
    let origin = null;
    try {
      origin = new URL(u).origin;
    } catch {
      origin = null;
    }
    if (origin && allowed.has(origin)) return route.continue();
    if (u.startsWith('data:') || u.startsWith('blob:') || u === 'about:blank') return route.continue();
    foreign.push(u.slice(0, 200));
    return route.abort();
  });
  const base = origins[0];
  const all = [...(cookies || [])];
  if (lang) all.push({ name: 'revier_lang', value: lang });
  if (all.length > 0) {
    await context.addCookies(all.map((c) => ({ name: c.name, value: c.value, url: base })));
  }
  return context;
}

export function emit(report) {
  process.stdout.write(JSON.stringify(report) + '\n');
}

export function fail(e) {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
}
