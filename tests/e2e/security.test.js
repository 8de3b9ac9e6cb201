// Model output is untrusted: a reply full of script, event handlers,
// javascript: links and SVG must render as inert content in the real app
// (real frontend, real Go bindings), and nothing in it may reach the
// bindings — here: a top-up the hostile markup tries to make through
// window.go.app.Credits.TopUp must not happen, and no global it sets exists.
//
// Needs: the dev binary (make dev-build) and tests/fakeprovider.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp, openPage, devBinary } from './lib/harness.js';
import { startFakeProvider } from './lib/fakeprovider.js';


function cli(dataDir, stdin, ...args) {
  const r = spawnSync(devBinary, ['--data-dir', dataDir, ...args], { input: stdin, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `meterdesk ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}


// Each line is a different way a model could try to run code in the window.
const topUp = "window.go.app.Credits.TopUp({account:'pool',amount:'5000',price:'0',currency:'EUR'})";
const hostile = [
  `<script>window.__pwned=1;${topUp}</script>`,
  `<img src=x onerror="window.__pwned=2;${topUp}">`,
  `<svg onload="window.__pwned=3"><circle r=5 /></svg>`,
  `[click me](javascript:window.__pwned=4)`,
  `<a href="javascript:window.__pwned=5">link</a>`,
  `<iframe src="javascript:parent.__pwned=6"></iframe>`,
  `<details open ontoggle="window.__pwned=7">x</details>`,
  'Plain **bold** survives.',
].join('\n\n');

test('hostile model output renders inert and never reaches the bindings', async (t) => {
  const baseURL = await startFakeProvider(t, ['-reply', hostile, '-prompt', '10', '-completion', '40', '-delay', '1ms', '-models', 'gpt-4o']);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-sec-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'UTC');
  cli(dataDir, '', 'providers', 'add', '--name', 'fake', '--kind', 'openai_compatible', '--url', baseURL);
  cli(dataDir, '', 'rates', 'set', 'local', 'gpt-4o', '--input', '0.001', '--output', '0.001');
  cli(dataDir, '', 'credits', 'topup', '--amount', '100', '--price', '0', '--currency', 'EUR');

  const app = await startApp(t, { dataDir });
  const { page } = await openPage(t, app.url);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.locator('main[data-testid^="page-"]').waitFor({ timeout: 30000 });
  await page.goto(`${app.url}#/chat`);
  await page.getByTestId('chat-new').click();
  await page.getByTestId('chat-input').fill('Say something dangerous');
  await page.getByTestId('chat-send').click();
  await page.getByTestId('chat-breakdown').waitFor({ timeout: 30000 });

  const md = page.getByTestId('chat-markdown').last();
  assert.equal(await md.locator('strong').textContent(), 'bold', 'ordinary Markdown still renders');
  assert.match(await md.textContent(), /click me/, 'the hostile reply reached the page');
  // Nothing executable is left in the rendered message: raw HTML is shown
  // as text, so no element of it exists, and no element carries an event
  // handler or a javascript: address.
  const found = await md.evaluate((root) => {
    const bad = [];
    for (const el of root.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'img', 'svg', 'iframe', 'details', 'object', 'embed'].includes(tag)) bad.push(`<${tag}>`);
      for (const a of el.attributes) {
        if (a.name.startsWith('on') || /^\s*javascript:/i.test(a.value)) bad.push(`${tag} ${a.name}="${a.value}"`);
      }
    }
    return bad;
  });
  assert.deepEqual(found, [], `rendered message has live parts: ${await md.innerHTML()}`);
  assert.match(await md.textContent(), /<script>window\.__pwned=1/, 'raw HTML is shown as text');
  // Clicking the links that remain (the Markdown [click me], stripped of its
  // address) does not run anything either: there is one to click, and each
  // click lands.
  const links = await md.locator('a').all();
  assert.ok(links.length >= 1, `no link left to click: ${await md.innerHTML()}`);
  for (const a of links) await a.click({ force: true });
  await page.waitForTimeout(500); // what a click would run has run by now
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'hostile output ran script');
  assert.deepEqual(dialogs, []);

  // The ledger saw exactly one top-up (ours) and one usage charge: the
  // hostile TopUp never reached the bindings.
  const history = JSON.parse(cli(dataDir, '', '--json', 'credits', 'history', '--account', 'pool'));
  const items = history.items ?? history.transfers ?? history;
  const ops = items.map((i) => i.op ?? i.kind ?? i.operation);
  assert.equal(ops.filter((o) => o === 'topup').length, 1, `ledger history: ${JSON.stringify(ops)}`);
});
