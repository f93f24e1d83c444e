// Measures, over repeated fresh page loads, the time from the wrapper script's arrival
// (its resource timing responseEnd) and from navigation start to the first frame where
// the widget's shadow root shows the institution list, and the bytes that crossed the
// wire until then (resource timing `transferSize`: headers and encoded bodies, of the
// page and of every resource whose response ended before that frame).
//
// Each sample loads the page once per encoding, interleaved so a busy machine weighs on
// all alike, in a fresh context whose Accept-Encoding is forced: `identity` is what a
// browser got before the server served the build's precompressed files (issue 18),
// `gzip` what Chromium asks for over plain HTTP, `br` what it asks for over HTTPS. The
// wasm's Content-Encoding is checked, so a figure cannot be labelled with an encoding
// that was not used. With THROTTLE=1, the loads go through Chrome DevTools' "Fast 3G"
// profile instead of loopback speed. TALLY_BENCH_BUILDS (JSON, a name for each server
// URL) compares builds the same way, interleaved: the split widget and the same source
// built whole. Prints JSON on stdout: for each build, for each encoding, the samples.
import { launch, BASE } from '../browser.mjs';

const RUNS = Number(process.env.RUNS ?? 15);
const THROTTLE = process.env.THROTTLE === '1';
// DevTools' own "Fast 3G" preset (front_end/core/sdk/NetworkManager.ts): 1.44 Mbit/s
// down and 675 kbit/s up, each times 0.9, 150 ms RTT times 3.75.
const FAST_3G = { offline: false, downloadThroughput: 1.44 * 1000 * 1000 / 8 * 0.9, uploadThroughput: 675 * 1000 / 8 * 0.9, latency: 150 * 3.75 };
const ENCODINGS = { identity: 'identity', gzip: 'gzip, deflate', br: 'gzip, deflate, br' };
const WIDGET = (url) => url.includes('/www/tally-connect.js') || url.includes('/www/pkg/');

const BUILDS = process.env.TALLY_BENCH_BUILDS ? JSON.parse(process.env.TALLY_BENCH_BUILDS) : { default: BASE };

const browser = await launch();
const out = { throttled: THROTTLE, defaultAcceptEncoding: null, builds: {} };
for (const build of Object.keys(BUILDS)) {
  out.builds[build] = {};
  for (const enc of Object.keys(ENCODINGS)) {
    out.builds[build][enc] = { scriptToRender: [], navigationToRender: [], bytesToRender: [], widgetBytesToRender: [] };
  }
}

/** One page load of `base` with `acceptEncoding` forced (or the browser's own when null). */
async function load(base, acceptEncoding) {
  const context = await browser.newContext(acceptEncoding ? { extraHTTPHeaders: { 'Accept-Encoding': acceptEncoding } } : {});
  try {
    const page = await context.newPage();
    if (THROTTLE) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    }
    // The headers are read asynchronously: kept as a promise, awaited after the render.
    let wasmSeen = null;
    page.on('response', (r) => {
      if (r.url().endsWith('/tally_widget_bg.wasm')) {
        wasmSeen = (async () => ({ encoding: (await r.allHeaders())['content-encoding'] ?? 'identity', asked: (await r.request().allHeaders())['accept-encoding'] }))();
      }
    });
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
    await page.goto(base + '/');
    const t = await page.evaluate(async () => {
      const rendered = await window.__tallyRendered;
      const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
        .filter((e) => e.responseEnd <= rendered)
        .map((e) => ({ name: e.name, transferSize: e.transferSize }));
      const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/tally-connect.js'));
      return { rendered, scriptEnd: script ? script.responseEnd : NaN, entries };
    });
    const sum = (list) => list.reduce((n, e) => n + e.transferSize, 0);
    const wasm = wasmSeen ? await wasmSeen : null;
    return { ...t, wasm, bytes: sum(t.entries), widgetBytes: sum(t.entries.filter((e) => WIDGET(e.name))) };
  } finally {
    await context.close();
  }
}

try {
  const plain = await load(Object.values(BUILDS)[0], null);
  out.defaultAcceptEncoding = plain.wasm?.asked ?? null;
  for (let i = 0; i < RUNS; i++) {
    for (const [build, base] of Object.entries(BUILDS)) for (const [enc, header] of Object.entries(ENCODINGS)) {
      const t = await load(base, header);
      if (t.wasm?.encoding !== enc) {
        throw new Error(`${build}: asked for ${header}, the wasm came as ${t.wasm?.encoding ?? '(no wasm response seen)'}`);
      }
      if (i > 0) { // the first round warms the server's file cache
        const s = out.builds[build][enc];
        s.scriptToRender.push(t.rendered - t.scriptEnd);
        s.navigationToRender.push(t.rendered);
        s.bytesToRender.push(t.bytes);
        s.widgetBytesToRender.push(t.widgetBytes);
      }
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
