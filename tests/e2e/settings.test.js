// Settings → General round trip: the workspace name typed in the page is
// saved through the Go binding into SQLite and comes back after a reload; a
// rename made with the CLI meanwhile is refused, not overwritten.
// Settings → Providers: the form's kind, base URL and key follow each other
// (docs/providers.md, "The window's form") with the real presets binding,
// what it saves is what the CLI lists, and saving it unchanged says so.
// Offline: a connection test through a proxy that refuses names the proxy,
// and a save of a server that never answers says so after 3 s.
//
// Needs: the dev binary (make dev-build) and tests/fakeprovider (built by
// lib/fakeprovider.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startApp, openPage, cli, defaultWorkspace, waitForText, freePort, devBinary } from './lib/harness.js';
import { startFakeProvider } from './lib/fakeprovider.js';

test('workspace name saved in Settings → General survives a reload', async (t) => {
  // A set-up one-admin workspace opens straight on the app shell.
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);

  // The page ships a Content-Security-Policy meta tag.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.ok(csp, 'CSP meta tag present');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /object-src 'none'/);
  // The built page (vite build) allows no WebSocket: only Vite's dev server
  // adds ws: for its hot reload (frontend/devcsp.ts). Wails' IPC in this
  // browser is same-origin, which 'self' covers, as the page working shows.
  assert.doesNotMatch(csp, /wss?:/);

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

  // A rename made with the CLI after the page read the name is not
  // overwritten: the window's save (Team.PatchWorkspace with what it read)
  // is refused naming it, nothing written, the typed name stays, and after
  // Reload it is saved over it.
  cli(app.dataDir, ['workspace', 'update', '--name', 'Beta Co']);
  await input.fill('Gamma Co');
  await page.getByTestId('settings-save').click();
  await waitForText(page, 'settings-save-error',
    'The workspace name was changed by someone else since you opened it (now "Beta Co"): reload and try again');
  const shown = () => JSON.parse(cli(app.dataDir, ['--json', '--user', defaultWorkspace.admin, 'workspace', 'show'], { env })).name;
  assert.equal(shown(), 'Beta Co');
  await page.getByTestId('settings-reload').click();
  await page.getByTestId('settings-reloaded').waitFor();
  assert.equal(await input.inputValue(), 'Gamma Co');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('settings-saved').waitFor();
  assert.equal(shown(), 'Gamma Co');
  await assertSidebarName(page, 'Gamma Co');

  // A bad value is refused in the page: nothing reaches the backend.
  await page.getByTestId('settings-billing-currency').fill('EURO');
  await page.getByTestId('settings-billing-currency-error').waitFor();
  assert.equal(await page.getByTestId('settings-billing-save').isDisabled(), true);

  assert.deepEqual(errors, [], 'no console errors');
});

test('Settings → Providers: a kind change takes its own URL, and a key only goes where the form shows', async (t) => {
  const baseURL = await startFakeProvider(t, ['-reply', 'Hi.', '-models', 'llama3']);
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);
  await page.getByTestId('nav-settings-providers').click();
  await page.getByTestId('providers-add').click();
  const url = page.getByTestId('providers-url');
  const kind = page.getByTestId('providers-kind');
  const save = page.getByTestId('providers-save');
  const test = page.getByTestId('providers-test');
  assert.equal(await url.inputValue(), 'https://api.openai.com/v1');

  // Kind alone (no preset) brings its documented URL, from the presets binding.
  await kind.selectOption('anthropic');
  assert.equal(await url.inputValue(), 'https://api.anthropic.com');
  await waitForText(page, 'providers-url-note', "Base URL set to Anthropic Claude's documented server.");

  // Preset Ollama, then Kind Gemini: Gemini's server, not localhost.
  await page.getByTestId('providers-preset').selectOption('ollama');
  assert.equal(await kind.inputValue(), 'openai_compatible');
  assert.equal(await url.inputValue(), 'http://localhost:11434/v1');
  await kind.selectOption('gemini');
  assert.equal(await url.inputValue(), 'https://generativelanguage.googleapis.com');
  assert.equal(await page.getByTestId('providers-name').inputValue(), 'Google Gemini');

  // A cloud kind at another cloud kind's host is refused before anything is sent.
  await url.fill('https://api.openai.com/v1');
  await waitForText(page, 'providers-url-refused', /^api\.openai\.com is OpenAI's server, not Google Gemini's/);
  await page.getByTestId('providers-key').fill('AIza-e2e-not-a-real-key');
  assert.equal(await test.isDisabled(), true);
  assert.equal(await save.isDisabled(), true);

  // OpenRouter's preset needs a key although its kind is OpenAI-compatible.
  await page.getByTestId('providers-key').fill('');
  await page.getByTestId('providers-preset').selectOption('openrouter');
  assert.equal(await page.locator('label[for="pf-key"]').textContent(), 'API key');
  assert.equal(await save.isDisabled(), true);

  // A local OpenAI-compatible server (the fake) needs none: test it and save it.
  await page.getByTestId('providers-preset').selectOption('ollama');
  await url.fill(baseURL);
  await page.getByTestId('providers-name').fill('Fake local');
  assert.equal(await page.locator('label[for="pf-key"]').textContent(), 'API key (optional for local servers)');
  await test.click();
  await waitForText(page, 'providers-test-result', /^✓ /, 30000);
  await save.click();
  await page.getByTestId('providers-list').waitFor();
  const listed = JSON.parse(cli(app.dataDir, ['--json', 'providers', 'list']));
  assert.deepEqual(listed.map((p) => [p.name, p.kind, p.baseUrl, p.hasKey]), [['Fake local', 'openai_compatible', baseURL, false]]);

  // Edit and Save as it is: nothing is saved or audited, and the window says so.
  const id = listed[0].id;
  await page.getByTestId(`providers-row-edit-${id}`).click();
  await save.click();
  await page.getByTestId('toast-info').filter({ hasText: 'Fake local is unchanged: it had these settings already (nothing saved)' })
    .waitFor({ timeout: 15000 });
  assert.deepEqual(JSON.parse(cli(app.dataDir, ['--json', 'audit', 'list', '--action', 'provider.update'])), []);

  // Edit: another kind keeps the typed URL, with a warning saying where the key would go.
  await page.getByTestId(`providers-row-edit-${id}`).click();
  await kind.selectOption('openai');
  assert.equal(await url.inputValue(), baseURL);
  await waitForText(page, 'providers-url-warning', /is not OpenAI's usual server \(https:\/\/api\.openai\.com\): the API key and the prompts go there/);
  assert.equal(await save.isDisabled(), true);
  await page.getByTestId('providers-cancel').click();

  assert.deepEqual(errors, [], 'no console errors');
});

test('Settings → Providers offline: a test through a proxy that refuses names the proxy; a save of a server that never answers says so after 3 s', async (t) => {
  const net = await import('node:net');
  // A closed port for the proxy, and a server that accepts and never answers.
  const closed = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const held = [];
  const silent = net.createServer((c) => { held.push(c); c.on('error', () => {}); });
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => { held.forEach((c) => c.destroy()); silent.close(); });
  const proxy = { HTTPS_PROXY: `http://127.0.0.1:${closed}`, HTTP_PROXY: `http://127.0.0.1:${closed}`, NO_PROXY: '' };
  const app = await startApp(t, { setup: true, env: proxy });
  cli(app.dataDir, ['providers', 'add', '--name', 'OpenAI', '--kind', 'openai'], { env: { ...proxy, METERDESK_API_KEY: 'sk-e2e-not-a-real-key-0000' } });
  const { page, errors } = await openPage(t, app.url);
  await page.getByTestId('nav-settings-providers').click();
  await page.getByTestId('providers-row-test-1').click();
  await waitForText(page, 'providers-row-result-1',
    new RegExp(`^The proxy this computer is set to use \\(HTTPS_PROXY or HTTP_PROXY\\) cannot be reached — is it running, or is the setting out of date\\? \\(cannot connect to api\\.openai\\.com: .*127\\.0\\.0\\.1:${closed}`), 15000);

  // A local server that accepts the connection and never answers is saved at once after the 3 s the listing waits.
  await page.getByTestId('providers-add').click();
  await page.getByTestId('providers-preset').selectOption('ollama');
  const silentURL = `http://127.0.0.1:${silent.address().port}/v1`;
  await page.getByTestId('providers-url').fill(silentURL);
  await page.getByTestId('providers-name').fill('Silent');
  const start = Date.now();
  await page.getByTestId('providers-save').click();
  await page.getByTestId('toast-warning').filter({ hasText: `Saved, but listing the models failed: list models 127.0.0.1:${silent.address().port}: no answer within 3 s (a server that is slow or busy, or a network that does not let the connection through); test the connection to wait longer` })
    .waitFor({ timeout: 15000 });
  assert.ok(Date.now() - start < 8000, `the save took ${Date.now() - start} ms`);
  assert.deepEqual(errors, [], 'no console errors');
});

test('Settings → Providers → Models: the list `providers models` prints, live from the fake, and offline with the catalogue not fetched in the CLI\'s words, and a Retry that lists it once the provider answers', async (t) => {
  const closed = await freePort();
  const baseURL = await startFakeProvider(t, ['-models', 'e2e-alpha,e2e-beta']);
  const app = await startApp(t, { setup: true });
  cli(app.dataDir, ['providers', 'add', '--name', 'Fake local', '--kind', 'openai_compatible', '--url', baseURL]);
  // A cloud kind whose server refuses connections and that never listed: the catalogue's models, not fetched.
  cli(app.dataDir, ['providers', 'add', '--name', 'Cloud', '--kind', 'openai', '--url', `http://127.0.0.1:${closed}/v1`, '--key-env', 'E2E_KEY'],
    { env: { E2E_KEY: 'sk-e2e-not-a-real-key-0000' } });
  const { page, errors } = await openPage(t, app.url);
  await page.getByTestId('nav-settings-providers').click();

  await page.getByTestId('providers-row-models-1').click();
  const live = page.getByTestId('providers-models-1');
  await waitForText(page, 'providers-models-fetched', /^Fetched from the provider \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+\.$/, 15000);
  assert.deepEqual(await live.getByRole('listitem').allTextContents(), ['e2e-alpha', 'e2e-beta']);
  // The CLI lists the same, and says when on stderr in the window's words and format (providers.ListWords).
  const fetched = await live.getByTestId('providers-models-fetched').textContent();
  const lr = spawnSync(devBinary, ['--data-dir', app.dataDir, 'providers', 'models', '1'], { encoding: 'utf8', timeout: 60000 });
  assert.equal(lr.status, 0, lr.stderr);
  assert.deepEqual(lr.stdout.trim().split('\n'), ['e2e-alpha', 'e2e-beta']);
  assert.match(lr.stderr, /^fetched from the provider \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+\n$/);
  assert.equal(lr.stderr.trim().split(' ').at(-1), fetched.slice(0, -1).split(' ').at(-1), 'the same zone');
  await page.getByTestId('providers-models-close-1').click();

  await page.getByTestId('providers-row-models-2').click();
  const off = page.getByTestId('providers-models-2');
  await off.getByTestId('providers-models-why').filter({ hasText: /^Offline: the provider cannot be reached/ }).waitFor({ timeout: 15000 });
  const shown = await off.getByTestId('providers-models-fetched').textContent();
  assert.match(shown,
    /^No last known list \(it never listed its models\); \d+ models of the rate catalogue the chat offers for it \(not fetched from the provider\)\.$/);
  const items = await off.getByRole('listitem').allTextContents();
  assert.ok(items.includes('gpt-4o · not fetched (rate catalogue)'), items.join(', '));
  // The window's words are the CLI's (providers.ListWords), after `provider "Cloud": `.
  const r = spawnSync(devBinary, ['--data-dir', app.dataDir, 'providers', 'models', '2'], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 1, r.stderr);
  const why = await off.getByTestId('providers-models-why').textContent();
  assert.ok(r.stderr.includes(`provider "Cloud": ${why.charAt(0).toLowerCase()}${why.slice(1)}; ${shown.charAt(0).toLowerCase()}${shown.slice(1, -1)}\n`), r.stderr);

  // The provider answers now, where it could not be reached: Retry lists it live.
  await startFakeProvider(t, ['-port', String(closed), '-models', 'gpt-4o,e2e-gamma']);
  await page.getByTestId('providers-models-retry-2').click();
  await off.getByTestId('providers-models-fetched').filter({ hasText: /^Fetched from the provider / }).waitFor({ timeout: 15000 });
  assert.deepEqual(await off.getByRole('listitem').allTextContents(), ['e2e-gamma', 'gpt-4o']);
  assert.equal(await off.getByTestId('providers-models-why').count(), 0);
  assert.equal(await off.getByTestId('providers-models-retry-2').count(), 0);
  assert.deepEqual(errors, [], 'no console errors');
});

async function assertSidebarName(page, name) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="sidebar-workspace-name"]')?.textContent?.trim() === want,
    name,
    { timeout: 15000 },
  );
}
