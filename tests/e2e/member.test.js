// A member's day in the window, where it showed them what did not hold: a
// member whose daily limit is used up reads so on the chat page's Getting
// started (and `meterdesk status`), not "Ready to chat"; Credits → History
// filtered by the workspace pool lists the grant the pool made to their
// wallet, not "No credits have moved in or out of this account yet"; and
// Settings → API does not offer them `meterdesk serve`, which refuses a
// member.
//
// Needs: the dev binary (make dev-build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp, openPage, cli, defaultWorkspace, setupWorkspace, waitForText } from './lib/harness.js';

test("a member's limit, pool history and API page say what holds for them", async (t) => {
  // Set up before the window opens: with two members it opens on the profile picker.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-member-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  setupWorkspace(dataDir);
  const asAlice = (args) => cli(dataDir, ['--user', 'alice', ...args], { env: { METERDESK_PASSWORD: defaultWorkspace.secret } });
  cli(dataDir, ['users', 'add', 'bob', '--pin', '--funding', 'wallet'], { input: '1234\n' });
  asAlice(['providers', 'add', '--name', 'lab', '--kind', 'openai_compatible', '--url', 'http://127.0.0.1:9/v1']);
  asAlice(['credits', 'topup', '--amount', '100', '--price', '0', '--currency', 'EUR']);
  asAlice(['credits', 'transfer', '--from', 'pool', '--to', 'user:2', '--amount', '10']);
  asAlice(['limits', 'set', 'bob', 'daily', '0']);
  assert.match(cli(dataDir, ['--user', 'bob', 'status'], { env: { METERDESK_PASSWORD: '1234' } }),
    /^Ready to chat: no\n[\s\S]*\[ \] Spending limit reached: daily limit is 0 credits, so no paid send fits it until an admin raises it \(its reset does not help\)\./);

  const app = await startApp(t, { dataDir });

  const { page, errors } = await openPage(t, app.url);
  await page.getByTestId('team-picker').waitFor({ timeout: 30000 });
  await page.getByTestId('team-profile-bob').click();
  await page.getByTestId('team-signin-secret').fill('1234');
  await page.getByTestId('team-signin-submit').click();
  await page.locator('main[data-testid^="page-"]').waitFor({ timeout: 15000 });

  await page.goto(`${app.url}#/chat`);
  await page.getByTestId('chat-step-limit').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('chat-step-limit').getAttribute('data-done'), 'false');
  assert.match(await page.getByTestId('chat-step-limit').textContent(), /Spending limit reached\s*Daily limit is 0 credits, so no paid send fits it until an admin raises it \(its reset does not help\)\./);
  assert.equal(await page.getByTestId('chat-getting-started').locator('h2').textContent(), 'Chat is paused');
  assert.equal(await page.getByTestId('chat-getting-started-summary').textContent(),
    'Your spending limit is 0: replies can be sent again once an admin raises it.');

  await page.goto(`${app.url}#/settings/credits`);
  await waitForText(page, 'credits-available', '10.00 credits');
  await page.getByTestId('credits-history-account').selectOption('pool');
  await page.getByTestId('credits-history-apply').click();
  const rows = page.getByTestId('credits-history-row');
  await waitForText(page, 'credits-history-row', /Grant\s*Workspace pool\s*bob\s*10\.00 credits/);
  assert.equal(await rows.count(), 1, `rows: ${await rows.allTextContents()}`);

  await page.goto(`${app.url}#/settings/api`);
  await page.getByTestId('gateway-admins').waitFor({ timeout: 15000 });
  assert.equal((await page.getByTestId('gateway-status').textContent()).trim(), 'Not running.');
  assert.match(await page.getByTestId('gateway-admins').textContent(), /^Only an admin can start the API, in this window or headless with\s+meterdesk serve, or change its address/);
  assert.deepEqual(errors, []);
});

// Credits → "Give credits from your wallet": a member paid from their wallet
// gives 5 of its 10 credits to another member; the toast says what moved,
// their balance on the page and in the header is 5.00, the history lists the
// transfer, and the other member's wallet holds exactly 5 (read by the CLI).
test('a member gives credits from their wallet to another member', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-give-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  setupWorkspace(dataDir);
  const asAlice = (args) => cli(dataDir, ['--user', 'alice', ...args], { env: { METERDESK_PASSWORD: defaultWorkspace.secret } });
  cli(dataDir, ['users', 'add', 'bob', '--pin', '--funding', 'wallet'], { input: '1234\n' });
  cli(dataDir, ['--user', 'alice', 'users', 'add', 'carol', '--pin'], { input: `${defaultWorkspace.secret}\n5678\n` });
  asAlice(['credits', 'topup', '--amount', '100', '--price', '0', '--currency', 'EUR']);
  asAlice(['credits', 'transfer', '--from', 'pool', '--to', 'user:2', '--amount', '10']);

  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);
  await page.getByTestId('team-picker').waitFor({ timeout: 30000 });
  await page.getByTestId('team-profile-bob').click();
  await page.getByTestId('team-signin-secret').fill('1234');
  await page.getByTestId('team-signin-submit').click();
  await page.locator('main[data-testid^="page-"]').waitFor({ timeout: 15000 });

  await page.goto(`${app.url}#/settings/credits`);
  await waitForText(page, 'credits-give-wallet-text', /10\.00 credits can move now/);
  await page.getByTestId('credits-give-wallet-to').selectOption('user:3');
  await page.getByTestId('credits-give-wallet-amount').fill('5');
  await page.getByTestId('credits-give-wallet-submit').click();
  await waitForText(page, 'toast-success', /Gave 5\.00 credits from your wallet to carol/);
  await waitForText(page, 'credits-available', '5.00 credits');
  await waitForText(page, 'balance-amount', /^5\.00/);
  await waitForText(page, 'credits-history-row', /Transfer\s*bob\s*carol\s*5\.00 credits/);
  assert.match(asAlice(['credits', 'balance', 'user:3']), /\n {2}available {2}5\.00\n/);
  assert.match(asAlice(['credits', 'balance', 'user:2']), /\n {2}available {2}5\.00\n/);
  assert.deepEqual(errors, []);
});
