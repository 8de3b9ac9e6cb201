// Settings → General round trip: the workspace name typed in the page is
// saved through the Go binding into SQLite and comes back after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openPage } from './lib/harness.js';

test('workspace name saved in Settings → General survives a reload', async (t) => {
  // A set-up one-admin workspace opens straight on the app shell.
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);

  // The page ships a Content-Security-Policy meta tag.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.ok(csp, 'CSP meta tag present');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /object-src 'none'/);

  // Navigate like a person: Settings → General in the sidebar.
  await page.getByTestId('nav-settings-general').click();
  await page.getByTestId('page-settings-general').waitFor();
  const input = page.getByTestId('settings-workspace-name');
  await input.waitFor();
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="settings-workspace-name"]')?.disabled,
    undefined,
    { timeout: 15000 },
  );

  const name = `Acme Research ${Date.now() % 100000}`;
  await input.fill(name);
  await page.getByTestId('settings-save').click();
  await page.getByTestId('settings-saved').waitFor();
  await assertSidebarName(page, name);

  // Reload: the value must come back from Go + SQLite, not from page state.
  await page.reload({ waitUntil: 'load' });
  await page.getByTestId('page-settings-general').waitFor();
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="settings-workspace-name"]')?.value === want,
    name,
    { timeout: 15000 },
  );
  assert.equal(await page.getByTestId('settings-workspace-name').inputValue(), name);
  await assertSidebarName(page, name);

  assert.deepEqual(errors, [], 'no console errors');
});

async function assertSidebarName(page, name) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="sidebar-workspace-name"]')?.textContent?.trim() === want,
    name,
    { timeout: 15000 },
  );
}
