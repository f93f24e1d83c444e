// Shared set-up for the end-to-end tests: Debian's Chromium driven by playwright-core
// against the real server xtask started (its URL in TALLY_E2E_URL).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const BASE = process.env.TALLY_E2E_URL ?? 'http://127.0.0.1:8080';
export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

/** Launches headless Chromium with the flags this machine needs (root, closed network). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that fails the test on any uncaught error in the page. */
export async function openPage(browser, path = '/') {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(BASE + path);
  return { page, errors };
}

/** The text inside the first <tally-connect>'s shadow root. */
export function widgetText(page, selector = 'tally-connect') {
  return page.evaluate((s) => document.querySelector(s)?.shadowRoot?.textContent ?? '', selector);
}
