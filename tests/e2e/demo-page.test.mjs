// The demo host page's own behaviour (www/demo.js) under its CSP: the event log, the
// theme switch (a property set on the element), and the demo user kept across reloads
// (so a reload or a token renewal doesn't lose the user's connections).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, waitForEvent, ARTIFACTS } from './browser.mjs';

test('the demo page logs events, switches theme and keeps its demo user', { timeout: 90000 }, async () => {
  const browser = await launch();
  try {
    const { page, errors } = await openPage(browser, '/', { record: true });
    const w = page.locator('tally-connect');
    await waitForEvent(page, 'tally:ready');
    const log = page.locator('#event-log li');
    await log.filter({ hasText: 'tally:ready' }).waitFor({ timeout: 15000 });
    assert.match(await log.first().innerText(), /^\d\d:\d\d:\d\d\.\d{3} tally:ready \{"connections":0\}$/);

    await page.locator('#theme-toggle').click();
    await w.locator('.tally-app[data-theme="dark"]').waitFor({ timeout: 15000 });
    assert.equal(await page.locator('#theme-toggle').getAttribute('aria-pressed'), 'true');
    await page.screenshot({ path: `${ARTIFACTS}demo-page-dark.png`, fullPage: true });

    await page.locator('#clear-log').click();
    assert.equal(await log.count(), 0);

    const user = page.locator('#demo-user');
    const first = await user.getAttribute('title');
    assert.ok(first, 'the demo user is shown once a token arrived');
    await page.reload();
    await waitForEvent(page, 'tally:ready');
    await page.waitForFunction((u) => document.getElementById('demo-user')?.title === u, first, { timeout: 15000 });

    await page.locator('#new-user').click();
    await page.waitForFunction((u) => { const t = document.getElementById('demo-user')?.title; return t && t !== u; }, first, { timeout: 15000 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test("the host's --tally-* colours apply in the dark theme too", { timeout: 60000 }, async () => {
  // demo.css sets --tally-accent on tally-connect for each theme (Pennywise's greens).
  const browser = await launch();
  try {
    const { page } = await openPage(browser, '/', { record: true });
    await waitForEvent(page, 'tally:ready');
    const accent = () => page.locator('tally-connect').evaluate((el) => {
      const app = el.shadowRoot.querySelector('.tally-app');
      return getComputedStyle(app).getPropertyValue('--tally-accent').trim();
    });
    assert.equal(await accent(), '#0b6b4f', 'light theme');
    await page.locator('#theme-toggle').click();
    await page.locator('tally-connect .tally-app[data-theme="dark"]').waitFor({ timeout: 15000 });
    assert.equal(await accent(), '#3fb68b', 'dark theme: the host set it on the element, the widget must not override it');
  } finally {
    await browser.close();
  }
});
