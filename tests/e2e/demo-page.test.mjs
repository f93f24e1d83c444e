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

test('the filters property: set early, read back, kept across a move, refused when invalid', { timeout: 90000 }, async () => {
  const browser = await launch();
  try {
    const { page, errors } = await openPage(browser, '/', { record: true });
    await waitForEvent(page, 'tally:ready');
    const result = await page.evaluate(async () => {
      const el = document.querySelector('tally-connect');
      const out = {};
      el.filters = { categories: ['groceries'], status: 'posted' };
      out.read = el.filters.categories;
      // Moving the element disconnects and reconnects it: the widget remounts.
      const moved = new Promise((resolve) => el.addEventListener('tally:ready', resolve, { once: true }));
      el.parentElement.appendChild(el);
      await moved;
      out.afterMove = [el.filters.categories, el.filters.status];
      try { el.filters = { colour: 'red' }; out.thrown = null; } catch (e) { out.thrown = String(e.message); }
      out.unchanged = el.filters.categories;
      // Invalid filters set before the element mounts arrive as a tally:error.
      const early = document.createElement('tally-connect');
      early.setAttribute('api-base', el.getAttribute('api-base') ?? '/');
      early.filters = { colour: 'red' };
      const error = new Promise((resolve) => early.addEventListener('tally:error', (e) => resolve(e.detail), { once: true }));
      document.body.appendChild(early);
      out.earlyError = await Promise.race([error, new Promise((r) => setTimeout(() => r('no tally:error'), 20000))]);
      early.remove();
      return out;
    });
    assert.deepEqual(result.read, ['groceries']);
    assert.deepEqual(result.afterMove, [['groceries'], 'posted'], 'the filters survive the move');
    assert.match(result.thrown ?? '', /colour/, 'a misspelt field is named');
    assert.deepEqual(result.unchanged, ['groceries'], 'an invalid object changes nothing');
    assert.equal(result.earlyError?.code, 'invalid-filters', JSON.stringify(result.earlyError));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
