// The first slice end to end: the demo page, served by the real server, loads the
// release wasm widget, which fetches the sandbox institutions over real HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, widgetText, ARTIFACTS } from './browser.mjs';

test('the demo page renders the institution list from the server', async () => {
  const browser = await launch();
  try {
    const { page, errors } = await openPage(browser);
    // Playwright's CSS selectors pierce open shadow roots.
    await page.locator('tally-connect').getByText('Hooli').first().waitFor({ timeout: 15000 });
    const text = await widgetText(page);
    for (const bank of ['Hooli', 'Pied Piper Bank', 'Nucleus Bank']) assert.ok(text.includes(bank), `${bank} in ${text}`);
    await page.screenshot({ path: ARTIFACTS + 'institutions.png' });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
