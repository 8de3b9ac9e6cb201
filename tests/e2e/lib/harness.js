// Harness shared by every e2e spec: starts the dev-tagged Meterdesk binary
// under xvfb-run on a fresh data folder and a free port, and Debian's
// chromium through playwright-core (no downloaded browser).
//
// A spec uses it like this:
//
//   import { test } from 'node:test';
//   import { startApp, openPage } from './lib/harness.js';
//   test('something', async (t) => {
//     const app = await startApp(t, { env: { METERDESK_FAKE_URL: url }, args: [] });
//     const { page, errors } = await openPage(t, app.url);
//     ...
//   });
//
// Everything started is stopped by t.after, whether the test passes or not,
// and again on process exit as a last resort.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, '..', '..', '..');

/** Path of the dev-tagged binary (`make dev-build`), overridable. */
export const devBinary = process.env.MTRDSK_DEV_BIN || path.join(repo, 'build', 'bin', 'meterdesk-dev');
/** Built frontend served by the dev binary. */
export const assetDir = process.env.MTRDSK_ASSETS || path.join(repo, 'frontend', 'dist');
/** Debian's chromium. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const live = new Set(); // process groups still running, killed on exit
process.on('exit', () => {
  for (const pid of live) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
  }
});

/** freePort asks the kernel for an unused loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * OWN_DISPLAY starts Xvfb on display $1 in the background, waits for its
 * socket, and runs the rest of the arguments on it; Xvfb stays when the
 * app exits (its group is killed by stop()). -noreset: by default Xvfb
 * resets when its last client leaves, and a restarted app that connects
 * during that reset fails with "failed to init GTK" (seen once in make test).
 */
const OWN_DISPLAY = `d=$1; shift
Xvfb ":$d" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
i=0; while [ ! -e "/tmp/.X11-unix/X$d" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
DISPLAY=":$d" exec "$@"`;

/**
 * freeDisplay picks an X display number that no running server holds. A
 * lock file whose process is gone (an Xvfb killed before it could clean
 * up) does not hold it: the stale lock and socket are removed, so that
 * OWN_DISPLAY's wait for the socket waits for the new server's.
 */
function freeDisplay() {
  for (let i = 0; i < 400; i++) {
    const n = 300 + Math.floor(Math.random() * 400);
    if (heldDisplay(n)) continue;
    for (const f of [`/tmp/.X${n}-lock`, `/tmp/.X11-unix/X${n}`]) {
      try { unlinkSync(f); } catch { /* not there */ }
    }
    if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  }
  throw new Error('no free X display number');
}

/** heldDisplay reports whether a running process holds display n's lock. */
function heldDisplay(n) {
  const lock = `/tmp/.X${n}-lock`;
  if (!existsSync(lock)) return false; // a socket without a lock is left by a server that is gone
  let pid;
  try {
    pid = Number.parseInt(readFileSync(lock, 'utf8').trim(), 10);
  } catch {
    return true; // unreadable: leave it alone
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true; // alive (or not ours to signal)
  } catch (err) {
    return err.code !== 'ESRCH';
  }
}

async function waitForHTTP(url, child, logs, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`meterdesk exited early (code ${child.exitCode}, signal ${child.signalCode}):\n${logs()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      lastErr = new Error(`HTTP ${res.status}`);
    } catch (err) {
      lastErr = err;
    }
    await sleep(250);
  }
  throw new Error(`meterdesk did not serve ${url} within ${timeoutMs} ms (${lastErr}):\n${logs()}`);
}

async function stopGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    // The process is gone, but what it started may still be in its group
    // (a restarted app and its display, see startApp's ownDisplay).
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    live.delete(child.pid);
    return;
  }
  const exited = new Promise((r) => child.once('exit', r));
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
  const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
  // xvfb-run, Xvfb, the app and WebKit's helpers share the group: make sure
  // none of them outlives the test.
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  if (timedOut) await Promise.race([exited, sleep(2000)]);
  live.delete(child.pid);
}

/**
 * cli runs a command of the same binary on dataDir (no window) and returns
 * its stdout; it throws with the output when the command fails.
 * opts.input is written to stdin, opts.env is added to the environment.
 */
export function cli(dataDir, args, opts = {}) {
  const r = spawnSync(devBinary, ['--data-dir', dataDir, ...args], {
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 60000,
    env: { ...process.env, ...(opts.env || {}) },
  });
  if (r.status !== 0) {
    throw new Error(`meterdesk ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

/** Default first-run workspace created by startApp({ setup: true }). */
export const defaultWorkspace = { name: 'Acme Research', admin: 'alice', secret: 'correct horse battery' };

/**
 * setupWorkspace completes the first-run setup through the CLI, with a single
 * admin, so that the window opens signed in on the app shell.
 */
export function setupWorkspace(dataDir, ws = defaultWorkspace) {
  const w = { ...defaultWorkspace, ...ws };
  cli(dataDir, ['workspace', 'setup', '--name', w.name, '--currency', 'EUR', '--credit-value', '0.01', '--admin', w.admin], {
    env: { METERDESK_NEW_SECRET: w.secret },
  });
  return w;
}

/**
 * startApp runs the dev-tagged binary under `xvfb-run -a` with a fresh
 * --data-dir and the Wails dev server on a free port.
 *
 * opts.env      extra environment (e.g. a fake provider URL)
 * opts.args     extra command-line arguments (after --data-dir)
 * opts.dataDir  use this folder instead of a new temporary one
 * opts.setup    true or {name, admin, secret}: run the first-run setup
 *               through the CLI first (one admin: the window opens signed in)
 * opts.timeoutMs how long to wait for the dev server (default 60 s)
 * opts.ownDisplay run Xvfb in the app's process group instead of under
 *               xvfb-run, whose display ends with the app: a window that
 *               restarts itself (System.Restart) needs it to outlive the
 *               first process
 *
 * Returns { url, port, dataDir, logs(), exited, serving(), stop() }: exited
 * resolves with the exit code when the app quits by itself; serving() waits
 * until something serves url again (a restarted app); stop runs
 * automatically in t.after.
 */
export async function startApp(t, opts = {}) {
  if (!existsSync(devBinary)) throw new Error(`no dev binary at ${devBinary}: run make dev-build`);
  if (!existsSync(path.join(assetDir, 'index.html'))) throw new Error(`no built frontend in ${assetDir}`);
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir || (await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-')));
  if (opts.setup) setupWorkspace(dataDir, opts.setup === true ? defaultWorkspace : opts.setup);
  const port = await freePort();
  const out = [];
  const appArgs = [devBinary, '--data-dir', dataDir, ...(opts.args || [])];
  const [cmd, args] = opts.ownDisplay
    ? ['sh', ['-c', OWN_DISPLAY, 'sh', String(freeDisplay()), ...appArgs]]
    : ['xvfb-run', ['-a', '-s', '-screen 0 1280x800x24 -nolisten tcp', ...appArgs]];
  const child = spawn(
    cmd,
    args,
    {
      cwd: repo,
      detached: true, // own process group, so stop() reaches every child
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // Read by Wails' dev build (internal/app/app_dev.go) instead of flags.
        assetdir: assetDir,
        devserver: `127.0.0.1:${port}`,
        frontenddevserverurl: '',
        loglevel: 'info',
        ...(opts.env || {}),
      },
    },
  );
  live.add(child.pid);
  const keep = (chunk) => {
    out.push(chunk.toString());
    if (out.length > 400) out.splice(0, out.length - 400);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const logs = () => out.join('');
  const url = `http://127.0.0.1:${port}/`;
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const app = {
    url,
    port,
    dataDir,
    logs,
    exited,
    serving: (timeoutMs = 60000) => waitForHTTP(url, null, logs, timeoutMs),
    async stop() {
      await stopGroup(child);
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  t.after(() => app.stop());
  await waitForHTTP(url, child, logs, opts.timeoutMs || 60000);
  return app;
}

/**
 * waitForValue polls read() every 100 ms until ok(value) holds and resolves
 * to that value. For a value the page fills in or updates asynchronously
 * (a backend read, an event, a re-render): read once, it may still be a
 * placeholder or the old value. Past timeoutMs it throws with what it
 * waited for (`what`) and the last value it read (or the last error).
 */
export async function waitForValue(read, ok, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let seen = 'nothing read';
  for (;;) {
    try {
      const v = await read();
      if (ok(v)) return v;
      seen = JSON.stringify(v);
    } catch (err) {
      seen = `read failed: ${err.message}`;
    }
    if (Date.now() >= deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; last seen: ${seen}`);
    await sleep(100);
  }
}

/**
 * waitForText waits until the first element with data-testid `testid` has
 * the text `want` (exactly, or matching it when a RegExp) and resolves to
 * the text; on timeout it throws with the last text seen (null: no such
 * element).
 */
export function waitForText(page, testid, want, timeoutMs = 15000) {
  const ok = (s) => typeof s === 'string' && (want instanceof RegExp ? want.test(s) : s === want);
  return waitForValue(
    () => page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? null, testid),
    ok,
    `[data-testid="${testid}"] to read ${want instanceof RegExp ? want : JSON.stringify(want)}`,
    timeoutMs,
  );
}

/** launchBrowser starts headless Debian chromium; closed in t.after. */
export async function launchBrowser(t) {
  // launch() gives chromium a new empty profile directory of its own.
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  t.after(() => browser.close());
  return browser;
}

/**
 * openPage opens url in a new page of a fresh browser and records console
 * errors and uncaught page errors in `errors` (assert it is empty at the end).
 */
export async function openPage(t, url, { browser } = {}) {
  const b = browser || (await launchBrowser(t));
  const context = await b.newContext({ viewport: { width: 1280, height: 800 } });
  // The dev server's transport (/wails/ipc.js, dev builds only) opens its
  // WebSocket before /wails/runtime.js has defined window.wails, so an event
  // the backend sends in that instant (data:changed after a CLI command just
  // before the page opened) threw "Cannot read properties of undefined
  // (reading 'EventsNotify')" in ipc.js. The desktop window has its runtime
  // before any event can arrive; here a placeholder drops such an early event
  // (pages read their data once they listen), and runtime.js replaces it.
  await context.addInitScript(() => {
    if (!window.wails) window.wails = { EventsNotify() {}, Callback() {} };
  });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url || '';
    // Chromium asks every http origin for /favicon.ico; the Wails webview
    // does not, and the app ships none, so that one 404 is not the app's.
    if (/\/favicon\.ico$/.test(where)) return;
    errors.push(`console: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  await page.goto(url, { waitUntil: 'load' });
  return { browser: b, context, page, errors };
}
