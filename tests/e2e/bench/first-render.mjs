// Measures, over repeated fresh page loads, the time from the wrapper script's arrival
// (its resource timing responseEnd) and from navigation start to the first frame where
// the widget's shadow root shows the institution list. Prints JSON on stdout.
import { launch, BASE } from '../browser.mjs';

const RUNS = Number(process.env.RUNS ?? 15);
const browser = await launch();
const scriptToRender = [];
const navigationToRender = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__tallyRendered = new Promise((resolve) => {
        const check = () => {
          const root = document.querySelector('tally-connect')?.shadowRoot;
          if (root && root.textContent.includes('Hooli')) resolve(performance.now());
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
    });
    await page.goto(BASE + '/');
    const t = await page.evaluate(async () => {
      const rendered = await window.__tallyRendered;
      const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/tally-connect.js'));
      return { rendered, scriptEnd: script ? script.responseEnd : NaN };
    });
    if (i > 0) { // the first load warms the server's file cache
      scriptToRender.push(t.rendered - t.scriptEnd);
      navigationToRender.push(t.rendered);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ scriptToRender, navigationToRender }));
