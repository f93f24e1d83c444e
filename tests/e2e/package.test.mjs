// The npm package as a host gets it: `npm install` of the tarball `cargo xtask package`
// made (TALLY_PACKAGE_TARBALL), into a scratch folder served by a plain node http server
// on its own loopback port (TALLY_PACKAGE_PAGE_PORT; the real server allows that origin
// with --cors-origins), loaded in headless Chromium: the page imports
// ./node_modules/tally-connect/tally-connect.js and talks to the real server cross-origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import zlib from 'node:zlib';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync, statSync, rmSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize, sep } from 'node:path';
import { launch, openPage, events, until, BASE, ARTIFACTS, TALLY_EVENTS } from './browser.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const PAGE_PORT = Number(process.env.TALLY_PACKAGE_PAGE_PORT ?? 0);
const API = BASE.replace(/\/$/, '');

/** The tarball xtask made, or the newest in target/package. */
function tarball() {
  if (process.env.TALLY_PACKAGE_TARBALL) return process.env.TALLY_PACKAGE_TARBALL;
  const dir = join(ROOT, 'target/package');
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => /^tally-connect-.*\.tgz$/.test(f)) : [];
  found.sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs);
  return found.length ? join(dir, found[0]) : null;
}

const TARBALL = tarball();
const skip = !TARBALL ? 'no package tarball: run `cargo xtask package` (or the e2e suite through xtask)'
  : !PAGE_PORT ? 'TALLY_PACKAGE_PAGE_PORT is not set (xtask sets it and allows that origin on the server)'
  : false;

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.ts': 'text/plain', '.md': 'text/markdown',
};

let dir;
let http;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'tally-package-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'host-app', version: '1.0.0', private: true }));
  // No dependencies in the package, so no network (--offline proves it): npm only
  // unpacks the tarball.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline', '--no-update-notifier', TARBALL],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });

  const origin = `http://127.0.0.1:${PAGE_PORT}`;
  const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' ${API}`;
  writeFileSync(join(dir, 'index.html'), `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <title>Host app</title>
  <script type="module" src="./node_modules/tally-connect/tally-connect.js"></script>
  <script type="module" src="./node_modules/tally-connect/tally-connect.js"></script>
  <script type="module" src="./twice.js"></script>
</head>
<body>
  <h1>A host app on ${origin}</h1>
  <tally-connect api-base="${API}" token-url="${API}/demo/token"></tally-connect>
</body>
</html>
`);
  // A second, separate evaluation of the module (another URL): it must see the element
  // already defined and leave it be.
  writeFileSync(join(dir, 'twice.js'), `
const first = await import('./node_modules/tally-connect/tally-connect.js');
let second, error = null;
try { second = await import('./node_modules/tally-connect/tally-connect.js?copy=2'); } catch (e) { error = String(e); }
window.__twice = {
  exports: Object.keys(first).sort(),
  error,
  distinct: second ? second.TallyConnect !== first.TallyConnect : null,
  defined: customElements.get('tally-connect') === first.TallyConnect,
};
`);
  http = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, origin).pathname)).replace(/^([/\\])+/, '');
    const file = join(dir, path || 'index.html');
    if (!file.startsWith(dir + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => http.once('error', reject).listen(PAGE_PORT, '127.0.0.1', resolve));
});

after(async () => {
  if (http) await new Promise((r) => http.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the package holds what a host needs and declares the same element the script defines', { skip }, () => {
  const pkg = join(dir, 'node_modules/tally-connect');
  for (const f of ['package.json', 'tally-connect.js', 'tally-connect.d.ts', 'custom-elements.json', 'README.md',
    'pkg/tally_widget.js', 'pkg/tally_widget_bg.wasm']) {
    assert.ok(existsSync(join(pkg, f)), `${f} in the installed package`);
  }
  for (const f of ['demo.js', 'demo.css']) assert.ok(!existsSync(join(pkg, f)), `${f} (the demo page's) is not shipped`);
  // The split widget: the loader and the later views' chunks ship beside the first
  // module, every one the loader names, under a content-hashed name.
  const loader = readFileSync(join(pkg, 'pkg/__wasm_split.js'), 'utf8');
  const chunks = [...loader.matchAll(/"\.\/([^"]+\.wasm)"/g)].map((m) => m[1]);
  for (const name of ['connect', 'expenses']) {
    assert.ok(chunks.some((c) => new RegExp(`^${name}-[0-9a-f]{16}\\.wasm$`).test(c)), `the loader fetches the ${name} chunk`);
  }
  for (const c of chunks) assert.ok(existsSync(join(pkg, 'pkg', c)), `${c} in the installed package`);
  // Precompressed copies ship beside every file of the widget, each the same bytes.
  for (const f of ['pkg/tally_widget.js', 'pkg/tally_widget_bg.wasm', 'pkg/__wasm_split.js', ...chunks.map((c) => `pkg/${c}`)]) {
    const raw = readFileSync(join(pkg, f));
    assert.ok(raw.equals(zlib.gunzipSync(readFileSync(join(pkg, `${f}.gz`)))), `${f}.gz is ${f}`);
    assert.ok(raw.equals(zlib.brotliDecompressSync(readFileSync(join(pkg, `${f}.br`)))), `${f}.br is ${f}`);
  }

  const js = readFileSync(join(pkg, 'tally-connect.js'), 'utf8');
  const attributes = JSON.parse(js.match(/const ATTRIBUTES = (\[[^\]]*\])/)[1].replace(/'/g, '"'));
  const manifest = JSON.parse(readFileSync(join(pkg, 'custom-elements.json'), 'utf8'));
  assert.match(manifest.schemaVersion, /^2\./);
  const decl = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'tally-connect');
  assert.ok(decl, 'custom-elements.json declares tally-connect');
  assert.deepEqual(decl.attributes.map((a) => a.name).sort(), [...attributes].sort(), 'the attributes the element observes');
  assert.deepEqual(decl.events.map((e) => e.name).sort(), [...TALLY_EVENTS].sort(), 'every event');
  assert.ok(decl.cssProperties.some((p) => p.name === '--tally-accent'));
  const css = readFileSync(join(ROOT, 'src/style.css'), 'utf8') + readFileSync(join(ROOT, 'src/expenses/expenses.css'), 'utf8');
  const used = new Set(css.match(/--tally-[a-z0-9-]+/g));
  assert.deepEqual(decl.cssProperties.map((p) => p.name).sort(), [...used].sort(), 'every --tally-* property the styles read');

  const dts = readFileSync(join(pkg, 'tally-connect.d.ts'), 'utf8');
  assert.match(dts, /interface HTMLElementTagNameMap\s*{[^}]*'tally-connect': TallyConnect/);
  for (const name of TALLY_EVENTS) assert.ok(dts.includes(`'${name}'`), `${name} typed in tally-connect.d.ts`);
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
  for (const word of [...attributes, ...TALLY_EVENTS, 'wasm-unsafe-eval', 'connect-src', 'CLIENT_ACCESS']) {
    assert.ok(readme.includes(word), `README.md mentions ${word}`);
  }
});

test('a page serving the installed package renders the widget against the real server, cross-origin', { skip, timeout: 60000 }, async () => {
  const browser = await launch();
  try {
    const chunkResponses = [];
    let wasm;
    const { page, errors } = await openPage(browser, '/', {
      origin: `http://127.0.0.1:${PAGE_PORT}`,
      before: (page, errors) => {
        // A chunk the loader cannot find would show as a 404 (the browser's own favicon
        // request is the page's business, not the package's).
        page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`); });
        page.on('response', (r) => { if (/\/pkg\/[a-z_0-9]+-[0-9a-f]{16}\.wasm$/.test(r.url())) chunkResponses.push(r); });
        wasm = page.waitForResponse((r) => r.url().includes('/node_modules/tally-connect/pkg/tally_widget_bg.wasm'), { timeout: 30000 });
      },
    });
    const w = await wasm;
    assert.equal(w.status(), 200);
    assert.equal(w.headers()['content-type'], 'application/wasm');

    const el = page.locator('tally-connect');
    await el.locator('#bank-search').waitFor({ timeout: 30000 });
    await el.locator('li[role=option][data-id="AU00000"]').waitFor({ timeout: 30000 });
    const banks = await el.locator('li[role=option]').count();
    assert.ok(banks >= 3, `the sandbox banks are listed (${banks})`);

    // The later views come in chunks, from the package's own folder, under the page's
    // strict CSP: Expenses is fetched only when its tab opens (with no connection,
    // nothing prefetches it), and the sign-in form when a bank is chosen.
    const fetched = (name) => chunkResponses.filter((r) => r.url().includes(`/pkg/${name}-`));
    // The sign-in form's chunk is prefetched while the browser is idle on the bank list.
    await until(() => fetched('connect').length, (n) => n >= 1, 'the connect chunk prefetched while idle');
    assert.equal(fetched('expenses').length, 0, 'the Expenses chunk is not fetched before its tab opens');
    await el.locator('#tab-expenses').click();
    await el.locator('section.expenses').waitFor({ timeout: 30000 });
    assert.equal(fetched('expenses').length, 1, 'opening Expenses fetched its chunk once');
    await el.locator('#tab-connections').click();
    await el.locator('li[role=option][data-id="AU00000"]').click();
    await el.locator('form.credentials #cred-login').waitFor({ timeout: 30000 });
    for (const name of ['expenses', 'connect']) {
      const [r, again] = fetched(name);
      assert.ok(r, `${name} chunk fetched`);
      assert.equal(again, undefined, `${name} chunk fetched once (a prefetch is not fetched again)`);
      assert.equal(r.status(), 200);
      assert.equal((await r.allHeaders())['content-type'], 'application/wasm');
      assert.ok(r.url().startsWith(`http://127.0.0.1:${PAGE_PORT}/node_modules/tally-connect/pkg/`), `${name} chunk from beside the glue: ${r.url()}`);
    }

    const twice = await page.waitForFunction(() => window.__twice).then((h) => h.jsonValue());
    const { exports, ...rest } = twice;
    assert.deepEqual(rest, { error: null, distinct: true, defined: true }, 'importing the module a second time is harmless');
    // What the .d.ts says the module exports (values, not types) is what it exports.
    const dts = readFileSync(join(dir, 'node_modules/tally-connect/tally-connect.d.ts'), 'utf8');
    const typed = [...dts.matchAll(/^export (?:declare )?(?:function|class|const|let) (\w+)/gm)].map((m) => m[1]).sort();
    assert.deepEqual(typed, exports, 'tally-connect.d.ts declares exactly the values tally-connect.js exports');
    await page.screenshot({ path: `${ARTIFACTS}package-host-page.png`, fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a chunk that cannot be fetched shows the network error, and trying again loads it', { skip, timeout: 60000 }, async () => {
  const browser = await launch();
  try {
    // The network drops for the connect chunk only (its idle prefetch fails too).
    const connectChunk = /\/pkg\/connect-[0-9a-f]{16}\.wasm$/;
    let dropped = 0;
    const { page, errors } = await openPage(browser, '/', {
      origin: `http://127.0.0.1:${PAGE_PORT}`,
      record: true,
      before: (page) => page.route(connectChunk, (route) => { dropped++; return route.abort('internetdisconnected'); }),
    });
    const el = page.locator('tally-connect');
    await el.locator('li[role=option][data-id="AU00000"]').click();
    const alert = el.locator('section.connect-flow [role=alert]');
    await alert.waitFor({ timeout: 30000 });
    assert.match(await alert.textContent(), /can't be reached/);
    assert.ok(dropped >= 1, 'the chunk was asked for');
    assert.ok((await events(page, 'tally:error')).some((e) => e.detail?.code === 'network'), 'tally:error network');

    // The widget is still alive: back on the network, "Try again" brings the form.
    await page.unroute(connectChunk);
    await alert.locator('button').click();
    await el.locator('form.credentials #cred-login').waitFor({ timeout: 30000 });
    assert.deepEqual(errors, [], 'no page error (a failed load must not abort the module)');
  } finally {
    await browser.close();
  }
});
