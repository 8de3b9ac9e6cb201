// Statements for people and departments that are gone: a member removed and a
// department archived with the CLI are still in the Statements page's scope
// lists, after the current ones and marked so, and their statement
// previews (which name them "dave (removed)", "Legal (archived)", as the
// CLI's statement does); the CLI finds the removed member by name too.
//
// Needs: the dev binary (make dev-build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openPage, cli, defaultWorkspace } from './lib/harness.js';

test('a removed member and an archived department keep their statements in the window', async (t) => {
  const app = await startApp(t, { setup: true });
  const asAlice = (args, input = '') => cli(app.dataDir, ['--user', 'alice', ...args], { input, env: { METERDESK_PASSWORD: defaultWorkspace.secret } });
  cli(app.dataDir, ['users', 'add', 'bob', '--pin'], { input: '1234\n' });
  asAlice(['users', 'add', 'dave', '--pin'], '5678\n');
  // Credits in dave's wallet, kept there at his removal: a wallet with nothing in it has no section of zeros.
  asAlice(['credits', 'topup', '--amount', '10', '--price', '0', '--currency', 'EUR']);
  asAlice(['credits', 'transfer', '--from', 'pool', '--to', 'user:3', '--amount', '5']);
  asAlice(['users', 'remove', 'dave']);
  asAlice(['departments', 'add', 'Research']);
  asAlice(['departments', 'add', 'Legal']);
  asAlice(['departments', 'archive', '2']);
  const month = new Date().toISOString().slice(0, 7);
  assert.match(asAlice(['statement', '--month', month, '--member', 'dave', '--format', 'csv', '--out', '-']), /\nstatement,,,name,dave \(removed\),/);

  const { page, errors } = await openPage(t, app.url);
  await page.goto(`${app.url}#/statements`);
  await page.getByTestId('statements-scope').waitFor({ timeout: 30000 });
  await page.getByTestId('statements-scope').selectOption('member');
  const pick = page.getByTestId('statements-scope-pick');
  await pick.waitFor({ timeout: 15000 });
  assert.deepEqual(await pick.locator('option').allTextContents(), ['alice', 'bob', 'dave (removed)']);
  await pick.selectOption({ label: 'dave (removed)' });
  await page.getByTestId('statements-preview').click();
  await page.locator('[data-testid="statements-summary"] h2', { hasText: 'dave (removed) ·' }).waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('statements-account').textContent(), "dave (removed)'s wallet");

  await page.getByTestId('statements-scope').selectOption('department');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="statements-scope-pick"] option')].map((o) => o.textContent).join('|') === 'Research|Legal (archived)',
    null, { timeout: 15000 });
  await page.getByTestId('statements-scope-pick').selectOption({ label: 'Legal (archived)' });
  await page.getByTestId('statements-preview').click();
  await page.locator('[data-testid="statements-summary"] h2', { hasText: 'Legal (archived) ·' }).waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('statements-error').count(), 0);
  assert.deepEqual(errors, []);
});
