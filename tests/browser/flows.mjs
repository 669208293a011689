// Real-browser flows through Revier in Debian's chromium (tests/tests/e2e/web_browser.rs): sign in
// through the form, walk forms with the keyboard alone, take screenshots at a desktop and a
// phone width, and run issue 8's whole scenario. Requests to any origin not named in the input
// are aborted and listed.
//
// Input (JSON, a file named by the first argument or stdin):
//   { "base": "http://127.0.0.1:PORT",
//     "origins": ["http://127.0.0.1:PEER"],           (other origins the browser may reach)
//     "user": {"login": "...", "password": "..."},
//     "flows": ["signin-keyboard", "screenshots", "scenario"],
//     "screenshots": {"dir": "/path", "lang": "en", "pages": [{"name": "home",
//                     "candidates": [{"path": "/", "signedIn": false}, ...]}, ...]},
//     "scenario": { ... see scenario() below ... } }
// Output: { "steps": [{flow, name, status: "ok"|"skipped"|"failed", detail}],
//           "screenshots": [{name, path, file, width, height, overflowX}],
//           "focusInvisible": [...elements focused by Tab without a visible indicator],
//           "foreignRequests": [...] }
//
// Labels: forms are found by their English labels (getByLabel), so the order of fields does
// not matter. A step whose page does not exist yet (404 at its URL) is skipped with the
// reason; every other problem fails the step.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readInput, launch, newContext, emit, fail } from './common.mjs';

const input = readInput();
const BASE = input.base.replace(/\/$/, '');
const ORIGINS = [BASE, ...(input.origins || [])];
const report = { steps: [], screenshots: [], focusInvisible: [], foreignRequests: [] };

/// Thrown by a step that cannot run (its page does not exist yet, or a step it needs did
/// not run); anything else thrown fails the step.
class Skip extends Error {}

/// A named sequence of steps; a step records ok, skipped (with the reason) or failed.
class Flow {
  constructor(name) {
    this.name = name;
    this.done = new Set();
  }

  async step(name, fn) {
    const entry = { flow: this.name, name, status: 'ok', detail: '' };
    try {
      const detail = await fn();
      if (typeof detail === 'string') entry.detail = detail;
      this.done.add(name);
    } catch (e) {
      entry.status = e instanceof Skip ? 'skipped' : 'failed';
      entry.detail = String(e && e.message ? e.message : e).slice(0, 600);
    }
    report.steps.push(entry);
    console.error(`[${this.name}] ${name}: ${entry.status}${entry.detail ? ` — ${entry.detail}` : ''}`);
  }

  /// Skips the current step unless the steps `names` succeeded.
  needs(...names) {
    const missing = names.filter((n) => !this.done.has(n));
    if (missing.length > 0) throw new Skip(`needs the step(s) ${missing.join(', ')}`);
  }
}

/// Opens `path`; skips the step when it answers 404 (the page does not exist yet). Returns the
/// response.
async function needPage(page, path) {
  const resp = await page.goto(BASE + path, { waitUntil: 'load' });
  if (resp && resp.status() === 404) throw new Skip(`${path.split('?')[0]} does not exist yet (404)`);
  return resp;
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/// Keyboard-only input: Tab (and Shift+Tab) to move, typing, Space, Enter. No clicks and no
/// programmatic filling. Every element focused on the way must show a visible focus
/// indicator; those that do not are listed in the report.
class Keyboard {
  constructor(page) {
    this.page = page;
  }

  async focusIsOn(locator) {
    return locator.evaluate((el) => el === document.activeElement).catch(() => false);
  }

  async tabTo(locator, max = 200) {
    await locator.waitFor({ state: 'attached' });
    for (let i = 0; i < max; i += 1) {
      if (await this.focusIsOn(locator)) return;
      await this.page.keyboard.press('Tab');
      await this.checkFocusVisible();
    }
    throw new Error(`${locator} not reached with ${max} presses of Tab`);
  }

  async checkFocusVisible() {
    const what = await this.page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      const shadowed = s.boxShadow && s.boxShadow !== 'none';
      if (outlined || shadowed) return null;
      return `${location.pathname} ${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent || el.name || '').trim().slice(0, 40)}"`;
    });
    if (what && !report.focusInvisible.includes(what)) report.focusInvisible.push(what);
  }

  /// Moves to the field and types `text` (after selecting what it held).
  async type(locator, text) {
    await this.tabTo(locator);
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.type(text);
  }

  /// A date, time or datetime-local field set to `iso` (`2030-07-02T19:00`, `2030-07-02` or
  /// `19:00`) as a person types it: Chromium takes the digits segment by segment in the
  /// locale's order (en-US: month, day, year, then hour, minute, AM/PM), moving on after a
  /// full segment; after the year the right arrow key moves on to the hour.
  async typeDate(locator, iso) {
    await this.tabTo(locator);
    const type = await locator.getAttribute('type');
    const [date, time] = iso.includes('T') ? iso.split('T') : iso.includes(':') ? [null, iso] : [iso, null];
    if (type !== 'date' && type !== 'time' && type !== 'datetime-local') {
      await this.page.keyboard.press('ControlOrMeta+a');
      await this.page.keyboard.type(iso.replace('T', ' '));
      return;
    }
    if (date && type !== 'time') {
      const [y, m, d] = date.split('-');
      await this.page.keyboard.type(`${m}${d}${y}`);
      if (type === 'datetime-local') await this.page.keyboard.press('ArrowRight');
    }
    if (time && type !== 'date') {
      const [h, min] = time.split(':').map(Number);
      const h12 = String(((h + 11) % 12) + 1).padStart(2, '0');
      await this.page.keyboard.type(`${h12}${String(min).padStart(2, '0')}${h < 12 ? 'A' : 'P'}`);
    }
  }

  /// A select: type-ahead on the option's text.
  async choose(locator, optionText) {
    await this.tabTo(locator);
    await this.page.keyboard.type(optionText);
  }

  /// A checkbox or radio button: Space.
  async toggle(locator) {
    await this.tabTo(locator);
    await this.page.keyboard.press('Space');
  }

  /// A link or button: Enter, waiting for the navigation it starts.
  async activate(locator) {
    await this.tabTo(locator);
    await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), this.page.keyboard.press('Enter')]);
  }
}

/// Signs in through the form (mouse and keyboard as a person would).
async function signIn(page, user) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Username or e-mail address').fill(user.login);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  expect(!new URL(page.url()).pathname.startsWith('/login'), `still on ${page.url()}`);
}

async function signInKeyboard(browser) {
  const flow = new Flow('signin-keyboard');
  const context = await newContext(browser, { origins: ORIGINS, lang: 'en', foreign: report.foreignRequests });
  const page = await context.newPage();
  await flow.step('sign in with the keyboard alone', async () => {
    await page.goto(`${BASE}/login`);
    const kb = new Keyboard(page);
    // The first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement && document.activeElement.className);
    expect(first === 'skip', `the first Tab reaches "${first}", not the skip link`);
    await kb.checkFocusVisible();
    await kb.type(page.getByLabel('Username or e-mail address'), input.user.login);
    await kb.type(page.getByLabel('Password', { exact: true }), input.user.password);
    await kb.activate(page.getByRole('button', { name: 'Sign in' }));
    expect(!new URL(page.url()).pathname.startsWith('/login'), `still on ${page.url()}`);
    // Every page's navigation now offers to sign out (the error page is a page too).
    await page.goto(`${BASE}/no-such-page`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 5000 });
  });
  await flow.step('a wrong password shows the error summary', async () => {
    const fresh = await newContext(browser, { origins: ORIGINS, lang: 'en', foreign: report.foreignRequests });
    const p = await fresh.newPage();
    await p.goto(`${BASE}/login`);
    const kb = new Keyboard(p);
    await kb.type(p.getByLabel('Username or e-mail address'), input.user.login);
    await kb.type(p.getByLabel('Password', { exact: true }), 'not the password');
    await kb.activate(p.getByRole('button', { name: 'Sign in' }));
    const summary = p.locator('.error-summary[role="alert"]');
    await summary.waitFor({ timeout: 5000 });
    expect((await summary.innerText()).includes('wrong'), `summary: ${await summary.innerText()}`);
    await fresh.close();
  });
  await context.close();
}

/// Screenshots of `screenshots.pages` at 1280x800 and 375x800, as `<name>-<width>.png`. Each
/// page lists candidates `{path, signedIn}`: the first that exists (not 404) is taken, so a
/// page still to come can have a stand-in.
async function screenshots(browser) {
  const flow = new Flow('screenshots');
  const spec = input.screenshots || {};
  mkdirSync(spec.dir, { recursive: true });
  for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 800 }]) {
    const pages = {};
    const pageFor = async (signedIn) => {
      const key = signedIn ? 'member' : 'visitor';
      if (!pages[key]) {
        const context = await newContext(browser, { origins: ORIGINS, lang: spec.lang || 'en', viewport, foreign: report.foreignRequests });
        pages[key] = await context.newPage();
        if (signedIn) await signIn(pages[key], input.user);
      }
      return pages[key];
    };
    for (const shot of spec.pages || []) {
      await flow.step(`${shot.name} at ${viewport.width}px`, async () => {
        let used = null;
        let page = null;
        for (const c of shot.candidates) {
          page = await pageFor(Boolean(c.signedIn));
          const resp = await page.goto(BASE + c.path, { waitUntil: 'load' });
          if (resp && resp.status() !== 404) {
            used = c.path;
            break;
          }
        }
        expect(used, `none of ${shot.candidates.map((c) => c.path).join(', ')} exists`);
        const file = join(spec.dir, `${shot.name}-${viewport.width}.png`);
        await page.screenshot({ path: file, fullPage: Boolean(spec.fullPage) });
        const overflowX = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        report.screenshots.push({ name: shot.name, path: used, file, width: viewport.width, height: viewport.height, overflowX });
        return used;
      });
    }
    for (const p of Object.values(pages)) await p.context().close();
  }
}

/// A small PNG drawn by the browser itself (no file from elsewhere).
async function makePng(context) {
  const page = await context.newPage();
  await page.goto('about:blank');
  const data = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 640;
    c.height = 320;
    const g = c.getContext('2d');
    g.fillStyle = '#0b5c8e';
    g.fillRect(0, 0, 640, 320);
    g.fillStyle = '#fbfbf9';
    g.fillRect(40, 120, 560, 80);
    return c.toDataURL('image/png').split(',')[1];
  });
  await page.close();
  return { name: 'banner.png', mimeType: 'image/png', buffer: Buffer.from(data, 'base64') };
}

/// The first field with a label matching `label` (a RegExp) that is of the given kind.
function field(page, label, kind) {
  const byLabel = page.getByLabel(label);
  return kind ? byLabel.and(page.locator(kind)).first() : byLabel.first();
}

async function fillIfPresent(page, label, value) {
  const f = field(page, label);
  if ((await f.count()) === 0) return false;
  if ((await f.evaluate((el) => el.tagName)) === 'SELECT') await f.selectOption(value);
  else await f.fill(value);
  return true;
}

async function submit(page, name) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name }).first().click()]);
  const status = await page.evaluate(() => document.querySelector('.error-summary') ? document.querySelector('.error-summary').innerText : null);
  expect(!status, `the form was refused: ${status}`);
}

/// Fills the event form (mouse and keyboard) with a weekly series, a banner and its alt text.
async function fillEventForm(page, ev, png) {
  await field(page, /^title/i).fill(ev.title);
  const start = field(page, /^start/i);
  const type = await start.getAttribute('type');
  if (type === 'datetime-local') {
    await start.fill(`${ev.date}T${ev.start}`);
    const end = field(page, /^end/i);
    if ((await end.count()) > 0) await end.fill(`${ev.date}T${ev.end}`);
  } else {
    await start.fill(type === 'date' ? ev.date : `${ev.date}T${ev.start}`);
    await fillIfPresent(page, /^start(ing)? time/i, ev.start);
    await fillIfPresent(page, /^end(ing)? time/i, ev.end);
  }
  await fillIfPresent(page, /time ?zone/i, ev.timezone);
  const repeat = field(page, /repeat|recurrence/i, 'select');
  if ((await repeat.count()) > 0) {
    const options = await repeat.locator('option').allTextContents();
    const weekly = options.find((o) => /week/i.test(o));
    expect(weekly, `no weekly choice among ${options.join(' | ')}`);
    await repeat.selectOption({ label: weekly });
  }
  await fillIfPresent(page, /^(city|town|place|venue|location)/i, ev.place);
}

/// On an event's edit page: uploads the banner with its alt text.
async function addBanner(page, ev, png) {
  const form = page.locator('form', { has: page.locator('input[type=file]') }).first();
  await form.locator('input[type=file]').setInputFiles(png);
  await form.getByLabel(/alt/i).fill(ev.bannerAlt);
  await submit(page, /save banner/i);
}

async function scenario(browser) {
  const flow = new Flow('scenario');
  const sc = input.scenario;
  const state = { orgPath: sc.existing.orgPath, eventPath: sc.existing.eventPath, projectPath: sc.existing.projectPath };
  const context = await newContext(browser, { origins: ORIGINS, lang: 'en', foreign: report.foreignRequests });
  const page = await context.newPage();
  const png = await makePng(context);
  await flow.step('sign in', () => signIn(page, input.user));

  await flow.step('create an organization', async () => {
    flow.needs('sign in');
    await needPage(page, '/manage/orgs/new');
    await field(page, /^name/i).fill(sc.org.name);
    await fillIfPresent(page, /handle|slug|short name|address/i, sc.org.slug);
    await fillIfPresent(page, /summary|description/i, sc.org.summary);
    await submit(page, /create|save/i);
    const resp = await page.goto(`${BASE}/orgs/${sc.org.slug}`);
    expect(resp.status() === 200, `/orgs/${sc.org.slug}: ${resp.status()}`);
    state.orgPath = `/orgs/${sc.org.slug}`;
  });

  await flow.step('import a project from publiccode.yml', async () => {
    flow.needs('create an organization');
    await needPage(page, `/manage/orgs/${sc.org.slug}/projects/new`);
    const form = page.locator('form', { has: page.locator('input[type=file]') }).first();
    await form.locator('input[type=file]').setInputFiles(sc.publiccodePath);
    const slug = form.getByLabel(/short name/i);
    if ((await slug.count()) > 0) await slug.first().fill(sc.projectSlug);
    await submit(page, /import/i);
    const resp = await page.goto(`${BASE}/projects/${sc.projectSlug}`);
    expect(resp.status() === 200, `/projects/${sc.projectSlug}: ${resp.status()}`);
    state.projectPath = `/projects/${sc.projectSlug}`;
  });

  await flow.step('create a weekly event with a banner and alt text', async () => {
    flow.needs('create an organization');
    await needPage(page, `/manage/orgs/${sc.org.slug}/events/new`);
    await fillEventForm(page, sc.event, png);
    await submit(page, /publish|create|save/i);
    const made = new URL(page.url()).pathname.match(/\/events\/(\d+)/);
    expect(made, `after publishing: ${page.url()}`);
    await addBanner(page, sc.event, png);
    state.eventPath = `/events/${made[1]}`;
    await page.goto(BASE + state.eventPath);
    const banner = page.locator(`img[alt="${sc.event.bannerAlt}"]`);
    expect((await banner.count()) > 0, 'the event page shows no banner with its alt text');
  });

  await flow.step('create an event with the keyboard alone', async () => {
    flow.needs('create an organization');
    await needPage(page, `/manage/orgs/${sc.org.slug}/events/new`);
    const kb = new Keyboard(page);
    const ev = sc.keyboardEvent;
    await kb.type(field(page, /^title/i), ev.title);
    const startTime = field(page, /^start time/i);
    if ((await startTime.count()) > 0) {
      await kb.typeDate(field(page, /^start date/i), ev.date);
      await kb.typeDate(startTime, ev.start);
      await kb.typeDate(field(page, /^end time/i), ev.end);
    } else {
      await kb.typeDate(field(page, /^start/i), `${ev.date}T${ev.start}`);
      const end = field(page, /^end/i);
      if ((await end.count()) > 0) await kb.typeDate(end, `${ev.date}T${ev.end}`);
    }
    await kb.activate(page.getByRole('button', { name: /publish|create|save/i }).first());
    const made = new URL(page.url()).pathname.match(/\/events\/(\d+)/);
    expect(made, `after publishing: ${page.url()}`);
    await page.goto(`${BASE}/events/${made[1]}`);
    expect((await page.locator('h1').innerText()).includes(ev.title), 'the new event page shows its title');
  });

  await flow.step('publish an announcement with an image', async () => {
    flow.needs('create an organization');
    await needPage(page, `/manage/orgs/${sc.org.slug}/announcements/new`);
    await field(page, /text|content|markdown|message/i, 'textarea').fill(sc.announcement.text);
    await field(page, /image/i, 'input[type=file]').setInputFiles(png);
    await field(page, /(alt|alternative|image description)/i, ':not([type=file])').fill(sc.announcement.imageAlt);
    await submit(page, /publish/i);
    const org = await page.goto(`${BASE}/orgs/${sc.org.slug}`);
    expect(org.status() === 200, `org page ${org.status()}`);
    const link = page.locator('main a[href*="/announcements/"]').first();
    expect((await link.count()) > 0, 'the organization page links the announcement');
    await Promise.all([page.waitForNavigation(), link.click()]);
    const img = page.locator(`img[alt="${sc.announcement.imageAlt}"]`);
    expect((await img.count()) > 0, `the announcement page ${page.url()} shows the image with its alt text`);
  });

  await flow.step('the public pages in both languages', async () => {
    const paths = [state.orgPath, state.eventPath, state.projectPath].filter(Boolean);
    for (const lang of ['de', 'en']) {
      const visitor = await newContext(browser, { origins: ORIGINS, lang, foreign: report.foreignRequests });
      const p = await visitor.newPage();
      for (const path of paths) {
        const resp = await p.goto(BASE + path);
        expect(resp.status() === 200, `${path} [${lang}]: ${resp.status()}`);
        const htmlLang = await p.evaluate(() => document.documentElement.lang);
        expect(htmlLang === lang, `${path}: lang="${htmlLang}", asked for ${lang}`);
        expect((await p.locator('h1').count()) === 1, `${path} [${lang}]: not exactly one h1`);
        // A page on the layout (it has the skip link) shows its navigation in the language.
        if ((await p.locator('a.skip').count()) > 0) {
          const nav = await p.getByRole('navigation').first().innerText();
          const word = lang === 'de' ? 'Kalender' : 'Calendar';
          expect(nav.includes(word), `${path} [${lang}]: navigation "${nav}" lacks ${word}`);
        }
      }
      await visitor.close();
    }
    return paths.join(' ');
  });

  await flow.step('search finds the organization, event, project and announcement', async () => {
    await needPage(page, `/search?q=${encodeURIComponent(sc.searchWord)}`);
    for (const path of [state.orgPath, state.eventPath].filter(Boolean)) {
      const link = page.locator(`main a[href$="${path}"]`);
      expect((await link.count()) > 0, `searching "${sc.searchWord}" does not link ${path}`);
    }
    const text = await page.locator('main').innerText();
    expect(text.includes(sc.announcement.searchText), `searching "${sc.searchWord}" does not show the announcement`);
    // The imported project, by a word of its German description (stemmed: "Portal").
    if (state.projectPath) {
      await page.goto(`${BASE}/search?q=${encodeURIComponent(sc.projectSearchWord)}`);
      const link = page.locator(`main a[href$="${state.projectPath}"]`);
      expect((await link.count()) > 0, `searching "${sc.projectSearchWord}" does not link ${state.projectPath}`);
    }
  });

  await flow.step("the follow dialog sends a handle to the peer's subscribe template", async () => {
    const target = state.eventPath;
    await needPage(page, `/interact?uri=${encodeURIComponent(BASE + target)}`);
    await page.goto(BASE + target);
    const link = page.locator('a[href^="/interact"]').first();
    expect((await link.count()) > 0, `${target} has no follow/interact link`);
    await Promise.all([page.waitForNavigation(), link.click()]);
    await field(page, /handle|address|account/i, 'input:not([readonly])').fill(sc.peer.handle);
    await Promise.all([page.waitForURL((u) => u.toString().startsWith(sc.peer.subscribePrefix), { timeout: 15000 }), page.locator('main').getByRole('button').last().click()]);
    const uri = new URL(page.url()).searchParams.get('uri') || '';
    expect(uri.startsWith(BASE), `the peer got uri=${uri}`);
    return page.url();
  });
  await context.close();
}

/// The keyboard helper on a form the test serves (`input.selftest.path`): a text field, a
/// datetime-local field, a select and a checkbox, sent with Enter on the button.
async function keyboardSelftest(browser) {
  const flow = new Flow('keyboard-selftest');
  const t = input.selftest;
  const context = await newContext(browser, { origins: ORIGINS, lang: 'en', foreign: report.foreignRequests });
  const page = await context.newPage();
  await flow.step('fill and send a form with the keyboard alone', async () => {
    await page.goto(BASE + t.path);
    const kb = new Keyboard(page);
    await kb.type(page.getByLabel('Title'), t.title);
    await kb.typeDate(page.getByLabel('Start'), t.start);
    await kb.choose(page.getByLabel('Repeat'), t.repeat);
    await kb.toggle(page.getByLabel('Online'));
    await kb.activate(page.getByRole('button', { name: 'Publish' }));
    expect((await page.locator('h1').innerText()) === 'Received', `after sending: ${page.url()}`);
  });
  await context.close();
}

async function main() {
  const browser = await launch();
  try {
    const flows = input.flows || [];
    if (flows.includes('signin-keyboard')) await signInKeyboard(browser);
    if (flows.includes('keyboard-selftest')) await keyboardSelftest(browser);
    if (flows.includes('screenshots')) await screenshots(browser);
    if (flows.includes('scenario')) await scenario(browser);
  } finally {
    await browser.close();
  }
  emit(report);
}

main().catch(fail);
