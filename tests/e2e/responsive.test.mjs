// The widget on a phone, and for everyone: a new user's journey through
// every view and state (search, way choice, credentials with errors, failure, job
// progress and MFA, connected, connections, expenses without and with data, the
// filters opened, statement upload and a refused file), on two hosts:
// - a plain page that keeps the widget's default colours, its <tally-connect> in a
//   column whose width the test sets (a host may give it 320 px on a wide screen);
// - the demo page (Pennywise), which overrides --tally-accent for each theme.
// At every state: nothing inside the widget is wider than its host at 320, 360 and
// 414 px (nor in a 320 px column at 1280 px), touch targets are at least 24 px and the
// main actions 44 px, and axe-core finds no WCAG 2.1 A/AA violation in light and dark
// at 360 and 1280 px. On the way: focus stays in the widget when a keyboard user's
// control goes away with its view, the live region announces the connection, and the
// in-progress spinner stops under prefers-reduced-motion. Problems are collected over the whole journey and reported
// together, so one run shows all of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, waitForEvent, ARTIFACTS } from './browser.mjs';
import { axeViolations, focusRing, measureFit, smallTargets } from './fit.mjs';

const WAIT = 30000;
const PHONES = [320, 360, 414];
const AXE_WIDTHS = [360, 1280];
/** The main actions: at least 44 × 44 px (WCAG 2.5.5's size), everything else 24. */
const MAIN_ACTIONS = 'button.primary, [role=tab], button.add, button.refresh-all, button.filters-toggle, button.way';

/** A host page of the kind the README shows, with no --tally-* overrides. */
const PLAIN_HOST = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A plain host</title>
<style>body { margin: 0; padding: 8px; font-family: sans-serif; } body.dark { background: #010409; color: #e6edf3; }</style>
<script type="module" src="/www/tally-connect.js"></script></head>
<body><main id="column"><h1>Your bank</h1><tally-connect id="tally" api-base="/"></tally-connect></main>
<script type="module">
  let user = null;
  document.getElementById('tally').getToken = async () => {
    const res = await fetch('/demo/token' + (user ? '?user=' + user : ''), { method: 'POST' });
    const token = await res.json();
    user = token.user_id;
    return token;
  };
</script></body></html>`;

const HOSTS = {
  plain: {
    path: '/e2e-plain-host.html',
    column: true,
    setTheme: (page, dark) => page.evaluate((dark) => {
      document.getElementById('tally').theme = dark ? 'dark' : 'light';
      document.body.classList.toggle('dark', dark);
    }, dark),
  },
  demo: {
    path: '/',
    column: false,
    setTheme: async (page, dark) => {
      if ((await page.locator('#theme-toggle').getAttribute('aria-pressed')) !== String(dark)) await page.locator('#theme-toggle').click();
    },
  },
};

const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Every check of one state; each problem is a line in `problems`. */
async function sweep(page, host, state, problems, widths) {
  const w = page.locator('tally-connect');
  const say = (where, line) => problems.push(`${host.name} · ${state} · ${where}: ${line}`);
  const fitAt = async (where) => {
    await settle(page);
    const fit = await measureFit(page);
    widths.push({ host: host.name, state, where, host_px: fit.host, root_px: fit.root, root_scroll_px: fit.rootScroll, outside: fit.outside.length });
    for (const o of fit.outside.slice(0, 8)) say(where, `${o.el} sticks out ${o.over} px (width ${o.width}, host ${fit.host})`);
    if (fit.outside.length > 8) say(where, `… ${fit.outside.length - 8} more elements stick out`);
    for (const s of fit.sideways) say(where, `${s.el} scrolls sideways (${s.scrollWidth} in ${s.clientWidth})`);
    if (fit.hostRight > fit.viewport + 0.5) say(where, `the widget pushes its host ${Math.round(fit.hostRight - fit.viewport)} px past the window's right edge`);
    if (host.column && fit.pageScrollsSideways) say(where, 'the page scrolls sideways');
  };
  await host.setTheme(page, false);
  for (const width of PHONES) {
    await page.setViewportSize({ width, height: 740 });
    await fitAt(`${width}px`);
    for (const t of await smallTargets(page, 24)) say(`${width}px`, `target under 24 px: ${t}`);
    for (const t of await smallTargets(page, 44, MAIN_ACTIONS)) say(`${width}px`, `main action under 44 px: ${t}`);
  }
  if (host.column) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => { document.getElementById('column').style.width = '320px'; });
    await fitAt('320px column at 1280px');
    await page.evaluate(() => { document.getElementById('column').style.width = ''; });
  }
  for (const width of AXE_WIDTHS) {
    await page.setViewportSize({ width, height: width < 600 ? 740 : 900 });
    for (const dark of [false, true]) {
      await host.setTheme(page, dark);
      await w.locator(`.tally-app[data-theme="${dark ? 'dark' : 'light'}"]`).waitFor({ timeout: WAIT });
      await settle(page);
      for (const v of await axeViolations(page)) say(`${width}px ${dark ? 'dark' : 'light'}`, v);
    }
  }
  await host.setTheme(page, false);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: `${ARTIFACTS}responsive-${host.name}-${state.replace(/[^a-z0-9]+/gi, '-')}.png`, fullPage: true }).catch(() => {});
}

/** A new user's way through the widget, checking each state on the way. */
async function journey(page, host, check, problem) {
  const w = page.locator('tally-connect');
  const flow = w.locator('section.connect-flow');
  /** After a keyboard user's action removed the control they were on, focus is still in the widget. */
  const focusKept = async (after) => {
    await settle(page);
    const where = await page.evaluate(() => document.querySelector('tally-connect').shadowRoot.activeElement?.tagName ?? `outside, on ${document.activeElement?.tagName}`);
    if (where.startsWith('outside')) problem(`focus lost after ${after} (${where})`);
  };
  const liveRegion = () => page.evaluate(() => document.querySelector('tally-connect').shadowRoot.querySelector('[role=status][aria-live=polite]')?.textContent ?? '');
  await w.locator('#bank-search').waitFor({ timeout: WAIT });
  await w.locator('#bank-search').fill('bank');
  await w.locator('li[role=option]').first().waitFor({ timeout: WAIT });
  await check('search');
  // The focus ring, reached by keyboard (the arrow keys move between tabs), in each theme.
  for (const dark of [false, true]) {
    await host.setTheme(page, dark);
    await w.locator('#tab-connections').focus();
    await page.keyboard.press('ArrowRight');
    const ring = await focusRing(page);
    await page.keyboard.press('ArrowLeft');
    const theme = dark ? 'dark' : 'light';
    console.log(`${host.name} host, ${theme}: focus ring ${JSON.stringify(ring)}`);
    if (!ring || ring.style === 'none' || ring.width < 2) problem(`${theme}: no 2 px focus ring on the focused tab: ${JSON.stringify(ring)}`);
    else if (ring.ratio < 3) problem(`${theme}: focus ring ${ring.color} on ${ring.behind} is ${ring.ratio.toFixed(2)}:1, under 3:1`);
  }
  await host.setTheme(page, false);

  await w.locator('#tab-expenses').click();
  await w.locator('.expenses .empty').waitFor({ timeout: WAIT });
  await check('expenses without data');
  await w.locator('#tab-connections').click();

  await w.locator('#bank-search').fill('Hooli');
  await w.locator('li[role=option][data-id="AU00000"]').click();
  await w.locator('#cred-login').waitFor({ timeout: WAIT });
  await flow.locator('form.credentials button[type=submit]').click();
  await flow.locator('input[aria-invalid="true"]').first().waitFor({ timeout: WAIT });
  await check('credentials with errors');

  await w.locator('#cred-login').fill('bighead');
  await w.locator('#cred-password').fill('password');
  await flow.locator('form.credentials button[type=submit]').click();
  await flow.locator('form.credentials [data-code="invalid-credentials"]').waitFor({ timeout: WAIT });
  await check('failure');

  await w.locator('#cred-login').fill('gavinBelson');
  await w.locator('#cred-password').fill('hooli2016');
  await flow.locator('form.credentials button[type=submit]').press('Enter');
  await flow.locator('.end.success').waitFor({ timeout: WAIT });
  await focusKept('Connect (the form gave way to the progress)');
  const said = await liveRegion();
  if (!/Hooli/.test(said)) problem(`the live region did not announce the connection: "${said}"`);
  await check('job progress, connected');
  await flow.locator('.end.success button').press('Enter');
  await w.locator('li.connection[data-status="active"]').waitFor({ timeout: WAIT });
  await focusKept('Done (the connect flow closed)');
  await check('connections');

  await w.locator('#tab-expenses').click();
  await w.locator('.tx-row').first().waitFor({ timeout: WAIT });
  await check('expenses with data');
  await page.setViewportSize({ width: 360, height: 740 });
  const toggle = w.locator('button.filters-toggle');
  if (await toggle.isVisible()) {
    await toggle.click();
    await w.locator('.filters input[type=search]').waitFor({ timeout: WAIT });
    await check('expenses, filters opened on a phone');
  } else {
    problem('expenses at 360px: no "Filters" disclosure button');
  }
  await w.locator('#tab-connections').click();

  await w.locator('button.add').click();
  await w.locator('#bank-search').fill('Pied');
  await w.locator('li[role=option][data-id="AU00001"]').click();
  await w.locator('#cred-login').fill('gavinBelson');
  await w.locator('#cred-password').fill('hooli2016');
  await flow.locator('form.credentials button[type=submit]').click();
  await flow.locator('form.mfa input').first().waitFor({ timeout: WAIT });
  // The challenge step is in progress: its spinner turns, unless the user asked for less motion.
  const animations = () => page.evaluate(() => document.querySelector('tally-connect').shadowRoot.getAnimations().length);
  if ((await flow.locator('li.step[data-status="in-progress"]').count()) === 0) problem('no step in progress while the bank waits for the code');
  else if ((await animations()) === 0) problem('the in-progress step shows no motion at all (is the spinner gone?)');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await settle(page);
  if ((await animations()) > 0) problem(`${await animations()} animation(s) run under prefers-reduced-motion: reduce`);
  await page.emulateMedia({ reducedMotion: null });
  await check('job progress, MFA');
  await flow.locator('form.mfa input').first().fill('1234');
  await flow.locator('form.mfa button[type=submit]').press('Enter');
  await flow.locator('.end.success').waitFor({ timeout: WAIT });
  await focusKept('sending the code (the MFA form left)');
  await flow.locator('.end.success button').click();

  await w.locator('button.add').click();
  await w.locator('#bank-search').fill('Commonwealth');
  await w.locator('li[role=option][data-id="AU10001"]').click();
  await w.locator('.drop-zone, ul.ways').first().waitFor({ timeout: WAIT });
  if (await w.locator('ul.ways').count()) {
    await check('way choice');
    await w.locator('button.way').last().click();
  }
  await w.locator('.drop-zone').waitFor({ timeout: WAIT });
  await check('statement upload');
  // A file that is not a statement: refused, with what to do next.
  await w.locator('input#statement-file').setInputFiles({ name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('Shopping list\r\nmilk, eggs\r\n') });
  await flow.locator('.upload [role=alert], .end.failed').first().waitFor({ timeout: WAIT });
  await check('statement refused');
  if (await flow.locator('.end.failed').count()) {
    await flow.locator('.end.failed button.primary').click();
    await w.locator('.drop-zone').waitFor({ timeout: WAIT });
  }
  await flow.locator('.upload .actions button').first().press('Enter');
  await w.locator('.drop-zone').waitFor({ state: 'detached', timeout: WAIT });
  await focusKept('Back (the upload screen left)');
}

for (const [name, host] of Object.entries(HOSTS)) {
  test(`on the ${name} host every view fits 320 to 414 px and axe finds no WCAG 2.1 AA violation in either theme`, { timeout: 300000 }, async () => {
    const browser = await launch();
    try {
      const pages = host.path === '/' ? {} : { [host.path]: PLAIN_HOST };
      const { page, errors } = await openPage(browser, host.path, { record: true, viewport: { width: 360, height: 740 }, pages });
      await waitForEvent(page, 'tally:ready');
      const problems = [];
      const widths = [];
      const t0 = Date.now();
      await journey(page, { ...host, name }, (state) => sweep(page, { ...host, name }, state, problems, widths), (line) => problems.push(`${name} · ${line}`));
      console.log(`${name} host: checked in ${((Date.now() - t0) / 1000).toFixed(1)} s; widths:\n${widths.map((x) => `  ${x.state} @ ${x.where}: host ${x.host_px}, root ${x.root_px} (scroll ${x.root_scroll_px}), ${x.outside} outside`).join('\n')}`);
      assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.join('\n')}`);
      assert.deepEqual(errors, [], 'no uncaught errors in the page');
    } finally {
      await browser.close();
    }
  });
}
