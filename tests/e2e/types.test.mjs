// The package's TypeScript declarations compile, under --strict, against code written
// the way the README shows; and they refuse what the element would refuse. Runs the
// TypeScript compiler (tests/e2e's devDependency) over files in a scratch folder that
// import www/tally-connect.d.ts directly; no browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const DTS = join(HERE, '../../www/tally-connect.d.ts');
const TSC = join(HERE, 'node_modules/typescript/bin/tsc');

/** Compiles `source`; returns the compiler's messages ('' when it compiled). */
function compile(source) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-types-'));
  try {
    writeFileSync(join(dir, 'tally-connect.d.ts'), `export * from ${JSON.stringify(DTS.replace(/\.d\.ts$/, ''))};\n`);
    writeFileSync(join(dir, 'use.ts'), source);
    try {
      execFileSync(process.execPath, [TSC, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom', '--moduleResolution', 'bundler', '--module', 'esnext', join(dir, 'use.ts')], { encoding: 'utf8' });
      return '';
    } catch (e) {
      return String(e.stdout || e.message);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the declarations compile against the documented uses', () => {
  const out = compile(`
    import type { TallyConnect, TallyFilters, ClientToken } from './tally-connect.js';
    const el = document.querySelector('tally-connect')!;
    const typed: TallyConnect = el;
    el.apiBase = 'https://tally.example.com';
    el.getToken = async (): Promise<ClientToken> => ({ access_token: 't', expires_in: 3600, user_id: 'u' });
    el.filters = { accounts: ['a1'] };                 // partial: missing fields mean any
    el.filters = { date: { preset: 'custom', from: '2024-01-01' }, status: 'posted' };
    el.filters = null;
    const now = el.filters;
    if (now && 'accounts' in now) console.log(now.accounts);
    el.addEventListener('tally:filter-change', (e) => console.log(e.detail.categories.length));
    el.addEventListener('tally:job-step', (e) => console.log(e.detail));
    // The README's statement-upload example.
    el.addEventListener('tally:connected', (e) => {
      if (e.detail.method === 'statement') console.log('statement imported', e.detail.connectionId);
    });
    el.addEventListener('tally:connection-created', (e) => console.log(e.detail.method, e.detail.connectionId));
    el.addEventListener('tally:error', (e) => {
      if (e.detail.code === 'statement-not-readable') console.info('unreadable statement:', e.detail.message);
    });
    const f: TallyFilters = {};
    void typed; void f;
  `);
  assert.equal(out, '', out);
});

test('the declarations refuse what the element refuses', () => {
  const harness = (line) => `import type {} from './tally-connect.js'; const el = document.querySelector('tally-connect')!; ${line}`;
  assert.equal(compile(harness(`el.theme = 'dark';`)), '', 'the harness itself compiles, so the errors below are the lines');
  for (const [what, line] of [
    ['a filter of the wrong type', `el.filters = { accounts: 42 };`],
    ['an unknown date preset', `el.filters = { date: { preset: 'someday' } };`],
    ['an unknown theme', `el.theme = 'purple';`],
    ['an unknown connect method', `el.addEventListener('tally:connected', (e) => { if (e.detail.method === 'pdf') throw 0; });`],
  ]) {
    const out = compile(harness(line));
    assert.match(out, /error TS\d+/, `${what} is a type error`);
  }
});
