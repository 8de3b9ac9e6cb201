// Settings → General → Check database: an admin reads every page of the
// database the window has open (System.CheckDatabase) and is told it is
// sound, while `meterdesk check` works beside the window (both hold the
// data folder's lock shared). A member sees no card, and the Go binding
// refuses the call made directly.
//
// Needs: the dev binary (make dev-build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp, openPage, devBinary, waitForText, waitForValue } from './lib/harness.js';

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

const sound = /^\s*Database is sound \(\d+(\.\d)? (KB|MB), checked just now\)\.\s*$/;

test('an admin checks the open database from Settings → General; a member is refused', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-check-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice');
  cli(dataDir, '1234\n', 'users', 'add', 'bob', '--pin');

  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);

  // A member: no card, and the binding refuses.
  await signIn(page, 'bob', '1234');
  await page.goto(`${app.url}#/settings/general`);
  await page.getByTestId('settings-info-version').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('settings-check').count(), 0);
  const refused = await page.evaluate(async () => {
    try {
      return { ok: true, value: await window.go.app.System.CheckDatabase() };
    } catch (err) {
      return { ok: false, error: String(err) };
    }
  });
  assert.equal(refused.ok, false, `a member checked the database: ${JSON.stringify(refused)}`);
  assert.match(refused.error, /check the database: not allowed for your role \(admin only\)/);

  // The admin: the card sits above Restore; a click checks the database.
  await page.getByTestId('signed-in-lock').click();
  await signIn(page, 'alice', 'correct horse');
  await page.goto(`${app.url}#/settings/general`);
  const run = page.getByTestId('settings-check-run');
  await run.waitFor({ timeout: 15000 });
  const order = await page.evaluate(() => {
    const check = document.querySelector('[data-testid="settings-check"]');
    const restore = document.querySelector('[data-testid="settings-restore"]');
    return !!check && !!restore && !!(check.compareDocumentPosition(restore) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(order, 'the Check database card is above the Restore card');
  await run.click();
  await waitForText(page, 'settings-check-result', sound, 30000);

  // `meterdesk check` beside the open window: its shared lock beside the
  // window's, the database read through the window's -wal.
  assert.match(cli(dataDir, '', 'check'), /^no damage in .*meterdesk\.db \(.*\): every page checked\n$/);

  // From the keyboard: focus the button, Enter, and the check runs again.
  // (The calls are counted on their way to the binding, and held a moment
  // so the busy button can be seen.) The busy button keeps the focus
  // (aria-disabled, not disabled, which drops it to <body>) and ignores a
  // second Enter.
  await page.evaluate(() => {
    const sys = window.go.app.System;
    const real = sys.CheckDatabase;
    window.__checks = 0;
    sys.CheckDatabase = async (...a) => {
      window.__checks++;
      await new Promise((r) => setTimeout(r, 1500));
      return real(...a);
    };
  });
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
  await run.focus();
  await page.keyboard.press('Enter');
  await waitForValue(() => page.evaluate(() => window.__checks), (n) => n === 1, 'one check from the keyboard');
  assert.equal(await run.getAttribute('aria-disabled'), 'true');
  assert.equal(await focused(), 'settings-check-run', 'the focus stays on the busy button');
  await page.keyboard.press('Enter'); // busy: ignored
  await waitForText(page, 'settings-check-result', sound, 30000);
  assert.equal(await page.evaluate(() => window.__checks), 1, 'Enter on the busy button checked again');
  assert.equal(await run.getAttribute('aria-disabled'), 'false');
  assert.equal(await focused(), 'settings-check-run', 'the focus stays on the button after the check');

  assert.deepEqual(errors, [], 'no console errors');
});
