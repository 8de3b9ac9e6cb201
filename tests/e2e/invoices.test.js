// Invoices end to end: the Invoice details form starts with the workspace as
// the seller; the admin fills in Invoice details on the Statements page, a top-up (through the CLI, on the same data folder) is invoiced with
// those details, and a credit note issued from the page through the app's
// own dialog appears in the window and in `meterdesk invoice list`.
//
// Needs: the dev binary (make dev-build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openPage, cli } from './lib/harness.js';

test('invoice details, a top-up invoiced with them, and a credit note from the window', async (t) => {
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);
  await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  await page.goto(`${app.url}#/statements`);
  const form = page.getByTestId('statements-parties');
  await form.waitFor({ timeout: 15000 });

  // Until saved, the seller is the workspace (its name from the set-up).
  const sellerName = page.getByTestId('statements-seller-name');
  await page.waitForFunction(() => document.querySelector('[data-testid="statements-seller-name"]')?.value === 'Acme Research',
    null, { timeout: 15000 });
  assert.equal(cli(app.dataDir, ['invoice', 'parties']), 'Seller: Acme Research\nBuyer: —\n');

  // A seller without a name is refused in Go; nothing is stored.
  await sellerName.fill('');
  await page.getByTestId('statements-buyer-name').fill('Research team');
  await page.getByTestId('statements-parties-save').click();
  assert.equal(await page.getByTestId('statements-parties-error').textContent(), 'The seller needs a name');
  assert.equal(cli(app.dataDir, ['invoice', 'parties']), 'Seller: Acme Research\nBuyer: —\n');

  await page.getByTestId('statements-seller-name').fill('Acme Reseller GmbH');
  await page.getByTestId('statements-seller-address').fill('Hauptstraße 1\n50667 Köln');
  await page.getByTestId('statements-seller-tax-id').fill('DE123456789');
  await page.getByTestId('statements-parties-save').click();
  await page.getByTestId('statements-parties-error').waitFor({ state: 'detached' });
  assert.equal(cli(app.dataDir, ['invoice', 'parties']),
    'Seller: Acme Reseller GmbH\n  Hauptstraße 1\n  50667 Köln\n  tax id DE123456789\nBuyer: Research team\n');

  cli(app.dataDir, ['credits', 'topup', '--amount', '100', '--price', '19.99', '--currency', 'EUR']);
  await page.reload({ waitUntil: 'load' });
  const row = page.getByTestId('statements-invoice-INV-000001');
  await row.waitFor({ timeout: 15000 });
  const shown = cli(app.dataDir, ['invoice', 'show', 'INV-000001']);
  assert.match(shown, /Seller: Acme Reseller GmbH, Hauptstraße 1, 50667 Köln, tax id DE123456789/);
  assert.match(shown, /Buyer:  Research team/);

  // Credit note: the reason is asked in the app's dialog; Cancel issues nothing.
  await page.getByTestId('statements-invoice-credit-INV-000001').click();
  assert.equal(await page.getByTestId('dialog-title').textContent(), 'Credit note for INV-000001');
  await page.getByTestId('dialog-cancel').click();
  await page.getByTestId('dialog').waitFor({ state: 'detached' });
  assert.doesNotMatch(cli(app.dataDir, ['invoice', 'list']), /CN-/);
  await page.getByTestId('statements-invoice-credit-INV-000001').click();
  await page.getByTestId('dialog-input').fill('wrong buyer');
  await page.getByTestId('dialog-ok').click();
  await page.getByTestId('statements-invoice-CN-000001').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('statements-invoice-credit-INV-000001').count(), 0);
  assert.match(cli(app.dataDir, ['invoice', 'list']), /CN-000001 .* -19\.99 EUR  Credit note for INV-000001/);
  assert.deepEqual(errors, []);
});
