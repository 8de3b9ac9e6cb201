// A 1024×768 window: wide settings tables scroll inside their card, never
// the page. Team → Members wraps its row actions so Disable and Remove are
// on screen; Settings → Rates keeps its table within the window's height (so
// its sideways scroll bar is visible) with the header and the model names in
// place while it scrolls. Settings → Credits' history wraps "Workspace pool"
// between its words beside a long model id. No page scrolls the window
// itself (the shell, with its header): Statements' invoice table, with its
// visually hidden "Actions" heading far down the page, did; at 900 px that
// table fits its card (its buttons inside, its numbers unbroken). Amounts
// beside a label that wraps (Credits' "Used from this account (lifetime)",
// Usage's "Lifetime used, whole workspace") line up with the others. At
// 900 px the chat's conversation list narrows to leave the conversation room,
// and an open chat with a long model name and rate does not scroll sideways
// (the picker's unseen measure of its widest option did, by 196 px).
// Team → Departments' New department form keeps Name and Overdraft at one
// height (1024×700, 1440×900): the hint under Overdraft pushed its label up.
// Team → Members' Add a member rows and Alerts' Auto-recharge row are rows
// of fields too (.row.fields): their labels and inputs line up at one height,
// and Save rule stands at the foot of the recharge inputs (centred, it stood
// 12 px above them).
//
// Needs: the dev binary (make dev-build) and the built frontend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp, openPage, devBinary, cli as run, waitForValue } from './lib/harness.js';
import { startFakeProvider } from './lib/fakeprovider.js';
import { newChat } from './lib/chatsetup.js';

function cli(dataDir, stdin, ...args) {
  const r = spawnSync(devBinary, ['--data-dir', dataDir, ...args], { input: stdin, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `meterdesk ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** How far main's content is wider than main (0: the page does not scroll sideways). */
const pageOverflow = (page) => page.evaluate(() => {
  const m = document.querySelector('main');
  return m.scrollWidth - m.clientWidth;
});

test('Team and Rates fit a 1024×768 window', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-layout-'));
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'UTC');
  // A charge whose note is a long model id narrows the From/To columns.
  const model = 'meta-llama/Llama-3.3-70B-Instruct-Turbo';
  const baseURL = await startFakeProvider(t, ['-reply', 'Hi.', '-prompt', '12', '-completion', '5', '-models', model]);
  cli(dataDir, '', 'credits', 'topup', '--amount', '500', '--price', '0', '--currency', 'EUR'); // the CLI signs alice in
  cli(dataDir, '', 'providers', 'add', '--name', 'fake', '--kind', 'openai_compatible', '--url', baseURL);
  cli(dataDir, '', 'rates', 'set', 'local', model, '--input', '0.002', '--output', '0.008');
  cli(dataDir, '', 'chat', '--model', model, 'hello');
  cli(dataDir, '1234\n', 'users', 'add', 'samantha', '--pin', '--display', 'Samantha Member');
  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.getByTestId('team-picker').waitFor({ timeout: 30000 });
  await page.getByTestId('team-profile-alice').click();
  await page.getByTestId('team-signin-secret').fill('correct horse');
  await page.getByTestId('team-signin-submit').click();
  await page.locator('main[data-testid^="page-"]').waitFor({ timeout: 15000 });

  await page.goto(`${app.url}#/settings/team/members`);
  await page.getByTestId('team-member-remove-samantha').waitFor({ timeout: 15000 });
  assert.equal(await pageOverflow(page), 0, 'Team → Members widens the page');
  const fits = await page.evaluate(() => {
    const box = document.querySelector('[data-testid="team-members-table"]').parentElement.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid^="team-member-remove-"], [data-testid^="team-member-disable-"]')]
      .map((b) => b.getBoundingClientRect())
      .every((r) => r.left >= box.left && r.right <= box.right + 0.5 && r.right <= window.innerWidth);
  });
  assert.ok(fits, 'Disable and Remove are on screen without scrolling');

  await page.goto(`${app.url}#/settings/rates`);
  const cell = page.getByTestId('rate-openai-gpt-5-perToolCall');
  await cell.waitFor({ timeout: 15000 });
  assert.equal(await pageOverflow(page), 0, 'Settings → Rates widens the page');
  const rates = await page.evaluate(() => {
    const box = document.querySelector('[data-testid="rates-provider-openai"] table').parentElement;
    box.scrollLeft = box.scrollWidth; // to the last column
    const b = box.getBoundingClientRect();
    const name = document.querySelector('[data-testid="rates-row-openai-gpt-5"] th').getBoundingClientRect();
    const last = document.querySelector('[data-testid="rate-openai-gpt-5-perToolCall"]').getBoundingClientRect();
    return { height: b.height, scrolls: box.scrollWidth > box.clientWidth, nameLeft: name.left - b.left, lastRight: last.right - b.right };
  });
  assert.ok(rates.height <= 768, `the rates table is ${rates.height}px high: its scroll bar is off screen`);
  if (rates.scrolls) {
    assert.ok(Math.abs(rates.nameLeft) < 1, `the model names scrolled away (${rates.nameLeft}px)`);
    assert.ok(rates.lastRight <= 0.5, 'the last column is reachable');
  }
  // The provider tables' columns line up one under another, and at 1280 px
  // none of them (Claude's long model names included) scrolls sideways.
  const columns = () => page.evaluate(() => [...document.querySelectorAll('table.rates')].map((t) => ({
    widths: [...t.querySelectorAll('thead th')].map((th) => Math.round(th.getBoundingClientRect().width)).join(','),
    scrolls: t.parentElement.scrollWidth > t.parentElement.clientWidth,
  })));
  let tables = await columns();
  assert.ok(tables.length >= 2 && tables.every((c) => c.widths === tables[0].widths), `the rate tables' columns differ: ${tables.map((c) => c.widths).join(' | ')}`);
  await page.setViewportSize({ width: 1280, height: 800 });
  tables = await waitForValue(columns, (ts) => ts.every((c) => !c.scrolls), 'no rate table scrolling sideways at 1280 px', 5000);
  assert.ok(tables.every((c) => c.widths === tables[0].widths), `the rate tables' columns differ at 1280 px: ${tables.map((c) => c.widths).join(' | ')}`);
  await page.setViewportSize({ width: 1024, height: 768 });

  // Credits history: "Workspace pool" wraps between its words, never inside one.
  await page.goto(`${app.url}#/settings/credits`);
  await page.getByTestId('credits-history-row').first().waitFor({ timeout: 15000 });
  assert.equal(await pageOverflow(page), 0, 'Settings → Credits widens the page');
  const broken = await page.evaluate(() => {
    const out = [];
    let found = 0;
    for (const td of document.querySelectorAll('[data-testid="credits-history-row"] td')) {
      const node = [...td.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.includes('Workspace pool'));
      if (!node) continue;
      found++;
      const start = node.textContent.indexOf('Workspace pool');
      for (const [from, to] of [[start, start + 9], [start + 10, start + 14]]) { // "Workspace", "pool"
        const r = document.createRange();
        r.setStart(node, from);
        r.setEnd(node, to);
        const tops = new Set([...r.getClientRects()].map((q) => Math.round(q.top)));
        if (tops.size > 1) out.push(node.textContent.slice(from, to));
      }
    }
    return { out, found };
  });
  assert.ok(broken.found > 0, 'the history names the workspace pool');
  assert.deepEqual(broken.out, [], 'a word of "Workspace pool" is broken across lines');
  assert.deepEqual(errors, []);
});

/** How far the document itself scrolls (0, 0: only main scrolls) and where the header is. */
const windowScroll = (page) => page.evaluate(() => {
  const d = document.scrollingElement;
  return { overflow: d.scrollHeight - d.clientHeight, top: d.scrollTop, header: document.querySelector('header.header').getBoundingClientRect().top };
});

test('no page scrolls the window: Statements keeps the header in view', async (t) => {
  const app = await startApp(t, { setup: true });
  // Invoices enough to scroll; the table's head (a visually hidden "Actions") is below the fold.
  for (let i = 0; i < 15; i++) run(app.dataDir, ['credits', 'topup', '--amount', '10', '--price', '1.99', '--currency', 'EUR']);
  const { page, errors } = await openPage(t, app.url);
  await page.setViewportSize({ width: 900, height: 600 }); // the smallest window (prefs.MinWindowWidth, MinWindowHeight)
  await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  await page.goto(`${app.url}#/statements`);
  await page.getByTestId('statements-invoice-INV-000015').waitFor({ timeout: 15000 });
  await page.getByTestId('statements-parties').waitFor({ timeout: 15000 });
  assert.deepEqual(await windowScroll(page), { overflow: 0, top: 0, header: 0 }, 'Statements makes the window scroll');
  // The invoice table fits its card: PDF… and Credit note… inside it, the
  // number, date and gross amount each on one line.
  const invoices = await page.evaluate(() => {
    const card = document.querySelector('[data-testid="statements-invoices"]').getBoundingClientRect();
    const row = document.querySelector('[data-testid="statements-invoice-INV-000015"]');
    const outside = [...row.querySelectorAll('button')]
      .filter((b) => { const r = b.getBoundingClientRect(); return r.left < card.left || r.right > card.right + 0.5; })
      .map((b) => b.textContent.trim());
    const lines = (td) => { const r = document.createRange(); r.selectNodeContents(td); return new Set([...r.getClientRects()].map((q) => Math.round(q.top))).size; };
    const cells = [...row.cells];
    return { outside, wrapped: [0, 1, 5].filter((i) => lines(cells[i]) > 1).map((i) => cells[i].textContent.trim()) };
  });
  assert.deepEqual(invoices, { outside: [], wrapped: [] }, 'the invoice table runs out of its card or breaks a number');

  // Scrolling the list (main to its end, the wheel, the keyboard's End, a
  // focused button far down) moves main only.
  await page.evaluate(() => { const m = document.querySelector('main'); m.scrollTop = m.scrollHeight; });
  await page.mouse.move(600, 500);
  await page.mouse.wheel(0, 3000);
  await page.getByTestId('statements-invoice-pdf-INV-000015').focus();
  await page.keyboard.press('End');
  await page.evaluate(() => { document.scrollingElement.scrollTop = 10000; });
  assert.deepEqual(await windowScroll(page), { overflow: 0, top: 0, header: 0 }, 'scrolling Statements scrolled the window');
  assert.ok(await page.evaluate(() => document.querySelector('main').scrollTop) > 0, 'main did not scroll');

  // Every other page likewise.
  for (const route of ['/chat', '/usage', '/settings/general', '/settings/credits', '/settings/rates', '/settings/providers', '/settings/api', '/settings/team']) {
    await page.goto(`${app.url}#${route}`);
    await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 15000 });
    await page.waitForTimeout(300);
    await page.evaluate(() => { const m = document.querySelector('main'); m.scrollTop = m.scrollHeight; document.scrollingElement.scrollTop = 10000; });
    assert.deepEqual(await windowScroll(page), { overflow: 0, top: 0, header: 0 }, `${route} scrolls the window`);
  }
  assert.deepEqual(errors, []);
});

/** The tops of the elements matching selector, rounded, grouped by the row (the grid's) they are in. */
const valueTops = (page, selector) => page.evaluate((sel) => [...document.querySelectorAll(sel)].map((e) => Math.round(e.getBoundingClientRect().top)), selector);

test('amounts line up beside a label that wraps: Credits and Usage; the chat list narrows at 900 px', async (t) => {
  const app = await startApp(t, { setup: true });
  run(app.dataDir, ['credits', 'topup', '--amount', '100', '--price', '1', '--currency', 'EUR']);
  const { page, errors } = await openPage(t, app.url);
  await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  // 1280: the four Credits figures in one row ("Used from this account (lifetime)" on two lines).
  await page.goto(`${app.url}#/settings/credits`);
  await page.getByTestId('credits-available').waitFor({ timeout: 15000 });
  const credits = await valueTops(page, '[data-testid="credits-balance"] .stats .value');
  assert.equal(credits.length, 4);
  assert.equal(new Set(credits).size, 1, `the Credits amounts are at different heights: ${credits}`);
  // The top-up packages' prices are a column: their text ends at the same x ("10.00 EUR" under "850.00 EUR").
  // The packages load after the balance: wait for them, or a busy machine reads none.
  await page.getByTestId('credits-package-price').nth(1).waitFor({ timeout: 15000 });
  const prices = await page.evaluate(() => [...document.querySelectorAll('[data-testid="credits-package-price"]')].map((e) => {
    const r = document.createRange();
    r.selectNodeContents(e);
    return Math.round(r.getBoundingClientRect().right);
  }));
  assert.ok(prices.length >= 2, `${prices.length} package prices`);
  assert.equal(new Set(prices).size, 1, `the package prices do not line up: ${prices}`);
  // 900: Usage's first row of cards, with "Lifetime used, whole workspace" on three lines.
  await page.setViewportSize({ width: 900, height: 640 });
  await page.goto(`${app.url}#/usage`);
  await page.getByTestId('usage-lifetime').waitFor({ timeout: 15000 });
  const usage = await valueTops(page, '[data-testid="usage-balance"], [data-testid="usage-lifetime"], [data-testid="usage-total"]');
  assert.equal(new Set(usage).size, 1, `the Usage amounts are at different heights: ${usage}`);
  // 900: the conversation list narrows, leaving the conversation at least 60% of the chat page.
  await page.goto(`${app.url}#/chat`);
  await page.getByTestId('chat-list').waitFor({ timeout: 15000 });
  const chat = await page.evaluate(() => ({
    list: document.querySelector('[data-testid="chat-list"]').getBoundingClientRect().width,
    page: document.querySelector('[data-testid="chat-page"]').getBoundingClientRect().width,
  }));
  assert.ok(chat.list <= 0.4 * chat.page - 16, `the conversation list is ${chat.list}px of ${chat.page}px`);
  assert.deepEqual(errors, []);
});

test('an open chat with a long model name does not scroll sideways at 900 px', async (t) => {
  const model = 'gpt-4o-mini-2024-07-18';
  const { page, errors } = await newChat(t, ['-reply', 'Hi.', '-prompt', '8', '-completion', '2', '-models', model],
    ['local', model, '--input', '0.5', '--output', '1.5']); // "in 500,000 · out 1,500,000 credits / 1M tokens"
  await page.setViewportSize({ width: 900, height: 600 });
  await page.getByTestId('chat-model-select').locator('option', { hasText: model }).waitFor({ state: 'attached', timeout: 15000 });
  // The picker has measured its widest option (the rate goes under it at 900 px).
  await page.getByTestId('chat-model-rate').waitFor({ timeout: 15000 });
  await page.waitForTimeout(300);
  assert.equal(await pageOverflow(page), 0, 'the chat page scrolls sideways');
  assert.deepEqual(await windowScroll(page), { overflow: 0, top: 0, header: 0 }, 'the chat page scrolls the window');
  assert.deepEqual(errors, []);
});

test('Team → Departments: the New department fields line up at 1024×700 and 1440×900 (a hint under Overdraft pushed its label up)', async (t) => {
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);
  await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  await page.goto(`${app.url}#/settings/team/departments`);
  await page.getByTestId('team-department-add-name').waitFor({ timeout: 15000 });
  for (const [width, height] of [[1024, 700], [1440, 900]]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(100);
    const tops = await page.evaluate(() => {
      const fields = [...document.querySelectorAll('[data-testid="team-department-add-fields"] > .field')];
      const top = (e) => Math.round(e.getBoundingClientRect().top);
      return { labels: fields.map((f) => top(f.querySelector('label'))), inputs: fields.map((f) => top(f.querySelector('input'))) };
    });
    assert.equal(tops.labels.length, 2, `${width}×${height}: ${JSON.stringify(tops)}`);
    assert.equal(new Set(tops.labels).size, 1, `${width}×${height}: Name and Overdraft labels at different heights: ${tops.labels}`);
    assert.equal(new Set(tops.inputs).size, 1, `${width}×${height}: Name and Overdraft fields at different heights: ${tops.inputs}`);
  }
  assert.deepEqual(errors, []);
});

test('Team → Members and Alerts: a row of fields lines up its labels and inputs, and Save rule its foot with theirs', async (t) => {
  const app = await startApp(t, { setup: true });
  const { page, errors } = await openPage(t, app.url);
  await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  /** The tops of the labels and of the inputs (and selects) of each row's fields, and the row's buttons' and inputs' bottoms. */
  const rowTops = (selector) => page.evaluate((sel) => {
    const row = document.querySelector(sel);
    if (!row) return null;
    const top = (e) => Math.round(e.getBoundingClientRect().top);
    const bottom = (e) => Math.round(e.getBoundingClientRect().bottom);
    const fields = [...row.querySelectorAll(':scope > .field')];
    const inputs = fields.map((f) => f.querySelector('input, select'));
    return {
      count: fields.length,
      labels: [...new Set(fields.map((f) => top(f.querySelector('label'))))],
      inputs: [...new Set(inputs.map(top))],
      inputBottoms: [...new Set(inputs.map(bottom))],
      // Each button beside inputs (on their line): its bottom and theirs.
      beside: [...row.querySelectorAll(':scope > .btn')].flatMap((btn) => {
        const r = btn.getBoundingClientRect();
        const line = inputs.filter((i) => { const q = i.getBoundingClientRect(); return q.top < r.bottom && q.bottom > r.top; });
        return line.length ? [{ button: bottom(btn), inputs: [...new Set(line.map(bottom))] }] : [];
      }),
    };
  }, selector);
  for (const [width, height] of [[1024, 700], [1440, 900]]) {
    await page.setViewportSize({ width, height });
    await page.goto(`${app.url}#/settings/team/members`);
    await page.getByTestId('team-member-add-name').waitFor({ timeout: 15000 });
    // Paid by their own wallet: the Minimum wallet balance field joins the row.
    await page.locator('#f-fund-a').selectOption('wallet');
    await page.getByTestId('team-member-min-add').waitFor({ timeout: 5000 });
    for (const sel of ['[data-testid="team-member-add-fields"]', '[data-testid="team-member-add-more-fields"]']) {
      const r = await rowTops(sel);
      assert.ok(r && r.count >= 3, `${width}×${height} ${sel}: ${JSON.stringify(r)}`);
      // A row that wraps has a top per line: at most as many label tops as input tops, each line its own.
      assert.equal(r.labels.length, r.inputs.length, `${width}×${height} ${sel}: labels and inputs at different heights: ${JSON.stringify(r)}`);
    }
    await page.goto(`${app.url}#/settings/team/alerts`);
    await page.getByTestId('team-recharge-form').waitFor({ timeout: 15000 });
    const r = await rowTops('[data-testid="team-recharge-form"]');
    assert.equal(r.count, 4, JSON.stringify(r));
    // At 1024 px the row wraps onto two lines: each line's labels and inputs at one height.
    assert.equal(r.labels.length, r.inputs.length, `${width}×${height}: recharge labels and inputs at different heights: ${JSON.stringify(r)}`);
    // Save rule, where it shares a line with inputs (at 1440 px it has one of its own), stands at their foot.
    for (const b of r.beside) assert.deepEqual([b.button], b.inputs, `${width}×${height}: Save rule does not stand at its line's inputs' foot: ${JSON.stringify(r)}`);
    if (width === 1024) assert.equal(r.beside.length, 1, `1024×700: Save rule beside the inputs: ${JSON.stringify(r)}`);
  }
  assert.deepEqual(errors, []);
});
