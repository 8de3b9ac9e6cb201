// Keyboard and screen-reader behaviour that only a real browser shows: where
// the focus goes when the control that had it disappears, the modal dialog's
// Tab trap with a disabled button, Escape from outside the dialog, the skip
// link before sign-in, and the reply's announcement.
//
// Needs: the dev binary (make dev-build) and tests/fakeprovider (built here
// with `go build`, or MTRDSK_FAKEPROVIDER).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp, openPage, cli } from './lib/harness.js';
import { startFakeProvider } from './lib/fakeprovider.js';

/** The focused element as "tag[data-testid]" (or "body", or "main#main"). */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return 'body';
    return `${e.tagName.toLowerCase()}${e.id === 'main' ? '#main' : ''}${e.dataset.testid ? `[${e.dataset.testid}]` : ''}`;
  });
}

/** Waits until the focus is on what `want` says (as focused() writes it). */
async function focusIs(page, want, what) {
  let got = '';
  for (let i = 0; i < 50; i++) {
    got = await focused(page);
    if (got === want) return;
    await page.waitForTimeout(100);
  }
  assert.equal(got, want, what);
}

test('the focus is kept, the dialog traps Tab and Escape, the skip link works before sign-in, a reply is announced', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-a11y-'));
  const baseURL = await startFakeProvider(t, ['-reply', 'One two three four five six seven eight.', '-delay', '150ms', '-models', 'gpt-4o']);
  cli(dataDir, ['workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'UTC'],
    { input: 'correct horse\n' });
  cli(dataDir, ['providers', 'add', '--name', 'fake', '--kind', 'openai_compatible', '--url', baseURL]);
  cli(dataDir, ['rates', 'set', 'local', 'gpt-4o', '--input', '0.002', '--output', '0.008']);
  cli(dataDir, ['credits', 'topup', '--amount', '500', '--price', '0', '--currency', 'EUR']);
  cli(dataDir, ['users', 'add', 'bob', '--pin'], { input: '1234\n' });

  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);
  await page.getByTestId('team-picker').waitFor({ timeout: 30000 });

  // Before sign-in: the skip link has a target and nothing throws.
  await page.keyboard.press('Tab');
  await focusIs(page, 'a[skip-link]', 'the skip link is the first Tab stop');
  await page.keyboard.press('Enter');
  await focusIs(page, 'main#main', 'Skip to content focuses the sign-in screen');

  // A wrong password marks the field; signing in puts the focus on the page.
  await page.getByTestId('team-profile-alice').click();
  await page.getByTestId('team-signin-secret').fill('wrong pass');
  await page.keyboard.press('Enter');
  await page.getByTestId('team-signin-error').waitFor();
  assert.equal(await page.getByTestId('team-signin-secret').getAttribute('aria-invalid'), 'true');
  await page.getByTestId('team-signin-secret').fill('correct horse');
  await page.keyboard.press('Enter');
  await page.locator('main[data-testid^="page-"]').waitFor({ timeout: 15000 });
  await focusIs(page, 'main#main[page-chat]', 'after sign-in the focus is on the page');

  await page.getByTestId('chat-new').click();
  await page.getByTestId('chat-input').waitFor();

  // Model settings: the first field, then back to the button on Escape.
  await page.getByTestId('chat-settings-edit').focus();
  await page.keyboard.press('Enter');
  await focusIs(page, 'input[chat-settings-temperature]', 'the settings open on their first field');
  await page.keyboard.press('Escape');
  await focusIs(page, 'button[chat-settings-edit]', 'Escape gives the focus back to the settings button');

  // Rename with an empty title: its button is disabled, Tab stays in the dialog.
  await page.getByTestId('chat-rename').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('dialog').waitFor();
  await focusIs(page, 'input[dialog-input]', 'the dialog takes the focus');
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  assert.equal(await page.getByTestId('dialog-ok').isDisabled(), true);
  await page.keyboard.press('Tab');
  await focusIs(page, 'button[dialog-cancel]', 'Tab from the field goes to Cancel');
  await page.keyboard.press('Tab');
  await focusIs(page, 'input[dialog-input]', 'Tab from Cancel wraps to the field, past the disabled button');
  await page.keyboard.press('Shift+Tab');
  await focusIs(page, 'button[dialog-cancel]', 'Shift+Tab from the field goes to Cancel');
  assert.equal(await page.locator('.shell').evaluate((e) => e.closest('[inert]') !== null), true, 'the window behind is inert');
  // The focus leaves the dialog (to the page): Escape still cancels, the focus goes back to Rename.
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('Escape');
  await page.getByTestId('dialog').waitFor({ state: 'detached' });
  await focusIs(page, 'button[chat-rename]', 'Escape from outside the dialog cancels it');
  assert.equal(await page.locator('[inert]').count(), 0, 'nothing stays inert');

  // Send with the button: the focus stays in the composer; Tab reaches Stop.
  await page.getByTestId('chat-input').fill('Hello there');
  await page.getByTestId('chat-send').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('chat-stop').waitFor();
  await focusIs(page, 'textarea[chat-input]', 'Send gives way to Stop: the focus is in the message box');
  await page.keyboard.press('Tab');
  await focusIs(page, 'button[chat-stop]', 'Stop is the next Tab stop');
  // The reply ends while Stop has the focus: it goes back to the message box, not to the page.
  await page.getByTestId('chat-send').waitFor({ timeout: 30000 });
  await focusIs(page, 'textarea[chat-input]', 'Stop gives way to Send: the focus is in the message box');
  const said = page.getByTestId('chat-announce');
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-announce"]')?.textContent?.startsWith('Reply '), null, { timeout: 15000 });
  assert.match(await said.textContent(), /^Reply (finished|stopped) · [\d.]+ credits$/);
  assert.equal(await said.getAttribute('role'), 'status');

  // Edit → Escape: back to Edit.
  await page.getByTestId('chat-edit').focus();
  await page.keyboard.press('Enter');
  await focusIs(page, 'textarea[chat-edit-input]', 'the editor takes the focus');
  await page.keyboard.press('Escape');
  await focusIs(page, 'button[chat-edit]', 'Escape gives the focus back to Edit');

  assert.deepEqual(errors, []);
});
