// Statement upload end to end, on the demo page served by the real server (xtask starts
// it with --demo on a fresh SQLite file): the real widget uploads the demo's own sample
// CommBank CSV (www/samples/commbank-sample.csv) through its file input, the job's three
// steps run on the server, and the file's merchants show in Expenses; a broken file is
// refused with its line, and uploading the same file again adds nothing. Screenshots in
// tests/e2e/artifacts/statement-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, events, waitForEvent, until, ARTIFACTS } from './browser.mjs';

const WAIT = 30000;
const STEPS = ['verify-credentials', 'retrieve-accounts', 'retrieve-transactions'];
const SAMPLE = new URL('../../www/samples/commbank-sample.csv', import.meta.url).pathname;
const sample = readFileSync(SAMPLE, 'latin1');
/** The sample's rows with NETFLIX.COM in their description (one a month). */
const NETFLIX_ROWS = sample.split('\n').filter((l) => l.includes('NETFLIX.COM')).length;

test('a CommBank CSV uploaded through the widget shows its steps, then its merchants in Expenses', { timeout: 150000 }, async () => {
  assert.ok(NETFLIX_ROWS >= 3, 'the sample has a monthly subscription');
  const browser = await launch();
  try {
    const { page, errors } = await openPage(browser, '/', { record: true, viewport: { width: 1280, height: 1000 } });
    const w = page.locator('tally-connect');
    const flow = w.locator('section.connect-flow');
    const shot = (name) => page.screenshot({ path: `${ARTIFACTS}statement-${name}.png`, fullPage: true }).catch(() => {});
    await waitForEvent(page, 'tally:ready');

    // The demo page offers the sample, and the server serves it as it is in the repository.
    const href = await page.locator('#try-a-statement a[href$="commbank-sample.csv"]').getAttribute('href');
    const served = await page.evaluate(async (u) => (await fetch(u)).text(), href);
    assert.equal(served.replace(/\r/g, ''), sample.replace(/\r/g, ''));

    // A statement-only bank goes straight to the file.
    await w.locator('#bank-search').fill('CommBank');
    await w.locator('li[role=option][data-id="AU10001"]').click();
    await w.locator('label[for="statement-file"]').waitFor({ timeout: WAIT });
    assert.equal(await w.locator('#cred-login').count(), 0);

    // A broken file first (the sample's first 20 rows, line 14's date impossible): refused
    // on the line that is wrong, and another can be picked.
    const lines = sample.split('\r\n').slice(0, 20);
    lines[13] = lines[13].replace(/^"\d\d\/\d\d\/\d{4}"/, '"32/13/2026"');
    await w.locator('input#statement-file').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n', 'latin1') });
    const refused = await waitForEvent(page, 'tally:error', (d) => d.code === 'statement-not-readable');
    assert.match(refused.message, /line 14\b/, 'the detail names the line');
    assert.match(refused.message, /32\/13\/2026/, 'and what is wrong on it');
    await flow.locator('.upload .error[data-code="statement-not-readable"]').waitFor({ timeout: WAIT });
    assert.match(await flow.locator('.upload .error').innerText(), /line 14\b/);
    await shot('01-refused');

    // The refused upload announced a connection too (it was removed when its job
    // failed): the sample's is the one announced after it.
    const announced = (await events(page, 'tally:connection-created')).length;
    await w.locator('input#statement-file').setInputFiles(SAMPLE);
    const created = await until(
      async () => (await events(page, 'tally:connection-created')).slice(announced).map((e) => e.detail).find((d) => d.method === 'statement'),
      Boolean,
      'tally:connection-created for the sample',
    );
    assert.equal(created.institutionId, 'AU10001');
    await flow.locator('.end.success').waitFor({ timeout: WAIT });
    await shot('02-imported');
    const shown = await flow.locator('li.step').evaluateAll((els) => els.map((e) => [e.dataset.step, e.dataset.status]));
    assert.deepEqual(shown, STEPS.map((s) => [s, 'success']));
    const succeeded = (await events(page, 'tally:job-step')).filter((e) => e.detail.jobId === created.jobId && e.detail.status === 'success').map((e) => e.detail.step);
    assert.deepEqual(succeeded, STEPS, 'the three steps succeeded in order');
    const connected = await waitForEvent(page, 'tally:connected', (d) => d.jobId === created.jobId);
    assert.equal(connected.method, 'statement');
    assert.ok(connected.connectionId, 'tally:connected names the connection');
    assert.equal(connected.connectionId, created.connectionId);

    // Connections: the new one came from a file.
    await flow.locator('.end.success button').click();
    const row = w.locator(`li.connection[data-id="${connected.connectionId}"][data-method="statement"]`);
    await row.waitFor({ timeout: WAIT });
    assert.match(await row.innerText(), /Commonwealth Bank of Australia[\s\S]*From a statement file/);
    assert.equal(await row.locator('button.refresh').count(), 0, 'nothing to refresh');

    // Expenses: the file's own merchants.
    await w.locator('#tab-expenses').click();
    const count = () => w.locator('.totals dd.count').evaluate((el) => Number(el.textContent)).catch(() => NaN);
    const all = await until(count, (n) => n > 0, 'the file\'s transactions in Expenses');
    await until(() => w.locator('.tx-scroll').innerText().catch(() => ''), (t) => /WOOLWORTHS|COLES|UBER/.test(t), 'the file\'s merchants in the list');
    await w.locator('.filters label.field.search input').fill('NETFLIX');
    assert.equal(await until(count, (n) => n === NETFLIX_ROWS, 'the NETFLIX.COM rows'), NETFLIX_ROWS);
    await shot('03-expenses');
    await w.locator('.filters label.field.search input').fill('');
    await until(count, (n) => n === all, 'every transaction again');

    // The same file again, as a newer statement: the same connection, nothing added.
    await w.locator('#tab-connections').click();
    await row.locator('button.newer-statement').click();
    await w.locator('input#statement-file').setInputFiles(SAMPLE);
    await flow.locator('.end.success').waitFor({ timeout: WAIT });
    const again = (await events(page, 'tally:connected')).at(-1).detail;
    assert.equal(again.connectionId, connected.connectionId);
    await flow.locator('.end.success button').click();
    assert.equal(await w.locator('li.connection').count(), 1);
    await w.locator('#tab-expenses').click();
    assert.equal(await until(count, (n) => n > 0, 'Expenses after the re-upload'), all, 're-uploading the same file adds nothing');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
