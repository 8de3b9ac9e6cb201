// Rates changed while a window shows them. Settings → Rates: a save over
// rates another process saved meanwhile is refused with who did it, the
// table is read again with the edit kept on top, and a second save applies
// the edit onto the new version (nothing the terminal set is lost). Chat: the
// picker's rate and the composer's estimate follow a rate change made in a
// terminal or in the window, without any user action, so what is shown is
// what Send charges.
//
// Needs: the dev binary (make dev-build) and tests/fakeprovider (built by
// lib/fakeprovider.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openPage, cli } from './lib/harness.js';
import { newChat } from './lib/chatsetup.js';

/** gpt-4o's stored rates (per token) as `rates export --format json` gives them. */
function storedRates(dataDir, provider, model) {
  const all = JSON.parse(cli(dataDir, ['rates', 'export', '--format', 'json']));
  return all.rates.find((r) => r.provider === provider && r.model === model);
}

test('a save over rates changed meanwhile is refused, shown again with the edit kept, and saved onto them', async (t) => {
  const app = await startApp(t, { setup: true });
  cli(app.dataDir, ['rates', 'set', 'openai', 'gpt-4o', '--unit', '1m', '--input', '2.5', '--output', '10']);
  const { page, errors } = await openPage(t, app.url);
  await page.goto(`${app.url}#/settings/rates`);
  const cell = (f) => page.getByTestId(`rate-openai-gpt-4o-${f}`);
  await cell('input').waitFor({ timeout: 30000 });
  await page.getByTestId('rates-unit').selectOption('1m');
  assert.equal(await cell('input').inputValue(), '2.5');
  await cell('input').fill('3');
  assert.match(await page.getByTestId('rates-preview').textContent(), /Input:\s*2\.5\s*→\s*3/);

  // Meanwhile, in a terminal.
  cli(app.dataDir, ['rates', 'set', 'openai', 'gpt-4o', '--unit', '1m', '--output', '20', '--cache-read', '1']);

  await page.getByTestId('rates-save').click();
  const refused = page.getByTestId('rates-action-error');
  await refused.waitFor({ timeout: 10000 });
  assert.match(await refused.textContent(), /the rates changed since you opened them \(version 3 by alice\); review and save again/);
  await page.getByTestId('rates-reloaded').waitFor({ timeout: 10000 });
  assert.match(await page.getByTestId('rates-version').textContent(), /Version 3 /);
  // The new rates, with the edit on top; the pending list names only the edit.
  assert.equal(await cell('input').inputValue(), '3');
  assert.equal(await cell('output').inputValue(), '20');
  assert.equal(await cell('cacheRead').inputValue(), '1');
  const pending = await page.getByTestId('rates-preview').locator('li').allTextContents();
  assert.equal(pending.length, 1, pending.join('\n'));
  assert.match(pending[0], /openai\/gpt-4o · Input:\s*2\.5\s*→\s*3/);
  assert.deepEqual(storedRates(app.dataDir, 'openai', 'gpt-4o'), {
    provider: 'openai', model: 'gpt-4o', input: '0.0000025', output: '0.00002', cache_read: '0.000001',
    cache_write: '', reasoning: '', per_request: '', per_tool_call: '',
  }, 'the refused save wrote something');

  await page.getByTestId('rates-save').click();
  await page.waitForFunction(() => /Version 4 /.test(document.querySelector('[data-testid="rates-version"]')?.textContent ?? ''),
    null, { timeout: 10000 });
  assert.equal(await page.getByTestId('rates-action-error').count(), 0);
  assert.equal(await page.getByTestId('rates-reloaded').count(), 0);
  assert.deepEqual(storedRates(app.dataDir, 'openai', 'gpt-4o'), {
    provider: 'openai', model: 'gpt-4o', input: '0.000003', output: '0.00002', cache_read: '0.000001',
    cache_write: '', reasoning: '', per_request: '', per_tool_call: '',
  });
  assert.deepEqual(errors, []);
});

test("a chat's picker and estimate follow a rate change without any user action", async (t) => {
  const { app, page, errors } = await newChat(t, ['-reply', 'Hello.', '-prompt', '8', '-completion', '2', '-models', 'gpt-4o'],
    ['local', 'gpt-4o', '--input', '0.002', '--output', '0.008']);
  await page.getByTestId('chat-input').fill('Hi');
  const range = page.getByTestId('chat-estimate-range');
  await range.waitFor({ timeout: 15000 });
  assert.equal((await range.textContent()).trim(), '≈ 0.016 – 32.784 credits');
  const label = async () => (await page.getByTestId('chat-model-select').locator('option').allTextContents()).find((o) => o.startsWith('gpt-4o — fake'));
  assert.match(await label(), /in 2,000 · out 8,000 credits \/ 1M tokens/);

  const follows = async (low, high, input, output) => {
    await page.waitForFunction(([want]) => document.querySelector('[data-testid="chat-estimate-range"]')?.textContent?.trim() === want,
      [`≈ ${low} – ${high} credits`], { timeout: 10000 });
    await page.waitForFunction(([want]) => [...document.querySelectorAll('[data-testid="chat-model-select"] option')]
      .some((o) => o.textContent.startsWith('gpt-4o — fake') && o.textContent.includes(want)),
    [`in ${input} · out ${output} credits / 1M tokens`], { timeout: 10000 });
  };
  // An admin raises the rate 1000× in a terminal (another process).
  cli(app.dataDir, ['rates', 'set', 'local', 'gpt-4o', '--input', '2', '--output', '8']);
  await follows('16.00', '32,784.00', '2,000,000', '8,000,000');
  // And back down in this window's backend (rates:changed).
  const r = await page.evaluate(() => window.go.app.Rates.Apply({
    edits: [{ provider: 'local', model: 'gpt-4o', field: 'input', value: '0.002' }, { provider: 'local', model: 'gpt-4o', field: 'output', value: '0.008' }],
  }).then(() => 'ok', (err) => String(err)));
  assert.equal(r, 'ok');
  await follows('0.016', '32.784', '2,000', '8,000');
  assert.equal(await page.getByTestId('chat-input').inputValue(), 'Hi', 'the draft was touched');
  assert.deepEqual(errors, []);
});
