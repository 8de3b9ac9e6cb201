// Changes made by another process reach the open window: the CLI, run on the
// same data folder while the window is open, tops up the pool and adds a
// member; the window's header balance, the Credits page and the member list
// follow within a few seconds, without a reload, a page change or a focus
// change (the backend's watch emits `data:changed`).
//
// Needs: the dev binary (make dev-build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openPage, cli } from './lib/harness.js';

const text = (page, id) => page.getByTestId(id).first().textContent();

test("another process's changes reach the open window", async (t) => {
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);
  await page.goto(`${app.url}#/settings/credits`);
  await page.getByTestId('credits-available').waitFor({ timeout: 30000 });
  await page.getByTestId('balance-amount').waitFor({ timeout: 15000 });
  assert.equal(await text(page, 'balance-amount'), '0.00');
  assert.equal(await text(page, 'credits-available'), '0.00 credits');

  // A top-up in a terminal: the header and the page follow.
  cli(app.dataDir, ['credits', 'topup', '--amount', '250', '--price', '0', '--currency', 'EUR']);
  await page.waitForFunction(() => document.querySelector('[data-testid="balance-amount"]')?.textContent === '250.00',
    null, { timeout: 10000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="credits-available"]')?.textContent === '250.00 credits',
    null, { timeout: 10000 });

  // A member added in a terminal appears in the open member list.
  await page.goto(`${app.url}#/settings/team/members`);
  await page.getByTestId('team-member-alice').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('team-member-bob').count(), 0);
  cli(app.dataDir, ['users', 'add', 'bob', '--pin'], { input: '1234\n' });
  await page.getByTestId('team-member-bob').waitFor({ timeout: 10000 });
  assert.deepEqual(errors, []);
});
