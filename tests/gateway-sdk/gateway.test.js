// The official OpenAI Node SDK (npm "openai") as a real client of
// `meterdesk serve`, backed by the fake OpenAI provider (tests/fakeprovider).
// Checks that answers arrive intact, streamed and not, that the charge
// headers and the stream's "meterdesk" extension are right, that errors map
// to the SDK's error classes, and that the ledger holds exactly the expected
// charges (via `meterdesk credits history --json`).
//
//   cd tests/gateway-sdk && npm ci && node --test
//
// MTRDSK_BIN=/path/to/meterdesk reuses a built binary; otherwise one is built
// with `go build -tags webkit2_41` (frontend/dist must exist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import OpenAI from 'openai';

const ROOT = resolve(import.meta.dirname, '../..');
const REPLY = 'Hello from the fake provider.';
// Rates (credits per token) and the fake's usage: 12 prompt, 6 completion.
const CHARGE = '0.036'; // 12 * 0.001 + 6 * 0.004
const ADMIN = { user: 'alice', secret: 'correct horse battery' };

let tmp, dataDir, bin, fakeBin, fake, serve, baseURL, bobKey;

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Runs a meterdesk command against the test data folder; returns stdout. */
function md(args, { env = {}, input, user = ADMIN.user } = {}) {
  const full = ['--data-dir', dataDir, ...(user ? ['--user', user] : []), ...args];
  return execFileSync(bin, full, {
    env: { ...process.env, METERDESK_PASSWORD: ADMIN.secret, ...env },
    input: input ?? '',
    encoding: 'utf8',
  });
}

/** Starts a child and resolves once a stdout line matches ready. */
function startChild(cmd, args, env, ready) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${cmd} did not start: ${out}${err}`)), 60_000);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(ready);
      if (m) {
        clearTimeout(timer);
        res({ child, match: m });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${cmd} exited with ${code}: ${out}${err}`));
    });
  });
}

function stop(child) {
  return new Promise((res) => {
    if (!child || child.exitCode !== null) return res(child?.exitCode);
    child.removeAllListeners('exit');
    child.once('exit', (code) => res(code));
    child.kill('SIGTERM');
  });
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'meterdesk-sdk-'));
  dataDir = join(tmp, 'data');
  bin = process.env.MTRDSK_BIN;
  if (!bin) {
    bin = join(tmp, 'meterdesk');
    execFileSync('go', ['build', '-tags', 'webkit2_41', '-o', bin, '.'], { cwd: ROOT, stdio: 'inherit' });
  }
  fakeBin = join(tmp, 'fakeprovider');
  execFileSync('go', ['build', '-o', fakeBin, './tests/fakeprovider'], { cwd: ROOT, stdio: 'inherit' });

  const fakePort = await freePort();
  ({ child: fake } = await startChild(fakeBin, ['-port', String(fakePort), '-reply', REPLY, '-prompt', '12',
    '-completion', '6', '-models', 'gpt-4o-mini', '-delay', '5ms'], {}, /ready (\S+)/));

  // Workspace: admin alice, member bob (pool-funded), carol (self-funded, empty wallet).
  md(['workspace', 'setup', '--name', 'SDK test', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice'],
    { user: '', env: { METERDESK_NEW_SECRET: ADMIN.secret } });
  md(['users', 'add', 'bob'], { env: { METERDESK_NEW_SECRET: 'bob horse battery' } });
  md(['users', 'add', 'carol', '--funding', 'wallet'], { env: { METERDESK_NEW_SECRET: 'carol horse battery' } });
  md(['rates', 'set', 'openai', 'gpt-4o-mini', '--input', '0.001', '--output', '0.004']);
  md(['providers', 'add', '--name', 'fake', '--kind', 'openai', '--url', `http://127.0.0.1:${fakePort}/v1`, '--key-env', 'FAKE_KEY'],
    { env: { FAKE_KEY: 'sk-fake' } });
  md(['credits', 'topup', '--account', 'pool', '--amount', '100']);
  bobKey = JSON.parse(md(['--json', 'apikeys', 'create', '--member', 'bob', '--name', 'sdk'])).secret;
  assert.match(bobKey, /^mdk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);

  const port = await freePort();
  ({ child: serve } = await startChild(bin, ['--data-dir', dataDir, '--user', 'alice', 'serve', '--addr', `127.0.0.1:${port}`],
    { METERDESK_PASSWORD: ADMIN.secret }, /listening on (\S+)/));
  baseURL = `http://127.0.0.1:${port}/v1`;
});

after(async () => {
  assert.equal(await stop(serve), 0, 'meterdesk serve exits cleanly on SIGTERM');
  await stop(fake);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const client = () => new OpenAI({ apiKey: bobKey, baseURL, maxRetries: 0 });
const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello.' }];

test('non-streamed completion arrives intact with the charge headers', async () => {
  const { data, response } = await client()
    .chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 64 })
    .withResponse();
  assert.equal(response.status, 200);
  assert.equal(data.object, 'chat.completion');
  assert.equal(data.choices[0].message.content, REPLY);
  assert.equal(data.choices[0].finish_reason, 'stop');
  assert.deepEqual([data.usage.prompt_tokens, data.usage.completion_tokens], [12, 6]);
  assert.equal(response.headers.get('x-meterdesk-credits-charged'), CHARGE);
  assert.equal(response.headers.get('x-meterdesk-credits-remaining'), '99.964');
  assert.equal(data.meterdesk.credits_charged, CHARGE);
  assert.equal(data.meterdesk.reasoning_hidden, undefined, 'gpt-4o-mini does not reason: no reasoning_hidden');
});

test('streamed completion arrives intact; the final chunks carry the charge', async () => {
  const stream = await client().chat.completions.create({
    model: 'gpt-4o-mini', messages, max_tokens: 64, stream: true, stream_options: { include_usage: true },
  });
  let text = '';
  let finish = null;
  let usage = null;
  const ext = [];
  for await (const chunk of stream) {
    for (const c of chunk.choices) {
      text += c.delta?.content ?? '';
      if (c.finish_reason) finish = c.finish_reason;
    }
    if (chunk.usage) usage = chunk.usage;
    if (chunk.meterdesk) ext.push(chunk.meterdesk);
  }
  assert.equal(text, REPLY);
  assert.equal(finish, 'stop');
  assert.deepEqual([usage.prompt_tokens, usage.completion_tokens], [12, 6]);
  assert.equal(ext.length, 2, 'finish chunk and usage chunk');
  for (const m of ext) {
    assert.equal(m.credits_charged, CHARGE);
    assert.equal(m.credits_remaining, '99.928');
  }
});

test('models and credits', async () => {
  const ids = [];
  for await (const m of client().models.list()) ids.push(m.id);
  assert.ok(ids.includes('gpt-4o-mini'), `models: ${ids}`);
  const credits = await client().get('/credits');
  assert.equal(credits.member.name, 'bob');
  assert.equal(credits.account, 'pool');
  assert.equal(credits.available, '99.928');
});

test('errors map to the SDK error classes and charge nothing', async () => {
  const bad = new OpenAI({ apiKey: 'mdk_000000000000_' + 'A'.repeat(43), baseURL, maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create({ model: 'gpt-4o-mini', messages }), (e) => {
    assert.ok(e instanceof OpenAI.AuthenticationError);
    assert.equal(e.status, 401);
    return true;
  });
  await assert.rejects(client().chat.completions.create({ model: 'gpt-4o-mini', messages: [] }), (e) => {
    assert.ok(e instanceof OpenAI.BadRequestError);
    assert.equal(e.param, 'messages');
    return true;
  });
  const carolKey = JSON.parse(md(['--json', 'apikeys', 'create', '--member', 'carol', '--name', 'carol sdk'])).secret;
  const carol = new OpenAI({ apiKey: carolKey, baseURL, maxRetries: 0 });
  await assert.rejects(carol.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }), (e) => {
    assert.ok(e instanceof OpenAI.APIError);
    assert.equal(e.status, 402);
    assert.equal(e.code, 'insufficient_credits');
    // In the API's words: needed vs available to the key's member, and who tops up; no wrapping chain, no window words.
    assert.match(e.message, /This request to gpt-4o-mini may cost up to [0-9.,]+ credits \(what is held while it runs\), but no credits are available to carol \(this API key's member\) from carol's wallet\./);
    assert.match(e.message, /An admin can add credits to carol's wallet\. Nothing was sent or charged\.$/);
    assert.doesNotMatch(e.message, /not enough credits:|send to|Settings|meterdesk |your /);
    return true;
  });
  // A spending limit of bob's, used up (0.072 spent of 0.05 a day): 429 naming the limit and when it resets, nothing sent.
  md(['limits', 'set', 'bob', 'model', 'gpt-4o-mini', '0.05', '--period', 'day']);
  await assert.rejects(client().chat.completions.create({ model: 'gpt-4o-mini', messages }), (e) => {
    assert.ok(e instanceof OpenAI.RateLimitError);
    assert.equal(e.code, 'limit_exceeded');
    assert.match(e.message, /The spending limit for gpt-4o-mini of this API key's member \(0\.05 credits a day, [0-9.]+ used\) is reached\. It resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    assert.doesNotMatch(e.message, /send|hold:|Settings|meterdesk /);
    assert.match(e.headers.get('x-meterdesk-limit-resets-at'), /Z$/);
    // Not retried by the SDK's default retries: the refusal lasts until the reset.
    assert.equal(e.headers.get('x-should-retry'), 'false');
    return true;
  });
  // A limit of 0 (an admin's block): its reset does not help, so no reset header and no retry.
  md(['limits', 'set', 'bob', 'model', 'gpt-4o-mini', '0', '--period', 'day']);
  await assert.rejects(client().chat.completions.create({ model: 'gpt-4o-mini', messages }), (e) => {
    assert.ok(e instanceof OpenAI.RateLimitError);
    assert.equal(e.code, 'limit_exceeded');
    assert.match(e.message, /\(0 credits a day, [0-9.]+ used\) is 0, so no request fits it until an admin raises it; its reset does not help\.$/);
    assert.doesNotMatch(e.message, /It resets at/);
    assert.equal(e.headers.get('x-meterdesk-limit-resets-at'), null);
    assert.equal(e.headers.get('retry-after'), null);
    assert.equal(e.headers.get('x-should-retry'), 'false');
    return true;
  });
  md(['limits', 'remove', 'bob', 'model', 'gpt-4o-mini']);
  // A revoked key stops working.
  const keys = JSON.parse(md(['--json', 'apikeys', 'list', '--member', 'carol']));
  md(['apikeys', 'revoke', String(keys[0].id)]);
  await assert.rejects(carol.models.list(), (e) => e instanceof OpenAI.AuthenticationError);
});

test('a reused Idempotency-Key is refused once, not retried by the SDK', async () => {
  // The SDK's default retries (409 among them), counted at its fetch.
  let calls = 0;
  const counting = new OpenAI({ apiKey: bobKey, baseURL, maxRetries: 2, fetch: (...a) => { calls++; return fetch(...a); } });
  const opts = { headers: { 'Idempotency-Key': 'sdk-order-1' } };
  const first = await counting.chat.completions.create({ model: 'gpt-4o-mini', messages }, opts);
  assert.equal(first.meterdesk.credits_charged, CHARGE);
  calls = 0;
  await assert.rejects(counting.chat.completions.create({ model: 'gpt-4o-mini', messages }, opts), (e) => {
    assert.ok(e instanceof OpenAI.ConflictError);
    assert.equal(e.code, 'idempotency_key_reused');
    assert.equal(e.headers.get('x-should-retry'), 'false');
    return true;
  });
  assert.equal(calls, 1, 'the 409 is final: sent once, not retried twice more');
});

test('the ledger holds exactly the three charges, for bob, source api', () => {
  const out = JSON.parse(md(['--json', 'credits', 'history', '--op', 'post']));
  const items = Array.isArray(out) ? out : out.items;
  const shown = JSON.parse(md(['--json', 'users', 'show', 'bob']));
  const bob = Array.isArray(shown) ? shown[0] : shown;
  assert.equal(bob.name, 'bob');
  assert.deepEqual(items.map((t) => [String(t.amount), t.source, t.userId, t.from]),
    [[CHARGE, 'api', bob.id, 'pool'], [CHARGE, 'api', bob.id, 'pool'], [CHARGE, 'api', bob.id, 'pool']]);
  const bal = JSON.parse(md(['--json', 'credits', 'balance', 'pool']));
  assert.equal(String(bal.available ?? bal.Available), '99.892');
});
