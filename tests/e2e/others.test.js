// Changes made by another process reach the open window: the CLI, run on the
// same data folder while the window is open, tops up the pool, adds a member
// and continues the conversation open in the window; the header balance, the
// Credits page, the member list and the conversation follow within a few
// seconds, without a reload, a page change or a focus change (the backend's
// watch emits `data:changed`).
//
// Needs: the dev binary (make dev-build) and tests/fakeprovider (built by
// lib/fakeprovider.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openPage, cli, waitForText } from './lib/harness.js';
import { newChat } from './lib/chatsetup.js';

const text = (page, id) => page.getByTestId(id).first().textContent();

test("another process's changes reach the open window", async (t) => {
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);
  await page.goto(`${app.url}#/settings/credits`);
  await page.getByTestId('credits-available').waitFor({ timeout: 30000 });
  // The header's balance is a read of its own (a dash until it answers).
  await waitForText(page, 'balance-amount', '0.00');
  assert.equal(await text(page, 'credits-available'), '0.00 credits');

  // A top-up in a terminal: the header and the page follow.
  cli(app.dataDir, ['credits', 'topup', '--amount', '250', '--price', '0', '--currency', 'EUR']);
  await page.waitForFunction(() => document.querySelector('[data-testid="balance-amount"]')?.textContent === '250.00',
    null, { timeout: 10000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="credits-available"]')?.textContent === '250.00 credits',
    null, { timeout: 10000 });

  // A member added in a terminal appears in the open member list.
  await page.goto(`${app.url}#/settings/team/members`);
  await page.getByTestId('team-member-alice').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('team-member-bob').count(), 0);
  cli(app.dataDir, ['users', 'add', 'bob', '--pin'], { input: '1234\n' });
  await page.getByTestId('team-member-bob').waitFor({ timeout: 10000 });

  // The audit log in the window lists what the terminal did, the top-up
  // (a ledger change) as well as the member (a team change), with details.
  await page.getByTestId('team-tab-audit').click();
  const table = page.getByTestId('team-audit-table');
  await table.waitFor({ timeout: 15000 });
  const rows = await table.locator('tbody tr').allTextContents();
  assert.ok(rows.some((r) => r.includes('credits.topup') && r.includes('Workspace pool')), `no top-up in ${rows}`);
  assert.ok(rows.some((r) => r.includes('member.add')), `no member.add in ${rows}`);
  const topup = table.locator('tbody tr', { hasText: 'credits.topup' });
  await topup.getByRole('button', { name: 'Details' }).click();
  await table.locator('pre', { hasText: '"credits": "250"' }).waitFor({ timeout: 5000 });
  assert.deepEqual(errors, []);
});

test('a reply sent with the CLI shows in the conversation open in the window', async (t) => {
  const { app, page, errors } = await newChat(t, ['-reply', 'Answered in the terminal.', '-prompt', '10', '-completion', '4', '-models', 'gpt-4o'],
    ['local', 'gpt-4o', '--input', '0.5', '--output', '1']);
  await page.getByTestId('chat-input').fill('a draft typed in the window');
  const id = (await page.evaluate(() => window.location.hash)).replace('#/chat/', '');
  assert.match(id, /^\d+$/);
  await page.waitForFunction(() => document.querySelector('[data-testid="balance-amount"]')?.textContent === '100.00', null, { timeout: 10000 });

  const out = cli(app.dataDir, ['chat', '--model', 'gpt-4o', '--provider', 'fake', '--conversation', id, '--max-tokens', '16', 'Asked in the terminal']);
  assert.match(out, /Answered in the terminal\./);
  // 10 x 0.5 + 4 x 1 = 9 credits.
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-messages"]')?.textContent?.includes('Answered in the terminal.'),
    null, { timeout: 10000 });
  assert.match(await page.getByTestId('chat-messages').textContent(), /Asked in the terminal/);
  await page.waitForFunction(() => document.querySelector('[data-testid="balance-amount"]')?.textContent === '91.00', null, { timeout: 10000 });
  // What was being typed in the window is left alone.
  assert.equal(await page.getByTestId('chat-input').inputValue(), 'a draft typed in the window');
  assert.deepEqual(errors, []);
});

test('the Getting started checklist follows steps done in a terminal', async (t) => {
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);
  await page.goto(`${app.url}#/chat`);
  const step = (id) => page.getByTestId(`chat-step-${id}`);
  await step('provider').waitFor({ timeout: 30000 });
  assert.equal(await step('provider').getAttribute('data-done'), 'false');
  assert.equal(await page.getByTestId('chat-step-provider-action').getAttribute('href'), '#/settings/providers');
  assert.equal(await step('credits').getAttribute('data-done'), 'false');
  assert.match(cli(app.dataDir, ['status']), /^Ready to chat: no\nA few steps before the first metered reply\.\n\[ \] Add a provider/);

  cli(app.dataDir, ['providers', 'add', '--name', 'ollama', '--kind', 'openai_compatible', '--url', 'http://127.0.0.1:9/v1']);
  cli(app.dataDir, ['credits', 'topup', '--amount', '50', '--price', '0', '--currency', 'EUR']);
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-step-credits"]')?.dataset.done === 'true', null, { timeout: 10000 });
  assert.equal(await step('provider').getAttribute('data-done'), 'true');
  assert.equal(await page.getByTestId('chat-getting-started').locator('h2').textContent(), 'Ready to chat');
  assert.match(cli(app.dataDir, ['status']), /^Ready to chat: yes\n/);
  // "Start a chat" opens a conversation; the checklist gives way to it.
  await page.getByTestId('chat-start').click();
  await page.getByTestId('chat-input').waitFor({ timeout: 15000 });
  assert.deepEqual(errors, []);
});
