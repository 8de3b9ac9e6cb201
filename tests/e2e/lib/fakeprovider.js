// Starts tests/fakeprovider (a scripted fake OpenAI-compatible server) for a
// spec: built with `go build` unless MTRDSK_FAKEPROVIDER names a binary.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './harness.js';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
let built = process.env.MTRDSK_FAKEPROVIDER || '';

/** Starts the fake provider with args; resolves to its base URL. Stopped after t. */
export async function startFakeProvider(t, args) {
  if (!built) {
    const bin = path.join(await mkdtemp(path.join(os.tmpdir(), 'meterdesk-fake-')), 'fakeprovider');
    const b = spawnSync('go', ['build', '-o', bin, './tests/fakeprovider'], { cwd: repo, encoding: 'utf8', timeout: 300000 });
    assert.equal(b.status, 0, `build fakeprovider: ${b.stderr}`);
    built = bin;
  }
  const port = await freePort();
  const child = spawn(built, ['-port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGTERM'));
  return await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ready (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`fakeprovider exited ${code}: ${out}`)));
  });
}
