// Shared set-up for the end-to-end tests: Debian's Chromium driven by playwright-core
// against the real server xtask started (its URL in TALLY_E2E_URL).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const BASE = process.env.TALLY_E2E_URL ?? 'http://127.0.0.1:8080';
export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

/** Every event the widget dispatches (see www/tally-connect.d.ts). */
export const TALLY_EVENTS = ['tally:ready', 'tally:connection-created', 'tally:job-step', 'tally:connected',
  'tally:refresh-complete', 'tally:error', 'tally:exit', 'tally:filter-change'];

/** Launches headless Chromium with the flags this machine needs (root, closed network). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A page that fails the test on any uncaught error in the page. With `record`, every
 * tally:* event reaching the document (they bubble and are composed) is kept in
 * `window.__tallyEvents` as `{name, detail, t}`, from before the page's own scripts run,
 * and every CSP violation in `window.__cspViolations` (see cspViolations). `pages` maps
 * paths to HTML served in place of the server's answer (a host page of the test's own,
 * on the server's origin).
 */
export async function openPage(browser, path = '/', { record = false, viewport, pages = {}, origin = BASE, before } = {}) {
  const page = await browser.newPage(viewport ? { viewport } : {});
  for (const [p, html] of Object.entries(pages)) {
    await page.route(BASE + p, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  }
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (record) {
    await page.addInitScript((names) => {
      window.__tallyEvents = [];
      // What the page's CSP blocked (inline style attributes in the shadow root, …).
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        const el = e.composedPath()[0];
        const cls = el instanceof Element ? (el.getAttribute('class') ?? '').trim().split(/\s+/).filter(Boolean).map((c) => `.${c}`).join('') : '';
        const element = el instanceof Element ? `${el.tagName.toLowerCase()}${cls}` : String(el?.nodeName ?? '');
        window.__cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, element });
      }, true);
      for (const name of names) {
        document.addEventListener(name, (e) => {
          window.__tallyEvents.push({ name, detail: JSON.parse(JSON.stringify(e.detail ?? null)), t: performance.now() });
        }, true);
      }
    }, TALLY_EVENTS);
  }
  // Listeners and routes that must be in place before the page loads.
  await before?.(page, errors);
  await page.goto(origin + path);
  return { page, errors };
}

/** The events recorded so far (see openPage's `record`), optionally only those named. */
export async function events(page, name) {
  const all = await page.evaluate(() => window.__tallyEvents ?? []);
  return name ? all.filter((e) => e.name === name) : all;
}

/** Polls `read()` until `ok(value)`; returns the value (no fixed sleeps as assertions). */
export async function until(read, ok, what, timeout = 30000) {
  const t0 = Date.now();
  let v;
  for (;;) {
    v = await read();
    if (ok(v)) return v;
    if (Date.now() - t0 > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until an event satisfying `pred(detail)` was recorded; returns its detail. */
export async function waitForEvent(page, name, pred = () => true, timeout = 30000) {
  const t0 = Date.now();
  for (;;) {
    const hit = (await events(page, name)).find((e) => pred(e.detail));
    if (hit) return hit.detail;
    if (Date.now() - t0 > timeout) {
      const seen = (await events(page)).map((e) => `${e.name} ${JSON.stringify(e.detail)}`).join('\n  ');
      throw new Error(`no ${name} event matching within ${timeout} ms; events so far:\n  ${seen}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the page's Content-Security-Policy blocked so far (needs openPage's `record`). */
export function cspViolations(page) {
  return page.evaluate(() => window.__cspViolations ?? []);
}

/** The text inside the first <tally-connect>'s shadow root. */
export function widgetText(page, selector = 'tally-connect') {
  return page.evaluate((s) => document.querySelector(s)?.shadowRoot?.textContent ?? '', selector);
}
