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
import { newChat } from './lib/chatsetup.js';


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

// What the first reply does not try: data: addresses, a link asking for a
// new window, a code fence whose language breaks out of its class, a link
// whose text is turned around by a right-to-left override, an SVG data image.
const E2E_RLO = '\u202e';
const hostile2 = [
  `[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD04PC9zY3JpcHQ+)`,
  `<a href="data:text/html,<script>parent.__pwned=9</script>">raw data link</a>`,
  `![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9cGFyZW50Ll9fcHduZWQ9MTA+)`,
  `<a href="https://example.com/new" target="_blank">new window</a>`,
  '```"><img src=x onerror="window.__pwned=11;' + topUp + '">\nfenced\n```',
  '```js" onmouseover="window.__pwned=12\nfenced2\n```',
  `[https://bank.example/${E2E_RLO}moc.live](https://evil.example/login)`,
  'Plain **bold** survives.',
].join('\n\n');

/** Rendered elements of root that could run or navigate: none should exist. */
function liveParts(root) {
  const bad = [];
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'img', 'svg', 'iframe', 'details', 'object', 'embed', 'style', 'form'].includes(tag)) {
      if (!(tag === 'img' && !el.hasAttribute('src'))) bad.push(`<${tag}>`);
    }
    for (const a of el.attributes) {
      if (a.name.startsWith('on') || a.name === 'target' || a.name === 'style') bad.push(`${tag} ${a.name}="${a.value}"`);
      if (['href', 'src'].includes(a.name) && !/^(https?:\/\/|mailto:)/i.test(a.value.trim())) bad.push(`${tag} ${a.name}="${a.value}"`);
    }
  }
  return bad;
}

test('data: links, new-window links, code-fence breakouts and bidi-spoofed links render inert; links open only through the browser call; the CSP forbids inline script', async (t) => {
  const { page, app } = await newChat(t, ['-reply', hostile2, '-prompt', '10', '-completion', '40', '-delay', '1ms', '-models', 'gpt-4o'],
    ['local', 'gpt-4o', '--input', '0.001', '--output', '0.001']);
  const popups = [];
  page.context().on('page', (p) => popups.push(p.url()));
  // The strict CSP is in the served page: no inline or eval'd script, no frames or plugins.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
  assert.equal(scriptSrc.trim(), "'self'", `script-src: ${csp}`);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /frame-src 'none'/);
  assert.match(csp, /base-uri 'none'/);
  // ...and it holds: an inline script put into the page does not run.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.appendChild(s);
  });
  assert.equal(await page.evaluate(() => window.__inline), undefined, 'an inline script ran despite the CSP');

  // Every link a click opens goes through the runtime's BrowserOpenURL (the
  // user's browser), recorded here instead.
  await page.evaluate(() => {
    window.__opened = [];
    window.runtime.BrowserOpenURL = (u) => window.__opened.push(u);
  });
  const startURL = page.url();
  await page.getByTestId('chat-input').fill('Say something dangerous');
  await page.getByTestId('chat-send').click();
  await page.getByTestId('chat-breakdown').waitFor({ timeout: 30000 });

  const md = page.getByTestId('chat-markdown').last();
  assert.equal(await md.locator('strong').textContent(), 'bold', 'ordinary Markdown still renders');
  assert.match(await md.textContent(), /new window/, 'the hostile reply reached the page');
  assert.deepEqual(await md.evaluate(liveParts), [], `rendered message has live parts: ${await md.innerHTML()}`);
  // The fences' code is shown, as code.
  assert.match(await md.locator('pre').first().textContent(), /fenced/);

  for (const a of await md.locator('a').all()) await a.click({ force: true });
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'hostile output ran script');
  assert.equal(page.url(), startURL, 'a link navigated the window');
  assert.deepEqual(popups, [], 'a link opened a window');
  // Only the http(s) links opened, each in the browser; the spoofed link's
  // tooltip names where it really goes.
  // (The raw <a target=_blank> is shown as its text, not as a link.)
  const opened = await page.evaluate(() => window.__opened);
  assert.deepEqual(opened, ['https://evil.example/login'], `opened: ${opened}`);
  assert.match(await md.textContent(), /<a href="https:\/\/example\.com\/new" target="_blank">/);
  const spoof = md.locator('a', { hasText: 'bank.example' });
  assert.equal(await spoof.getAttribute('title'), 'https://evil.example/login');
  assert.equal(await spoof.textContent(), 'https://bank.example/moc.live', 'the link text kept its right-to-left override');

  const history = JSON.parse(cli(app.dataDir, '', '--json', 'credits', 'history', '--account', 'pool'));
  const items = history.items ?? history.transfers ?? history;
  const ops = items.map((i) => i.op ?? i.kind ?? i.operation);
  assert.equal(ops.filter((o) => o === 'topup').length, 1, `ledger history: ${JSON.stringify(ops)}`);
});

test('a reply of 200 lines nested 150 list levels deep shows as text and leaves the window working', async (t) => {
  // 200 lines of 150 list markers each (a command line's argument is at
  // most 128 KiB, so the nesting is on each line, as "- - - …" counts).
  const nested = Array.from({ length: 200 }, (_, i) => `${'- '.repeat(150)}level ${i} <img src=x onerror="window.__pwned=13">`).join('\n');
  const { page } = await newChat(t, ['-reply', nested, '-prompt', '10', '-completion', '40', '-delay', '0s', '-models', 'gpt-4o'],
    ['local', 'gpt-4o', '--input', '0.001', '--output', '0.001']);
  await page.getByTestId('chat-input').fill('Nest');
  await page.getByTestId('chat-send').click();
  await page.getByTestId('chat-breakdown').waitFor({ timeout: 60000 });
  const md = page.getByTestId('chat-markdown').last();
  assert.match(await md.textContent(), /level 199 /);
  assert.deepEqual(await md.evaluate(liveParts), []);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // The window still answers: the input takes text.
  await page.getByTestId('chat-input').fill('still here');
  assert.equal(await page.getByTestId('chat-input').inputValue(), 'still here');
});
