// Stop through the real Wails IPC: the window starts a send with
// Chat.StartSend, which returns at once, so Stop is not queued behind the
// streaming send (the dev server answers a page's calls one at a time, in
// order). Stop ends the reply where it was: marked stopped, charged for
// what was generated, Send back.
//
// Needs: the dev binary (make dev-build) and tests/fakeprovider (built here
// with `go build`, or MTRDSK_FAKEPROVIDER).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newChat } from './lib/chatsetup.js';
import { cli } from './lib/harness.js';

test('Stop ends a streaming reply at once: stopped, charged for what was generated', async (t) => {
  // 200 words, one every 100 ms: 20 s in all, unless stopped.
  const words = Array.from({ length: 200 }, (_, i) => `w${i}`);
  const { app, page, errors } = await newChat(t, ['-reply', words.join(' '), '-prompt', '8', '-completion', '200', '-delay', '100ms', '-models', 'gpt-4o'],
    ['local', 'gpt-4o', '--input', '0.002', '--output', '0.008']);
  await page.getByTestId('chat-input').fill('Count for me');
  await page.getByTestId('chat-send').click();
  await page.getByTestId('chat-stop').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-markdown"]')?.textContent?.includes('w3'), null, { timeout: 30000 });
  const clicked = Date.now();
  await page.getByTestId('chat-stop').click();
  // Answered while the reply would still be streaming for seconds.
  const reply = page.locator('[data-testid="chat-message-assistant"][data-status="stopped"]');
  await reply.waitFor({ timeout: 8000 });
  assert.ok(Date.now() - clicked < 8000, 'Stop waited for the reply');
  await page.getByTestId('chat-send').waitFor();
  assert.equal((await page.getByTestId('chat-status-note').textContent()).trim(), 'Stopped — charged for what was generated.');
  const shown = (await reply.getByTestId('chat-markdown').textContent()).trim();
  assert.ok(shown.startsWith('w0 w1 w2 w3') && !shown.includes('w199'), `the reply shown: ${shown.slice(0, 80)}…`);
  await reply.getByTestId('chat-breakdown').waitFor();
  assert.match(await reply.getByTestId('chat-breakdown').textContent(), /total [\d.]+ credits/);
  // The stored reply says the same.
  const shows = cli(app.dataDir, ['--json', 'conversations', 'show', (await page.evaluate(() => window.location.hash)).replace('#/chat/', '')]);
  const stored = JSON.parse(shows).messages.at(-1);
  assert.equal(stored.status, 'stopped');
  assert.ok(stored.charge && stored.content.length < words.join(' ').length, 'charged for part of the reply');
  assert.deepEqual(errors, []);
});
