// Restore from a backup, from the window: Settings → General → Restore.
// A file that is not a backup is refused with the reason and nothing
// staged; a real backup (made with `meterdesk backup`) is described, and
// after "Restore and restart" the window closes, Meterdesk starts again by
// itself, finishes the restore and opens on the backup's data: the pool,
// the workspace name, a toast saying so, the replaced database kept in the
// data folder and the restore in the audit log.
//
// The native open dialog cannot be driven from a browser: the test answers
// it by replacing System.ChooseRestoreFile on the page; everything after it
// (check, stage, restart) is the real backend.
//
// Needs: the dev binary (make dev-build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp, openPage, cli, setupWorkspace } from './lib/harness.js';

/** Answers the next native open dialog with file. */
const answerOpenDialog = (page, file) =>
  page.evaluate((f) => {
    window.go.app.System.ChooseRestoreFile = () => Promise.resolve(f);
  }, file);

test('a backup is restored from the window, which restarts on it', async (t) => {
  const files = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-restore-'));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-'));
  let app;
  t.after(async () => {
    await app?.stop(); // the restarted app included
    await Promise.all([files, dataDir].map((d) => rm(d, { recursive: true, force: true })));
  });
  setupWorkspace(dataDir);
  cli(dataDir, ['credits', 'topup', '--amount', '250', '--price', '0', '--currency', 'EUR']);
  const backup = path.join(files, 'acme.db');
  cli(dataDir, ['backup', '--out', backup]);
  // Changed after the backup: these are what the restore takes back.
  cli(dataDir, ['workspace', 'update', '--name', 'Renamed Co']);
  cli(dataDir, ['credits', 'topup', '--amount', '50', '--price', '0', '--currency', 'EUR']);

  app = await startApp(t, { dataDir, ownDisplay: true });
  const { page, errors } = await openPage(t, app.url);
  await page.evaluate(() => (window.location.hash = '#/settings/general'));
  await page.getByTestId('settings-restore-choose').waitFor({ timeout: 30000 });
  // The sidebar shows the name once read (blank before, never a placeholder).
  await page.waitForFunction(() => document.querySelector('[data-testid="sidebar-workspace-name"]')?.textContent === 'Renamed Co',
    null, { timeout: 15000 });

  // Not a backup: refused with the reason; nothing staged.
  const notes = path.join(files, 'notes.db');
  await writeFile(notes, 'not a database');
  await answerOpenDialog(page, notes);
  await page.getByTestId('settings-restore-choose').click();
  const refused = page.getByTestId('settings-restore-error');
  await refused.waitFor({ timeout: 15000 });
  assert.match(await refused.textContent(), /Restore refused.*not an SQLite database/s);
  assert.equal(await page.getByTestId('dialog').count(), 0);
  assert.ok(!(await readdir(dataDir)).some((f) => f.includes('restore')), 'a refused restore left files');

  // The backup: described, then restored.
  await answerOpenDialog(page, backup);
  await page.getByTestId('settings-restore-choose').click();
  await page.getByTestId('dialog').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('dialog-title').textContent(), 'Restore “Acme Research”?');
  assert.match(await page.getByTestId('dialog-message').textContent(), /1 member, 250\.00 credits in the pool/);
  await page.getByTestId('dialog-ok').click();
  const code = await Promise.race([app.exited, new Promise((r) => setTimeout(() => r('still running'), 30000))]);
  assert.equal(code, 0, `the window did not close to restart:\n${app.logs()}`);

  // Meterdesk starts again by itself, on the restored database.
  await app.serving(60000);
  const { page: again, errors: errorsAgain } = await openPage(t, app.url);
  await again.getByTestId('toast-success').filter({ hasText: 'Database restored' }).waitFor({ timeout: 30000 });
  await again.waitForFunction(() => document.querySelector('[data-testid="sidebar-workspace-name"]')?.textContent === 'Acme Research',
    null, { timeout: 15000 });
  await again.waitForFunction(() => document.querySelector('[data-testid="balance-amount"]')?.textContent === '250.00',
    null, { timeout: 15000 });
  await again.evaluate(() => (window.location.hash = '#/settings/general'));
  const finished = again.getByTestId('settings-restore-finished');
  await finished.waitFor({ timeout: 15000 });
  assert.match(await finished.textContent(), /meterdesk\.db\.before-restore-/);

  const kept = (await readdir(dataDir)).filter((f) => f.startsWith('meterdesk.db.before-restore-'));
  assert.equal(kept.length, 1, `kept: ${kept}`);
  assert.ok(!(await readdir(dataDir)).includes('restore-pending'), 'the staging folder is left');
  assert.match(cli(dataDir, ['audit', 'list', '--action', 'database.restore']), /alice/);
  assert.match(cli(dataDir, ['credits', 'verify']), /ledger ok/);
  assert.deepEqual(errors.filter((e) => !/Failed to fetch|ERR_CONNECTION|websocket/i.test(e)), []);
  assert.deepEqual(errorsAgain, []);
});
