// Settings → General round trip: the workspace name typed in the page is
// saved through the Go binding into SQLite and comes back after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openPage, cli, defaultWorkspace } from './lib/harness.js';

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

  // Billing details: saved through the same call as `meterdesk workspace
  // update`, so the CLI reads them back; the name saved above is kept.
  await page.getByTestId('settings-billing-tax').fill('DE123456789');
  await page.getByTestId('settings-billing-address').fill('Hauptstr. 1\n10115 Berlin');
  await page.getByTestId('settings-billing-value-input').fill('0.02');
  await page.getByTestId('settings-billing-save').click();
  await page.getByTestId('settings-billing-saved').waitFor();
  const env = { METERDESK_PASSWORD: defaultWorkspace.secret };
  const ws = JSON.parse(cli(app.dataDir, ['--json', '--user', defaultWorkspace.admin, 'workspace', 'show'], { env }));
  assert.equal(ws.taxId, 'DE123456789');
  assert.equal(ws.address, 'Hauptstr. 1\n10115 Berlin');
  assert.equal(ws.creditValue, '0.02');
  assert.equal(ws.currency, 'EUR');
  assert.equal(ws.name, name);
  // A bad value is refused in the page: nothing reaches the backend.
  await page.getByTestId('settings-billing-currency').fill('EURO');
  await page.getByTestId('settings-billing-currency-error').waitFor();
  assert.equal(await page.getByTestId('settings-billing-save').isDisabled(), true);

  assert.deepEqual(errors, [], 'no console errors');
});

async function assertSidebarName(page, name) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="sidebar-workspace-name"]')?.textContent?.trim() === want,
    name,
    { timeout: 15000 },
  );
}
