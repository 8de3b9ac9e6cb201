// Team roles end to end: a member signs in through the profile picker and
// cannot reach admin functions (the Go bindings refuse them, not only the
// UI); after locking, the admin signs in and can. The workspace is created
// through the CLI of the same binary first.
//
// A member over their daily limit is refused with the reset time in the
// workspace's time zone, before any provider call, with nothing charged.
//
// A member removed and a new member given their name are told apart in the
// window: Settings → API and the audit log name the removed one "bob
// (removed)".
//
// The notification centre reads 200 at a time, with Show more for older
// ones (tests/seednotes writes 250 into the database first).
//
// Needs: the dev binary (make dev-build), tests/fakeprovider and
// tests/seednotes (built with go build unless MTRDSK_SEEDNOTES names one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp, openPage, devBinary, waitForValue } from './lib/harness.js';
import { startFakeProvider } from './lib/fakeprovider.js';

function cli(dataDir, stdin, ...args) {
  const r = spawnSync(devBinary, ['--data-dir', dataDir, ...args], { input: stdin, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `meterdesk ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

async function signIn(page, name, secret) {
  await page.getByTestId('team-picker').waitFor({ timeout: 30000 });
  await page.getByTestId(`team-profile-${name}`).click();
  await page.getByTestId('team-signin-secret').fill(secret);
  await page.getByTestId('team-signin-submit').click();
  await page.locator('main[data-testid^="page-"]').waitFor({ timeout: 15000 });
}

/** Calls a bound Go method from the page; resolves to {ok, value|error}. */
function callGo(page, struct, method, ...args) {
  return page.evaluate(
    async ([s, m, a]) => {
      try {
        return { ok: true, value: await window.go.app[s][m](...a) };
      } catch (err) {
        return { ok: false, error: String(err) };
      }
    },
    [struct, method, args],
  );
}

test('a member cannot reach or call admin functions; an admin can', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-team-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'Europe/Berlin');
  cli(dataDir, '1234\n', 'users', 'add', 'bob', '--pin'); // one member: the CLI signs alice in

  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);

  // Two members, nobody remembered: the profile picker shows.
  await signIn(page, 'bob', '1234');

  // The Team page offers a member no admin tabs, even when asked for one.
  await page.goto(`${app.url}#/settings/team/members`);
  await page.getByTestId('team-tab-notifications').waitFor();
  // Its list and its unread count (Team.UnreadNotifications) both answer.
  await page.getByTestId('empty-team-notifications').waitFor();
  assert.equal(await page.getByTestId('team-notifications-error').count(), 0);
  assert.equal(await page.getByTestId('team-tab-members').count(), 0);
  assert.equal(await page.getByTestId('team-tab-audit').count(), 0);

  // Statements opens on the member's own statement (the workspace's is
  // refused in Go); Credits says who tops up instead of offering a form.
  await page.goto(`${app.url}#/statements`);
  await page.getByTestId('statements-own').waitFor({ timeout: 15000 });
  await page.getByRole('heading', { name: /^bob · \d{4}-\d{2}$/ }).waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('statements-error').count(), 0);
  await page.goto(`${app.url}#/settings/credits`);
  await page.getByTestId('credits-topup-admins').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('credits-topup-submit').count(), 0);

  // The backend refuses admin calls made directly through the bindings.
  for (const [struct, method, ...args] of [
    ['Team', 'Members', false],
    ['Team', 'SetLimit', { userId: 2, kind: 'daily', model: '', period: '', amount: '100000' }],
    ['Team', 'Audit', { actorId: 0, action: '', target: '', from: '', to: '', limit: 0 }],
    ['Rates', 'AddModel', 'openai', 'e2e-model'],
  ]) {
    const r = await callGo(page, struct, method, ...args);
    assert.equal(r.ok, false, `${struct}.${method} succeeded for a member`);
    assert.match(r.error, /not allowed/, `${struct}.${method}: ${r.error}`);
  }

  // Lock, then the admin signs in and may do the same.
  await page.goto(`${app.url}#/settings/team/account`);
  await page.getByTestId('team-lock').click();
  await signIn(page, 'alice', 'correct horse');
  const ok = await callGo(page, 'Rates', 'AddModel', 'openai', 'e2e-model');
  assert.equal(ok.ok, true, `admin AddModel: ${ok.error}`);
  await page.goto(`${app.url}#/settings/team/members`);
  await page.getByTestId('team-member-bob').waitFor();

  assert.deepEqual(errors, [], 'no console errors');
});

// A conversation is its owner's: the admin who signs in after a member locked
// the window with a conversation open starts on the home page, opens the
// member's conversation and sees it read only, and Go refuses a send or a
// change made through the bindings.
test("an admin sees a member's conversation read only; Go refuses writing in it", async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-owner-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'Europe/Berlin');
  cli(dataDir, '1234\n', 'users', 'add', 'bob', '--pin');
  const id = /conversation (\d+)/.exec(cli(dataDir, '1234\n', '--user', 'bob', 'conversations', 'new'))[1];
  cli(dataDir, '1234\n', '--user', 'bob', 'conversations', 'set', id, '--title', 'Bob plans', '--system', 'Be brief.');

  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);
  await signIn(page, 'bob', '1234');
  await page.goto(`${app.url}#/chat/${id}`);
  await page.getByTestId('chat-input').waitFor({ timeout: 15000 }); // his own: a composer
  await page.getByTestId('signed-in-lock').click();
  await signIn(page, 'alice', 'correct horse');
  // Another member signing in starts on the home page, not on bob's conversation; she opens it herself.
  assert.equal(await page.evaluate(() => window.location.hash), '#/chat');
  await page.goto(`${app.url}#/chat/${id}`);
  await page.getByTestId('chat-readonly').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('chat-title').textContent(), 'Bob plans');
  assert.equal(await page.getByTestId('chat-system-text').textContent(), 'System: Be brief.');
  for (const testid of ['chat-input', 'chat-send', 'chat-rename', 'chat-model-select', 'chat-system-edit', 'chat-settings-edit']) {
    assert.equal(await page.getByTestId(testid).count(), 0, `${testid} offered to the admin`);
  }
  assert.equal(await page.getByTestId('chat-export').count(), 1);

  // Through the bindings: a send is an outcome with the role error, a change a refusal.
  const sent = await callGo(page, 'Chat', 'Send', { conversationId: Number(id), messageId: '', provider: '', model: 'gpt-4o', text: 'admin here', regenerate: false, editMessageId: '' });
  assert.equal(sent.ok, true, sent.error);
  assert.equal(sent.value.message, null);
  assert.equal(sent.value.error.code, 'forbidden', JSON.stringify(sent.value));
  const renamed = await callGo(page, 'Chat', 'UpdateConversation', Number(id), { title: 'Mine now' });
  assert.equal(renamed.ok, false, 'the admin renamed it');
  assert.match(renamed.error, /another member's: not allowed for your role/);
  const shown = await callGo(page, 'Chat', 'Conversation', Number(id));
  assert.equal(shown.value.title, 'Bob plans');
  assert.equal(shown.value.systemPrompt, 'Be brief.');
  assert.deepEqual(errors, [], 'no console errors');
});

test('a member over their daily limit is refused with the reset time, nothing charged', async (t) => {
  const baseURL = await startFakeProvider(t, ['-reply', 'Hello.', '-prompt', '10', '-completion', '2', '-delay', '1ms', '-models', 'gpt-4o']);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-limit-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'Europe/Berlin');
  cli(dataDir, '1234\n', 'users', 'add', 'bob', '--pin');
  const admin = ['--user', 'alice'];
  const env = { ...process.env, METERDESK_PASSWORD: 'correct horse' };
  const run = (...args) => {
    const r = spawnSync(devBinary, ['--data-dir', dataDir, ...admin, ...args], { encoding: 'utf8', env, timeout: 60000 });
    assert.equal(r.status, 0, `meterdesk ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  run('providers', 'add', '--name', 'fake', '--kind', 'openai_compatible', '--url', baseURL);
  run('rates', 'set', 'local', 'gpt-4o', '--input', '0.01', '--output', '0.01');
  run('credits', 'topup', '--amount', '1000', '--price', '0', '--currency', 'EUR');
  // A daily limit far below what one send may hold (4,096 output tokens x 0.01).
  run('limits', 'set', 'bob', 'daily', '5');
  const before = JSON.parse(run('--json', 'credits', 'history', '--account', 'pool', '--reservations')).items.length;

  const app = await startApp(t, { dataDir });
  const { page } = await openPage(t, app.url);
  await signIn(page, 'bob', '1234');
  await page.goto(`${app.url}#/chat`);
  await page.getByTestId('chat-new').click();
  await page.getByTestId('chat-input').fill('Over my limit?');
  await page.getByTestId('chat-send').click();
  const err = page.getByTestId('chat-error');
  await err.waitFor({ timeout: 30000 });
  assert.equal(await err.getAttribute('data-code'), 'limit_exceeded');
  const text = await err.textContent();
  // Nothing used yet: the send's worst case crosses the limit, which is not "reached".
  assert.match(text, /more than the 5\.00 left of the daily limit of 5\.00 credits \(used 0\.00\); a smaller output budget/);
  assert.doesNotMatch(text, /hold/, 'the refused hold\'s id is not shown');
  // The reset as Usage and Team → Limits write it, the zone named once.
  assert.match(text, /resets \d{4}-\d\d-\d\d 00:00 \(Europe\/Berlin\)/, text);
  // The largest Max output tokens the limit leaves room for is offered (about 5 credits / 0.01 less the prompt).
  assert.match(await page.getByTestId('chat-error-offer-text').textContent(),
    /^Max output tokens of 4\d\d or less fits now\.$/);
  // When it resets is said once, in the limit's words (not again beside them).
  assert.equal((text.match(/\d{4}-\d\d-\d\d 00:00/g) || []).length, 1, text);
  assert.match(await page.getByTestId('chat-error-offer-use').textContent(), /^\s*Use 4\d\d\s*$/);
  assert.equal(await page.getByTestId('chat-input').inputValue(), 'Over my limit?', 'the draft is kept');
  assert.equal(await page.getByTestId('chat-message-assistant').count(), 0);
  const after = JSON.parse(run('--json', 'credits', 'history', '--account', 'pool', '--reservations')).items.length;
  assert.equal(after, before, 'a refused send wrote nothing to the ledger');

  // Without the limit but with a pool too small for the hold: a member
  // cannot top up, so no top-up button; the message says to ask an admin.
  run('limits', 'remove', 'bob', 'daily');
  run('credits', 'transfer', '--from', 'pool', '--to', 'sys:adjust', '--amount', '990', '--op', 'adjustment');
  const held = JSON.parse(run('--json', 'credits', 'history', '--account', 'pool', '--reservations')).items.length;
  await page.getByTestId('chat-send').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-error"]')?.dataset.code === 'insufficient_credits', null, { timeout: 30000 });
  assert.match(await err.textContent(), /the workspace pool has 10\.00 available; ask an admin for credits to send it/);
  assert.equal(await page.getByTestId('chat-topup').count(), 0, 'a member is offered no top-up');
  assert.equal(await page.getByTestId('chat-input').inputValue(), 'Over my limit?', 'the draft is kept');
  assert.equal(JSON.parse(run('--json', 'credits', 'history', '--account', 'pool', '--reservations')).items.length, held, 'nothing written');

  // "Use N" sets the conversation's Max output tokens to the largest that
  // fits the pool's 10 credits; the draft is kept, and the send goes through.
  const use = page.getByTestId('chat-error-offer-use');
  const n = Number((await use.textContent()).replace(/[^\d]/g, ''));
  assert.ok(n > 900 && n < 1000, `Use ${n}`);
  await use.click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="chat-error"]'), null, { timeout: 15000 });
  assert.match(await page.getByTestId('chat-settings-edit').textContent(), new RegExp(n.toLocaleString('en')));
  assert.equal(await page.getByTestId('chat-input').inputValue(), 'Over my limit?', 'the draft is kept');
  await page.getByTestId('chat-send').click();
  await page.getByTestId('chat-message-assistant').waitFor({ timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-breakdown"]')?.textContent?.includes('total'), null, { timeout: 30000 });
  assert.equal(await page.getByTestId('chat-error').count(), 0);
});

test("a removed member's wallet credits are named and go back to the pool; pages follow the CLI; a member sees their department's name", async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-team-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'Europe/Berlin');
  cli(dataDir, '1234\n', 'users', 'add', 'bob', '--pin', '--funding', 'wallet', '--min-balance', '10'); // user 2
  const as = (...args) => cli(dataDir, 'correct horse\n', '--user', 'alice', ...args);
  const asAlice = (stdin, ...args) => cli(dataDir, `correct horse\n${stdin}`, '--user', 'alice', ...args);
  asAlice('5678\n', 'users', 'add', 'carol', '--pin', '--funding', 'wallet'); // user 3
  as('departments', 'add', 'Eng');
  asAlice('4321\n', 'users', 'add', 'dave', '--pin', '--department', '1'); // user 4, paid by Eng
  as('credits', 'transfer', '--op', 'grant', '--from', 'sys:adjust', '--to', 'user:2', '--amount', '50');
  as('credits', 'transfer', '--op', 'grant', '--from', 'sys:adjust', '--to', 'user:3', '--amount', '20');

  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);
  await signIn(page, 'alice', 'correct horse');
  // The header names the account its balance is of: alice's sends are paid from the pool.
  await page.getByRole('button', { name: "Workspace pool 0.00 credits: The workspace pool's credits, which pay for your messages" })
    .waitFor({ timeout: 15000 });

  // Remove bob in the window: the dialog names his 50 credits and offers them all back (ticked):
  // a removed member's wallet keeps no minimum balance.
  await page.goto(`${app.url}#/settings/team/members`);
  await page.getByTestId('team-member-remove-bob').click();
  const message = await page.getByTestId('dialog-message').textContent();
  assert.match(message, /Their wallet holds 50\.00 credits, which stay in it unless moved back to the pool/);
  assert.equal(await page.getByTestId('dialog-check').isChecked(), true);
  assert.match(await page.getByTestId('dialog-check').locator('xpath=..').textContent(), /Move the 50\.00 credits back to the pool/);
  await page.getByTestId('dialog-ok').click();
  await page.getByText('Removed bob; 50.00 credits moved back to the pool').waitFor({ timeout: 15000 });
  assert.match(as('credits', 'balance', 'user:2'), /balance {4}0\.00\n/);
  assert.match(as('credits', 'balance', 'pool'), /balance {4}50\.00\n/);
  assert.match(as('audit', 'list', '--action', 'credits.transfer', '--json'), /"from": "user:2"/);

  // carol removed with the CLI keeps her 20 credits; Credits' picker lists her wallet, marked, and moves them back.
  const out = as('users', 'remove', 'carol');
  assert.match(out, /holding 20\.00 credits, which stay there/);
  await page.goto(`${app.url}#/settings/credits`);
  const picker = page.getByTestId('credits-account');
  await page.locator('[data-testid="credits-account"] option[value="user:3"]').waitFor({ state: 'attached', timeout: 15000 });
  assert.match(await page.locator('[data-testid="credits-account"] option[value="user:3"]').textContent(), /carol \(removed\) · wallet/);
  await picker.selectOption('user:3');
  await page.getByTestId('credits-back-submit').click();
  await page.getByText(/Moved 20\.00 credits from carol \(removed\)'s wallet back to the workspace pool/).waitFor({ timeout: 15000 });
  assert.match(as('credits', 'balance', 'pool'), /balance {4}70\.00\n/);
  assert.equal(await page.getByTestId('credits-give').count(), 0, 'nothing may be given to a removed wallet');

  // erin, removed with the CLI owing 7 credits (an overdraft), is told how to settle it; Credits
  // settles it from the pool, at most what she owes.
  asAlice('2468\n', 'users', 'add', 'erin', '--pin', '--funding', 'wallet'); // user 5
  as('credits', 'policy', 'user:5', '--kind', 'overdraft', '--limit', '50');
  as('credits', 'transfer', '--op', 'transfer', '--from', 'user:5', '--to', 'pool', '--amount', '7');
  assert.match(as('users', 'remove', 'erin'), /owes 7\.00 credits; to settle it from the pool: meterdesk credits transfer --op transfer --from pool --to user:5 --amount 7 \(in the window: Credits, account "erin \(removed\) · wallet", Settle the debt\)/);
  await page.goto(`${app.url}#/settings/team/members`);
  await page.goto(`${app.url}#/settings/credits?account=user:5`);
  await page.getByTestId('credits-settle-text').getByText(/owes 7\.00 credits/).waitFor({ timeout: 15000 });
  await page.getByTestId('credits-settle-amount').fill('8');
  await page.getByTestId('credits-settle-submit').click();
  await page.getByTestId('credits-settle-error').getByText(/at most 7 credits \(asked for 8\)/).waitFor({ timeout: 15000 });
  await page.getByTestId('credits-settle-amount').fill('');
  await page.getByTestId('credits-settle-submit').click();
  await page.getByText(/Settled 7\.00 credits of the debt of erin \(removed\)'s wallet from the workspace pool/).waitFor({ timeout: 15000 });
  assert.match(as('credits', 'balance', 'user:5'), /balance {4}0\.00\n/);
  assert.match(as('credits', 'balance', 'pool'), /balance {4}70\.00\n/);

  // Departments follows a change made with the CLI, without a reload.
  await page.goto(`${app.url}#/settings/team/departments`);
  await page.getByTestId('team-department-1').waitFor();
  as('departments', 'allocate', '1', '12');
  await page.getByTestId('team-department-1').getByText('12.00').first().waitFor({ timeout: 15000 });
  // Its alert budget is headed as what it is: the amount percent alerts count from, no spending cap.
  assert.equal(await page.getByTestId('team-departments-budget-head').textContent(), 'Alert budget');
  assert.match(await page.getByTestId('team-departments-budget-help').textContent(), /It caps no spending/);
  // Its Archive says why it is disabled.
  assert.equal(await page.getByTestId('team-department-archive-1').getAttribute('title'), 'Move its member to another department first');

  // A member sees their department by name on Credits, never "Department 1"
  // (the title, and the From of a move from it to their wallet).
  as('credits', 'transfer', '--op', 'transfer', '--from', 'dept:1', '--to', 'user:4', '--amount', '2');
  await page.goto(`${app.url}#/settings/team/account`);
  await page.getByTestId('team-lock').click();
  await signIn(page, 'dave', '4321');
  await page.goto(`${app.url}#/settings/credits`);
  await page.getByTestId('credits-balance').getByRole('heading', { name: 'Eng · department credits' }).waitFor({ timeout: 15000 });
  // The history names accounts once its own read of the names answers
  // (the generic "Department 1" until then): wait for the name, then no row
  // may still say "Department 1".
  const rows = await waitForValue(() => page.getByTestId('credits-history-row').allTextContents(),
    (r) => r.some((t) => t.includes('Eng')), 'a credits history row naming the department Eng');
  assert.ok(rows.some((r) => r.includes('Eng')), rows.join('\n'));
  assert.ok(!rows.some((r) => r.includes('Department 1')), rows.join('\n'));

  // dave's header balance is Eng's (12 allocated, 2 moved to his wallet),
  // named so; paid by his wallet from then on (the CLI), it names his wallet.
  const badge = page.getByTestId('balance-badge');
  await page.getByRole('button', { name: "Eng 10.00 credits: Eng department's credits, which pay for your messages" })
    .waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('balance-label').textContent(), 'Eng');
  // The chat names the department that pays as the CLI does: by its name, not as a "budget".
  await page.goto(`${app.url}#/chat`);
  await page.getByTestId('chat-step-credits').getByText('The Eng department has 10.00 credits available.').waitFor({ timeout: 15000 });
  assert.match(as('credits', 'balance', 'dept:1'), /^dept:1 \(Eng\)\n/);
  assert.match(cli(dataDir, '4321\n', '--user', 'dave', 'credits', 'balance'), /^dept:1 \(the Eng department, where your sends are charged\)\n/);
  as('users', 'update', 'dave', '--funding', 'wallet');
  await page.waitForFunction(() => document.querySelector('[data-testid="balance-label"]')?.textContent === 'Your wallet', null, { timeout: 15000 });
  assert.equal(await page.getByTestId('balance-amount').textContent(), '2.00');
  assert.match(await badge.getAttribute('title'), /^Your wallet: 2\.00 credits\nYour wallet's credits, which pay for your messages$/);

  assert.deepEqual(errors, [], 'no console errors');
});

test('a removed member and the member given their name since are told apart in the window', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-names-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'Europe/Berlin');
  const as = (...args) => cli(dataDir, 'correct horse\n', '--user', 'alice', ...args);
  cli(dataDir, '1234\n', 'users', 'add', 'bob', '--pin'); // user 2
  as('apikeys', 'create', '--member', 'bob', '--name', 'script');
  as('users', 'remove', 'bob');
  cli(dataDir, 'correct horse\n4321\n', '--user', 'alice', 'users', 'add', 'bob', '--pin'); // user 3
  as('apikeys', 'create', '--member', 'bob', '--name', 'script');

  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);
  await signIn(page, 'alice', 'correct horse');
  // Settings → API: the removed bob's key is named so and says it no longer works, with no Revoke.
  await page.goto(`${app.url}#/settings/api`);
  const keys = await waitForValue(() => page.getByTestId('gateway-key-list').locator('li').allTextContents(),
    (r) => r.length === 2, 'two keys listed');
  assert.match(keys[0], /script · bob(?! \()/, keys.join('\n'));
  assert.match(keys[1], /script · bob \(removed\)[\s\S]*Member removed/, keys.join('\n'));
  assert.equal(await page.getByTestId('gateway-key-revoke-1').count(), 0, "the removed bob's key offers no Revoke");
  assert.equal(await page.getByTestId('gateway-key-revoke-2').count(), 1);
  // A name taken by a key made in a terminal, typed in other widths (which the window's own check lets by):
  // Go refuses it in plain words (app.FormatError's {message, reason}, through the real Wails IPC), and the
  // window shows that reason, not the operation around it nor "[object Object]".
  as('apikeys', 'create', '--name', 'laptop');
  await page.getByTestId('gateway-key-name').fill('Ｌａｐｔｏｐ');
  await page.getByTestId('gateway-key-create').click();
  const refused = page.getByTestId('toast-error').filter({ hasText: 'already named' });
  await refused.waitFor({ timeout: 15000 });
  assert.match(await refused.textContent(), /An active key is already named "laptop"; pick another name or revoke that key/);
  assert.doesNotMatch(await refused.textContent(), /create an API key|object Object/);
  // Team → Audit log: the removal names the removed bob, the addition the new one.
  await page.goto(`${app.url}#/settings/team/audit`);
  const rows = await waitForValue(() => page.getByTestId('team-audit-table').locator('tbody tr').allTextContents(),
    (r) => r.some((x) => x.includes('member.remove')), 'the audit log with the removal');
  assert.ok(rows.some((r) => /member\.removebob \(removed\)/.test(r)), rows.join('\n'));
  assert.ok(rows.some((r) => /member\.addbob(?! \()/.test(r) && !/member\.addbob \(removed\)/.test(r)), rows.join('\n'));
  assert.deepEqual(errors, [], 'no console errors');
});

// Saving a department or a member unchanged writes nothing and no audit
// entry, and the window says so instead of "Saved" (real bindings: the
// answer is team.DepartmentChange / MemberChange with unchanged).
test('a department or member saved unchanged says so in the window and logs nothing', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-unchanged-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'Europe/Berlin');
  const as = (...args) => cli(dataDir, 'correct horse\n', '--user', 'alice', ...args);
  cli(dataDir, '1234\n', 'users', 'add', 'bob', '--pin');
  as('departments', 'add', 'Research', '--overdraft', '500');
  const entries = (action) => JSON.parse(as('--json', 'audit', 'list', '--action', action)).length;

  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);
  await signIn(page, 'alice', 'correct horse');
  await page.goto(`${app.url}#/settings/team/departments`);
  const overdraft = async (value) => {
    await page.getByTestId('team-department-overdraft-1').click();
    await page.getByTestId('dialog-input').fill(value);
    await page.getByTestId('dialog-ok').click();
  };
  await overdraft('500.00');
  await page.getByTestId('toast-info').filter({ hasText: "Research's overdraft is unchanged: it had that already (nothing saved)" })
    .waitFor({ timeout: 15000 });
  assert.equal(entries('department.update'), 0);
  await overdraft('250');
  await page.getByTestId('toast-success').filter({ hasText: "Saved Research's overdraft" }).waitFor({ timeout: 15000 });
  assert.equal(entries('department.update'), 1);

  await page.goto(`${app.url}#/settings/team/members`);
  await page.getByTestId('team-member-edit-bob').click();
  await page.getByTestId('team-member-save').click();
  await page.getByTestId('toast-info').filter({ hasText: 'bob is unchanged: they had these settings already (nothing saved)' })
    .waitFor({ timeout: 15000 });
  assert.equal(entries('member.update'), 0);
  assert.deepEqual(errors, [], 'no console errors');
});

/** Builds tests/seednotes once (or MTRDSK_SEEDNOTES names it) and runs it. */
let seedNotesBinary = process.env.MTRDSK_SEEDNOTES || '';
async function seedNotes(dataDir, count) {
  const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
  if (!seedNotesBinary) {
    seedNotesBinary = path.join(await mkdtemp(path.join(os.tmpdir(), 'meterdesk-seednotes-')), 'seednotes');
    const b = spawnSync('go', ['build', '-o', seedNotesBinary, './tests/seednotes'], { cwd: repo, encoding: 'utf8', timeout: 300000 });
    assert.equal(b.status, 0, `build seednotes: ${b.stderr}`);
  }
  const r = spawnSync(seedNotesBinary, ['-data-dir', dataDir, '-count', String(count)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `seednotes: ${r.stderr}`);
}

test('the notification centre shows 200 at a time and Show more the older ones; the CLI counts them all', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-notes-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'UTC');
  await seedNotes(dataDir, 250);

  const app = await startApp(t, { dataDir }); // one member: signed in at start
  const { page, errors } = await openPage(t, app.url);
  await page.goto(`${app.url}#/settings/team/notifications`);
  const list = page.getByTestId('team-notifications-list');
  await list.waitFor({ timeout: 30000 });
  const title = (n) => list.locator('strong', { hasText: new RegExp(`^Low balance ${n}$`) });
  assert.equal(await page.getByTestId('team-notifications-unread').textContent(), '250');
  assert.equal(await list.locator('li').count(), 200);
  assert.match(await page.getByTestId('team-notifications-more').textContent(), /250 unread in all; the newest 200 notifications are shown/);
  assert.equal(await title(250).count(), 1);
  assert.equal(await title(50).count(), 0);

  await page.getByTestId('team-notifications-show-more').click();
  await title(1).waitFor({ timeout: 15000 });
  assert.equal(await list.locator('li').count(), 250);
  assert.equal(await page.getByTestId('team-notifications-show-more').count(), 0);
  assert.equal(await page.getByTestId('team-notifications-more').count(), 0);
  // The CLI, beside the open window, counts every one; its list's --json stays a list.
  assert.equal(cli(dataDir, '', 'alerts', 'unread'), '250 unread\n');
  assert.equal(JSON.parse(cli(dataDir, '', '--json', 'alerts', 'notifications', '--limit', '3')).length, 3);

  // Mark all read marks all 250, and the list shown stays whole.
  await page.getByTestId('team-notifications-read-all').click();
  await page.getByTestId('team-notifications-unread').waitFor({ state: 'detached', timeout: 15000 });
  assert.equal(await list.locator('li.unread').count(), 0);
  assert.equal(await list.locator('li').count(), 250);
  assert.deepEqual(JSON.parse(cli(dataDir, '', '--json', 'alerts', 'unread')), { unread: 0 });
  assert.deepEqual(errors, [], 'no console errors');
});

// Saving a limit, the alert settings or a member's status as they are
// writes nothing and no audit entry, and the window says so (real bindings:
// team.LimitChange, AlertSettingsChange, MemberChange with unchanged).
// Alert thresholds typed in another order are the settings in force.
test('a limit, the alert settings and a status saved unchanged say so in the window and log nothing', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-unchanged-settings-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'Europe/Berlin');
  const as = (...args) => cli(dataDir, 'correct horse\n', '--user', 'alice', ...args);
  cli(dataDir, '1234\n', 'users', 'add', 'bob', '--pin');
  as('limits', 'set', 'bob', 'daily', '50');
  as('alerts', 'set', '--absolute', '80 50', '--percent', '20 10');
  const entries = (action) => JSON.parse(as('--json', 'audit', 'list', '--action', action)).length;

  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);
  await signIn(page, 'alice', 'correct horse');

  await page.goto(`${app.url}#/settings/team/limits`);
  await page.getByTestId('team-limits-member').selectOption({ label: 'bob' });
  await page.getByTestId('team-limit-amount').fill('50.00');
  await page.getByTestId('team-limit-save').click();
  await page.getByTestId('toast-info').filter({ hasText: "bob's daily limit is unchanged: they had it already (nothing saved)" })
    .waitFor({ timeout: 15000 });
  assert.equal(entries('limit.set'), 1, 'only the CLI set wrote limit.set');

  await page.goto(`${app.url}#/settings/team/alerts`);
  await page.getByTestId('team-alerts-absolute').fill('50 80 50');
  await page.getByTestId('team-alerts-save').click();
  await page.getByTestId('toast-info').filter({ hasText: 'The alert settings are unchanged: they were in force already (nothing saved)' })
    .waitFor({ timeout: 15000 });
  assert.equal(entries('alerts.update'), 1, 'only the CLI set wrote alerts.update');
  await page.getByTestId('team-alerts-absolute').fill('40 80');
  await page.getByTestId('team-alerts-save').click();
  await page.getByTestId('toast-success').filter({ hasText: 'Alert settings saved' }).waitFor({ timeout: 15000 });
  assert.equal(entries('alerts.update'), 2);
  assert.deepEqual(JSON.parse(as('--json', 'alerts', 'show')).absolute, ['80', '40'], 'stored highest first');

  // bob disabled with the CLI while the window still shows him active.
  await page.goto(`${app.url}#/settings/team/members`);
  await page.getByTestId('team-member-disable-bob').waitFor({ timeout: 15000 });
  await callGo(page, 'Team', 'DisableMember', 2);
  const disables = entries('member.disable');
  const again = await callGo(page, 'Team', 'DisableMember', 2);
  assert.equal(again.ok, true, JSON.stringify(again));
  assert.equal(again.value.unchanged, true);
  assert.equal(entries('member.disable'), disables, 'a disable of a disabled member is not logged');
  assert.deepEqual(errors, [], 'no console errors');
});

test('a first-run setup the backend refuses shows the wizard again with the reason and leaves no workspace', async (t) => {
  const app = await startApp(t); // a new data folder: the window makes its database, not set up
  const { page, errors } = await openPage(t, app.url);
  const status = (...args) => spawnSync(devBinary, ['--data-dir', app.dataDir, ...args], { input: '', encoding: 'utf8', timeout: 60000 });

  // Before the wizard is done nobody is signed in: a bound method called
  // from the page (devtools, a script that got in) is refused, not run as
  // the system on the new database.
  await page.getByTestId('team-wizard-name').waitFor({ timeout: 30000 });
  const tried = {
    'Credits.TopUp': await callGo(page, 'Credits', 'TopUp', { id: 'e2e-1', account: 'pool', amount: '1000', price: '0', currency: 'EUR' }),
    'Providers.Add': await callGo(page, 'Providers', 'Add', { name: 'evil', kind: 'openai', apiKey: 'sk-evil-0123456789' }),
    'Team.AddMember': await callGo(page, 'Team', 'AddMember', { name: 'mallory', role: 'admin', secretKind: 'pin', secret: '4321' }),
    'Rates.AddModel': await callGo(page, 'Rates', 'AddModel', 'openai', 'evil-model'),
    'System.SetSetting': await callGo(page, 'System', 'SetSetting', 'workspace.name', 'Evil'),
    'Credits.Balance': await callGo(page, 'Credits', 'Balance', 'pool'),
  };
  for (const [what, r] of Object.entries(tried)) {
    assert.equal(r.ok, false, `${what} before setup answered ${JSON.stringify(r.value)}`);
    assert.match(r.error, /no workspace yet: finish the setup first/, what);
  }
  const sending = await callGo(page, 'Chat', 'Send', { conversationId: 1, messageId: 'm1', text: 'hi' });
  assert.equal(sending.value?.error?.code, 'forbidden', JSON.stringify(sending));
  assert.match(sending.value.error.message, /no workspace yet: finish the setup first/);
  // What the wizard needs still answers.
  const info = await callGo(page, 'System', 'Info');
  assert.ok(info.ok && info.value.version, JSON.stringify(info));

  // A tax id the page lets through but the backend refuses (65 characters).
  await page.getByTestId('team-wizard-name').fill('Acme');
  await page.getByTestId('team-wizard-tax-id').fill('1'.repeat(65));
  await page.getByTestId('team-wizard-next').click();
  await page.getByTestId('team-wizard-admin').fill('alice');
  await page.getByTestId('team-wizard-secret').fill('correct horse');
  await page.getByTestId('team-wizard-confirm').fill('correct horse');
  await page.getByTestId('team-wizard-submit').click();
  await page.getByTestId('team-wizard-error').waitFor({ timeout: 15000 });
  assert.match(await page.getByTestId('team-wizard-error-message').textContent(), /The tax id may have at most 64 characters/);
  // Still the wizard, with what was typed: no app shell behind it.
  assert.equal(await page.getByTestId('team-wizard-admin').inputValue(), 'alice');
  assert.equal(await page.locator('main[data-testid^="page-"]').count(), 0);

  // Nothing half-made: the CLI finds no workspace in the folder (it ran as
  // the system on the empty database before) and says how to make one.
  for (const args of [['credits', 'balance'], ['users', 'list'], ['credits', 'topup', '--amount', '5']]) {
    const r = status(...args);
    assert.equal(r.status, 5, `${args.join(' ')} after the refused setup: exit ${r.status}\n${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /no Meterdesk workspace in .* yet \(its database has no workspace: it was never set up\): run `meterdesk workspace setup`/);
  }

  // Corrected, the same wizard sets the workspace up and the app opens.
  await page.getByTestId('team-wizard-back').click();
  await page.getByTestId('team-wizard-tax-id').fill('DE123456789');
  await page.getByTestId('team-wizard-next').click();
  await page.getByTestId('team-wizard-secret').fill('correct horse');
  await page.getByTestId('team-wizard-confirm').fill('correct horse');
  await page.getByTestId('team-wizard-submit').click();
  await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 15000 });
  const r = status('workspace', 'show');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /tax id: +DE123456789/);
  assert.doesNotMatch(r.stdout, /Evil/);
  // Nothing the page tried before setup was written: no provider, no
  // credits, no other member.
  const members = status('users', 'list');
  assert.equal(members.status, 0, members.stderr);
  assert.doesNotMatch(members.stdout, /mallory/);
  const provs = status('providers', 'list');
  assert.equal(provs.status, 0, provs.stderr);
  assert.doesNotMatch(provs.stdout, /evil/);
  // Signed in as its admin, the window's calls work as usual.
  const balance = await callGo(page, 'Credits', 'Balance', 'pool');
  assert.ok(balance.ok, JSON.stringify(balance));
  assert.equal(balance.value.available, '0');

  assert.deepEqual(errors, [], 'no console errors');
});
