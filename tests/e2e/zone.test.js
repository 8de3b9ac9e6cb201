// The workspace time zone end to end: the admin changes it in Settings →
// General (the real Go backend checks the name), the CLI sees the change,
// and the usage page and the statement preview count their dates in it —
// the usage page's default range ends on today's date in that zone, which
// may differ from this computer's. A zone changed with the CLI after the
// page loaded is not overwritten by the window's save (refused, Reload).
//
// Needs: the dev binary (make dev-build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openPage, cli, waitForValue } from './lib/harness.js';

// A zone whose date differs from UTC's right now (UTC+14 late in the UTC
// day, UTC-11 early in it), so the page has to take "today" from the backend.
const zone = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';

test('the admin sets the workspace time zone; usage days and statement months follow it', async (t) => {
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);
  await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  await page.goto(`${app.url}#/settings/general`);
  const input = page.getByTestId('settings-zone-input');
  await input.waitFor({ timeout: 15000 });

  // An unknown zone is refused by Go; nothing changes.
  const before = cli(app.dataDir, ['workspace', 'show']);
  await input.fill('Mars/Olympus_Mons');
  await page.getByTestId('settings-zone-save').click();
  assert.match(await page.getByTestId('settings-zone-error').textContent(), /"Mars\/Olympus_Mons" is not an IANA zone name/);
  assert.equal(cli(app.dataDir, ['workspace', 'show']), before);

  await input.fill(zone);
  await page.getByTestId('settings-zone-save').click();
  await page.getByTestId('settings-zone-saved').waitFor({ timeout: 15000 });
  assert.match(cli(app.dataDir, ['workspace', 'show']), new RegExp(`time zone: +${zone}\\n`));
  assert.match(cli(app.dataDir, ['workspace', 'show']), /name: +Acme Research\n/);

  // The usage page: days in that zone, the range ending on its today.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
  await page.goto(`${app.url}#/usage`);
  await page.getByTestId('usage-zone').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('usage-zone').textContent(), `Days in ${zone} time`);
  await page.waitForFunction((d) => document.querySelector('[data-testid="usage-to"]')?.value === d, today, { timeout: 15000 });

  // The statement preview names the zone its month runs in.
  await page.goto(`${app.url}#/statements`);
  await page.getByTestId('statements-preview').click();
  await page.getByTestId('statements-zone').waitFor({ timeout: 15000 });
  assert.match(await page.getByTestId('statements-zone').textContent(), new RegExp(`${zone} time`));
  assert.deepEqual(errors, []);
});

// A zone changed with the CLI after the page read the workspace: the
// window's save of another zone would have undone it without a word. Go
// refuses it (nothing written) naming the zone now; the card keeps what was
// typed, Reload reads the workspace again, and Save then applies the edit.
test('a zone changed with the CLI since the page loaded: the save is refused, Reload, then saved', async (t) => {
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);
  await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  await page.goto(`${app.url}#/settings/general`);
  const input = page.getByTestId('settings-zone-input');
  await input.waitFor({ timeout: 15000 });
  const shown = await input.inputValue();

  cli(app.dataDir, ['workspace', 'update', '--timezone', 'Europe/Paris', '--idle-lock', '45']);
  const before = cli(app.dataDir, ['workspace', 'show']);
  await input.fill('Asia/Tokyo');
  await page.getByTestId('settings-zone-save').click();
  assert.equal(
    await page.getByTestId('settings-zone-error').textContent(),
    'The time zone was changed by someone else since you opened it (now Europe/Paris): reload and try again',
  );
  assert.equal(cli(app.dataDir, ['workspace', 'show']), before);
  assert.equal(await input.inputValue(), 'Asia/Tokyo');
  assert.notEqual(shown, 'Europe/Paris');

  // Reload from the keyboard: the button goes with the refusal and hands the
  // focus to Save, where Enter applies the kept edit.
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
  await page.getByTestId('settings-zone-reload').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('settings-zone-reloaded').waitFor({ timeout: 15000 });
  assert.equal(await input.inputValue(), 'Asia/Tokyo');
  assert.equal(await page.getByTestId('settings-idle-input').inputValue(), '45');
  await waitForValue(focused, (f) => f === 'settings-zone-save', 'the focus on Save after Reload');
  await page.keyboard.press('Enter');
  await page.getByTestId('settings-zone-saved').waitFor({ timeout: 15000 });
  assert.equal(await focused(), 'settings-zone-save', 'the focus stays on Save after the save');
  const after = cli(app.dataDir, ['workspace', 'show']);
  assert.match(after, /time zone: +Asia\/Tokyo\n/);
  assert.match(after, /idle lock: +45 min\n/);
  assert.deepEqual(errors, []);
});
