// Metered chat end to end: a message to a fake OpenAI-compatible provider
// streams into the window, its charge breakdown shows, and the header
// balance drops by exactly that charge; a send that costs more than the
// balance is refused with a top-up action, nothing charged, draft kept.
//
// Needs: the dev binary (make dev-build) and tests/fakeprovider (built here
// with `go build`, or MTRDSK_FAKEPROVIDER).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp, openPage, devBinary } from './lib/harness.js';
import { startFakeProvider } from './lib/fakeprovider.js';


function cli(dataDir, stdin, ...args) {
  const r = spawnSync(devBinary, ['--data-dir', dataDir, ...args], { input: stdin, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `meterdesk ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}


async function signIn(page, name, secret) {
  const main = page.locator('main[data-testid^="page-"]');
  await page.getByTestId('team-picker').or(main).first().waitFor({ timeout: 30000 });
  if (await main.count()) return; // one member, nothing to choose: already signed in
  if (await page.getByTestId(`team-profile-${name}`).count()) await page.getByTestId(`team-profile-${name}`).click();
  await page.getByTestId('team-signin-secret').fill(secret);
  await page.getByTestId('team-signin-submit').click();
  await main.waitFor({ timeout: 15000 });
}

/** The exact header balance, from the badge's tooltip ("Workspace pool: 99.936 credits" and whose credits they are). */
async function headerBalance(page) {
  const title = await page.getByTestId('balance-badge').getAttribute('title');
  const m = /([-\d,.]+) credits/.exec(title ?? '');
  assert.ok(m, `no balance in badge title ${title}`);
  // Canonical decimal: no separators, no trailing zeros ("100.00" -> "100").
  return m[1].replace(/,/g, '').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/**
 * A workspace in dataDir (admin alice, 100 credits in the pool) with the
 * provider added and the rates set by the given CLI argument lists, and the
 * window open on a new chat as alice.
 */
async function newChatWith(t, dataDir, provider, ...rates) {
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'UTC');
  cli(dataDir, '', 'providers', 'add', ...provider);
  for (const r of rates) cli(dataDir, '', 'rates', 'set', ...r);
  cli(dataDir, '', 'credits', 'topup', '--amount', '100', '--price', '0', '--currency', 'EUR');
  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);
  await signIn(page, 'alice', 'correct horse');
  await page.goto(`${app.url}#/chat`);
  await page.getByTestId('chat-new').click();
  await page.getByTestId('chat-input').waitFor();
  return { app, page, errors };
}

test('a metered message streams, shows its charge, and the balance drops by exactly that', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-chat-'));
  const requestLog = path.join(dataDir, 'provider-requests.jsonl');
  const baseURL = await startFakeProvider(t, ['-reply', 'Hello from the **fake** provider.', '-prompt', '12', '-completion', '5',
    '-delay', '250ms', '-models', 'gpt-4o,gpt-4o-mini', '-log', requestLog]);
  const { app, page, errors } = await newChatWith(t, dataDir, ['--name', 'fake', '--kind', 'openai_compatible', '--url', baseURL],
    ['local', 'gpt-4o', '--input', '0.002', '--output', '0.008'], ['local', 'gpt-4o-mini', '--input', '1', '--output', '1']);
  const first = (await page.evaluate(() => window.location.hash)).replace('#/chat/', '');
  await page.waitForFunction(() => document.querySelector('[data-testid="balance-badge"]')?.getAttribute('title')?.includes('100'));
  assert.equal(await headerBalance(page), '100');

  // The picker shows each model's rate.
  const options = await page.getByTestId('chat-model-select').locator('option').allTextContents();
  assert.ok(options.some((o) => o.startsWith('gpt-4o — fake') && o.includes('in 2,000 · out 8,000 credits / 1M tokens')), options.join('\n'));

  // While the reply is written its hold (up to 32.784) takes what is available below the 100-credit
  // warning, but not the balance: the low-balance banner ("… has 67.216 credits available") no
  // longer comes for the seconds of each send and goes when it settles.
  await page.evaluate(() => {
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="chat-low-balance"]')?.textContent?.includes('67.216')) window.lowWhileHeld = true;
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await page.getByTestId('chat-input').fill('Hi');
  // The composer's live estimate, priced in Go before anything is sent:
  // 8 prompt tokens x 0.002, plus up to 4,096 output tokens x 0.008.
  const range = page.getByTestId('chat-estimate-range');
  await range.waitFor({ timeout: 15000 });
  assert.equal((await range.textContent()).trim(), '≈ 0.016 – 32.784 credits');
  await page.getByTestId('chat-send').click();
  // It streams: the Stop button shows while the first words are already rendered.
  await page.getByTestId('chat-stop').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-markdown"]')?.textContent?.includes('Hello'));
  assert.equal(await page.getByTestId('chat-stop').count(), 1, 'the reply finished before it could be seen streaming');
  // Finished: Markdown rendered, breakdown shown. 12 x 0.002 + 5 x 0.008 = 0.064.
  const breakdown = page.getByTestId('chat-breakdown');
  await breakdown.waitFor({ timeout: 30000 });
  assert.equal(await breakdown.textContent().then((s) => s.trim()),
    'gpt-4o · input 12 tokens (0.024 credits) · output 5 tokens (0.04 credits) · total 0.064 credits');
  // A breakdown that wraps ends a line with its separator: no line starts with "·". In the smallest window
  // (900 px) this one fits on a line, so the line is made narrower still, to wrap at each of its items.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 900, height: 600 });
  const wraps = await breakdown.evaluate(async (line) => {
    const out = [];
    for (const width of [140, 180, 220, 260, 320, 400]) {
      line.style.width = `${width}px`;
      await new Promise((r) => requestAnimationFrame(() => r()));
      const tops = new Set();
      let dotFirst = 0;
      for (const sep of line.querySelectorAll('.sep')) {
        let before = sep.previousSibling; // the item's text, ending where the separator starts
        while (before && !(before.nodeType === Node.TEXT_NODE && before.length)) before = before.previousSibling;
        const last = document.createRange();
        last.setStart(before, before.length - 1);
        last.setEnd(before, before.length);
        const dot = document.createRange();
        dot.setStart(sep.firstChild, sep.firstChild.length - 1);
        dot.setEnd(sep.firstChild, sep.firstChild.length);
        if (Math.abs(dot.getBoundingClientRect().top - last.getBoundingClientRect().top) > 2) dotFirst++;
      }
      for (const item of line.querySelectorAll('.item')) for (const r of item.getClientRects()) tops.add(Math.round(r.top));
      out.push({ width, lines: tops.size, dotFirst });
    }
    line.style.width = '';
    return out;
  });
  if (size) await page.setViewportSize(size);
  assert.ok(wraps.some((w) => w.lines > 1), `the breakdown never wrapped: ${JSON.stringify(wraps)}`);
  assert.deepEqual(wraps.filter((w) => w.dotFirst > 0), [], 'a wrapped line of the breakdown starts with its separator');
  assert.equal(await page.getByTestId('chat-markdown').locator('strong').textContent(), 'fake');
  await page.waitForFunction(() => document.querySelector('[data-testid="balance-badge"]')?.getAttribute('title')?.includes('99.936'));
  assert.equal(await headerBalance(page), '99.936');
  assert.equal(await page.getByTestId('balance-amount').textContent(), '99.936'); // shown exactly, not rounded
  assert.equal(await page.evaluate(() => window.lowWhileHeld ?? false), false, 'the low-balance banner showed while the send held credits');
  // Under the 100-credit warning: a toast says so, and it covers neither the
  // message box, the Send button nor the banner's Top up link (toasts sit
  // bottom-left, over the sidebar's foot).
  await page.getByTestId('toast-warning').waitFor({ timeout: 15000 });
  for (const id of ['chat-input', 'chat-send', 'chat-low-topup', 'chat-model-select']) {
    const uncovered = await page.getByTestId(id).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return [[r.left + 4, r.top + 4], [r.right - 4, r.top + 4], [r.left + 4, r.bottom - 4], [r.right - 4, r.bottom - 4]]
        .every(([x, y]) => el.contains(document.elementFromPoint(x, y)));
    });
    assert.ok(uncovered, `the warning toast covers ${id}`);
  }
  // The message box shows its three rows (a single-line field's height once squashed it to one).
  const rows = await page.getByTestId('chat-input').evaluate((el) => el.clientHeight / parseFloat(getComputedStyle(el).lineHeight));
  assert.ok(rows >= 3, `the message box shows ${rows.toFixed(1)} lines`);

  // Too expensive: gpt-4o-mini holds 4,096 output tokens at 1 credit each.
  const mini = await page.getByTestId('chat-model-select').locator('option', { hasText: 'gpt-4o-mini' }).getAttribute('value');
  await page.getByTestId('chat-model-select').selectOption(mini);
  await page.getByTestId('chat-input').fill('An expensive question');
  await page.getByTestId('chat-send').click();
  const err = page.getByTestId('chat-error');
  await err.waitFor();
  assert.equal(await err.getAttribute('data-code'), 'insufficient_credits');
  assert.match(await err.textContent(), /Not enough credits.*has 99\.936 available/);
  assert.equal(await page.getByTestId('chat-topup').count(), 1);
  assert.equal(await page.getByTestId('chat-input').inputValue(), 'An expensive question');
  assert.equal(await page.getByTestId('chat-message-assistant').count(), 1);
  assert.equal(await headerBalance(page), '99.936');

  // The top-up action leads to the credits page.
  await page.getByTestId('chat-topup').click();
  await page.getByTestId('credits-page').waitFor();

  // Model settings: a smaller output budget makes a smaller hold, so the
  // same message now fits; the estimate follows, and the settings reach the
  // provider. (The refused text came back as the conversation's draft.)
  await page.goto(`${app.url}#/chat/${first}`);
  await page.getByTestId('chat-settings-edit').click();
  await page.getByTestId('chat-settings-temperature').fill('0.2');
  await page.getByTestId('chat-settings-max-output').fill('16');
  await page.getByTestId('chat-settings-save').click();
  const settings = page.getByTestId('chat-settings-edit');
  await settings.waitFor();
  assert.equal((await settings.textContent()).trim(), 'Settings: Temperature 0.2 · Max output 16 tokens');
  assert.equal(await page.getByTestId('chat-input').inputValue(), 'An expensive question');
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-estimate-range"]')?.getAttribute('title')?.includes('up to 16 output tokens'), null, { timeout: 15000 });
  const [low, high] = (await range.textContent()).match(/[\d.]+/g).map(Number);
  assert.equal(Math.round((high - low) * 1000), 16000, `range ${low} – ${high}: 16 output tokens at 1 credit`);
  await page.getByTestId('chat-send').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-breakdown"]').length === 2, null, { timeout: 30000 });
  // 12 + 5 tokens at 1 credit each.
  assert.match(await page.getByTestId('chat-breakdown').nth(1).textContent(), /^\s*gpt-4o-mini · .* · total 17\.00 credits\s*$/);
  await page.waitForFunction(() => document.querySelector('[data-testid="balance-badge"]')?.getAttribute('title')?.includes('82.936'));
  assert.equal(await headerBalance(page), '82.936');
  const sent = (await readFile(requestLog, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(sent.length, 2);
  assert.deepEqual([sent[0].temperature, sent[0].max_tokens], [undefined, 4096]);
  assert.deepEqual([sent[1].model, sent[1].temperature, sent[1].max_tokens], ['gpt-4o-mini', 0.2, 16]);

  // New chat opens a blank conversation; pressing it again, from another
  // conversation, opens the same one rather than adding another empty one.
  // (The hash changes only once the list has been reloaded.)
  const newChatFrom = async (hash) => {
    await page.goto(`${app.url}${hash}`);
    await page.getByTestId('chat-new').click();
    await page.waitForFunction((h) => /^#\/chat\/\d+$/.test(window.location.hash) && window.location.hash !== h, hash);
    return page.evaluate(() => window.location.hash);
  };
  const blank = await newChatFrom(`#/chat/${first}`);
  assert.equal(await page.getByTestId('chat-list-item').count(), 2);
  assert.equal(await newChatFrom(`#/chat/${first}`), blank);
  assert.equal(await page.getByTestId('chat-list-item').count(), 2);
  assert.equal(await page.getByTestId('chat-message-assistant').count(), 0);

  // Deleting asks first, in the app's own dialog (no native confirm: it
  // shows nothing in the macOS window); Cancel keeps the conversation.
  const del = page.locator('li', { has: page.locator(`[data-testid="chat-list-item"]`).filter({ hasText: 'New chat' }) }).getByTestId('chat-delete');
  await del.click();
  assert.equal(await page.getByTestId('dialog-title').textContent(), 'Delete "New chat"?');
  await page.getByTestId('dialog-cancel').click();
  await page.getByTestId('dialog').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('chat-list-item').count(), 2);
  await del.click();
  await page.getByTestId('dialog-ok').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-list-item"]').length === 1);
  assert.equal(await page.getByTestId('chat-list-item').textContent().then((s) => s.includes('Hi')), true);
  assert.deepEqual(errors, []);
});

test("a conversation's Reasoning level reaches a reasoning model, and the window says when it does not apply and what Off sends; its History keeps the last exchanges", async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-reasoning-'));
  const requestLog = path.join(dataDir, 'provider-requests.jsonl');
  // The fake speaks OpenAI's API on this machine: kind openai, so o3-mini is
  // one of OpenAI's reasoning models (reasoning_effort), gpt-4o is not.
  const baseURL = await startFakeProvider(t, ['-reply', 'Thought it through.', '-prompt', '12', '-completion', '40', '-reasoning', '30',
    '-models', 'o3-mini,gpt-4o,gpt-5.1', '-log', requestLog]);
  process.env.MTRDSK_E2E_OPENAI_KEY = 'sk-e2e-fake-0123456789'; // the openai kind needs one; the fake takes any
  const { page, errors } = await newChatWith(t, dataDir, ['--name', 'fake', '--kind', 'openai', '--url', baseURL, '--key-env', 'MTRDSK_E2E_OPENAI_KEY'],
    ['openai', 'o3-mini', '--input', '0.001', '--output', '0.004'], ['openai', 'gpt-4o', '--input', '0.002', '--output', '0.008'],
    ['openai', 'gpt-5.1', '--input', '0.0001', '--output', '0.001']);
  const id = (await page.evaluate(() => window.location.hash)).replace('#/chat/', '');
  const pick = async (name) => {
    const value = await page.getByTestId('chat-model-select').locator('option', { hasText: new RegExp(`^${name} — fake`) }).getAttribute('value');
    await page.getByTestId('chat-model-select').selectOption(value);
  };
  const hint = () => page.getByTestId('chat-settings-reasoning-hint').textContent();

  await pick('o3-mini');
  await page.getByTestId('chat-settings-edit').click();
  assert.equal(await page.getByTestId('chat-settings-reasoning').inputValue(), 'default');
  assert.equal(await hint(), 'Nothing is sent: o3-mini thinks as its provider decides');
  await page.getByTestId('chat-settings-reasoning').selectOption('off');
  assert.equal(await hint(), 'o3-mini always reasons: Off sends nothing');
  await page.getByTestId('chat-settings-reasoning').selectOption('high');
  assert.equal(await hint(), 'Reasoning effort high; the reasoning counts within Max output tokens');
  await page.getByTestId('chat-settings-save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-settings-edit"]')?.textContent.includes('Settings: Reasoning high'));

  await page.getByTestId('chat-input').fill('Think about it');
  await page.getByTestId('chat-send').click();
  await page.getByTestId('chat-breakdown').waitFor({ timeout: 30000 });
  const sent = () => readFile(requestLog, 'utf8').then((s) => s.trim().split('\n').map((l) => JSON.parse(l)));
  let last = (await sent()).at(-1);
  assert.deepEqual([last.model, last.reasoning_effort, last.max_completion_tokens], ['o3-mini', 'high', 16384]);
  // The command line reads the same setting.
  assert.match(cli(dataDir, '', 'conversations', 'show', id), /settings: .* · reasoning high/);

  // gpt-4o is no reasoning model: the setting stays, but nothing is sent for it, and the window says so.
  await pick('gpt-4o');
  await page.getByTestId('chat-settings-edit').click();
  assert.equal(await page.getByTestId('chat-settings-reasoning').inputValue(), 'high');
  assert.equal(await hint(), 'Does not apply to gpt-4o: nothing is sent for it');
  await page.getByTestId('chat-settings-cancel').click();
  await page.getByTestId('chat-input').fill('And you?');
  await page.getByTestId('chat-send').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-breakdown"]').length === 2, null, { timeout: 30000 });
  last = (await sent()).at(-1);
  assert.deepEqual([last.model, 'reasoning_effort' in last, last.max_completion_tokens], ['gpt-4o', false, 4096]);
  assert.equal((await sent()).length, 2);

  // gpt-5.1 does not reason by default (effort "none"), and Off sends that, as the window says.
  await pick('gpt-5.1');
  await page.getByTestId('chat-settings-edit').click();
  await page.getByTestId('chat-settings-reasoning').selectOption('off');
  assert.equal(await hint(), 'Reasoning effort none: gpt-5.1 does not think');
  await page.getByTestId('chat-settings-save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-settings-edit"]')?.textContent.includes('Settings: Reasoning off'));
  await page.getByTestId('chat-input').fill('Quickly');
  await page.getByTestId('chat-send').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-breakdown"]').length === 3, null, { timeout: 30000 });
  last = (await sent()).at(-1);
  assert.deepEqual([last.model, last.reasoning_effort], ['gpt-5.1', 'none']);

  // History: the last exchange only (of three), set in Model settings, is what the next send carries.
  await page.getByTestId('chat-settings-edit').click();
  assert.equal(await page.getByTestId('chat-settings-history').inputValue(), '');
  await page.getByTestId('chat-settings-history').fill('1');
  await page.getByTestId('chat-settings-save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-settings-edit"]')?.textContent.includes('History last 1 exchange'));
  assert.match(cli(dataDir, '', 'conversations', 'show', id), /settings: .* · history last 1 exchange/);
  await page.getByTestId('chat-input').fill('Only the last');
  await page.getByTestId('chat-send').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-breakdown"]').length === 4, null, { timeout: 30000 });
  last = (await sent()).at(-1);
  assert.deepEqual(last.messages.filter((m) => m.role === 'user').map((m) => m.content), ['Quickly', 'Only the last']);
  assert.deepEqual(errors, []);
});

/** Builds tests/seedchat once (or MTRDSK_SEEDCHAT names it) and runs it. */
let seedBinary = process.env.MTRDSK_SEEDCHAT || '';
async function seedChat(dataDir, conversation, pairs) {
  const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
  if (!seedBinary) {
    seedBinary = path.join(await mkdtemp(path.join(os.tmpdir(), 'meterdesk-seedchat-')), 'seedchat');
    const b = spawnSync('go', ['build', '-o', seedBinary, './tests/seedchat'], { cwd: repo, encoding: 'utf8', timeout: 300000 });
    assert.equal(b.status, 0, `build seedchat: ${b.stderr}`);
  }
  const r = spawnSync(seedBinary, ['-data-dir', dataDir, '-conversation', String(conversation), '-pairs', String(pairs)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `seedchat: ${r.stderr}`);
}

/**
 * Waits until the layout of the scrolled element `box` has settled (its
 * scroll height the same for ten frames in a row, 10 s at the most) and says
 * where its view is: `fromBottom`, how far the view's bottom is from the end
 * of the content; `overflow`, by how much the content is taller than the
 * view; `height`, the view's own height; `settled`, whether it did settle.
 */
function settledView(box) {
  return box.evaluate((el) => new Promise((resolve) => {
    const started = performance.now();
    let last = -1;
    let same = 0;
    const step = () => {
      const h = el.scrollHeight;
      same = h === last ? same + 1 : 0;
      last = h;
      if (same < 10 && performance.now() - started < 10000) return void requestAnimationFrame(step);
      resolve({ fromBottom: h - el.scrollTop - el.clientHeight, overflow: h - el.clientHeight, height: el.clientHeight, settled: same >= 10 });
    };
    requestAnimationFrame(step);
  }));
}

test('a long conversation opens at its newest messages; earlier ones come where the view was', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-long-'));
  const baseURL = await startFakeProvider(t, ['-reply', 'The newest **reply**.', '-prompt', '12', '-completion', '5',
    '-delay', '200ms', '-models', 'gpt-4o']);
  cli(dataDir, 'correct horse\n', 'workspace', 'setup', '--name', 'Acme', '--currency', 'EUR', '--credit-value', '0.01', '--admin', 'alice', '--timezone', 'UTC');
  cli(dataDir, '', 'providers', 'add', '--name', 'fake', '--kind', 'openai_compatible', '--url', baseURL);
  cli(dataDir, '', 'rates', 'set', 'local', 'gpt-4o', '--input', '0.002', '--output', '0.008');
  cli(dataDir, '', 'credits', 'topup', '--amount', '100', '--price', '0', '--currency', 'EUR');
  const id = /conversation (\d+)/.exec(cli(dataDir, '', 'conversations', 'new'))[1];
  await seedChat(dataDir, id, 250); // 500 messages

  const app = await startApp(t, { dataDir });
  const { page, errors } = await openPage(t, app.url);
  await signIn(page, 'alice', 'correct horse');
  await page.goto(`${app.url}#/chat/${id}`);
  const box = page.getByTestId('chat-messages');
  await page.getByTestId('chat-earlier').waitFor({ timeout: 15000 });
  const articles = box.locator('article');
  assert.equal(await articles.count(), 200);
  // At the bottom, on the newest answer, whose real height counts (the older
  // messages skip layout), once the messages in view are laid out. The
  // messages are far taller than the view, so a view that was never scrolled
  // is at the top, not the bottom.
  const opened = await settledView(box);
  assert.ok(opened.overflow > opened.height, `the messages overflow the view: ${JSON.stringify(opened)}`);
  assert.ok(opened.fromBottom < 2, `the conversation opens scrolled to the bottom: ${JSON.stringify(opened)}`);
  assert.match(await articles.last().textContent(), /Answer 250/);
  const last = await articles.last().evaluate((el) => {
    const r = el.getBoundingClientRect();
    const b = el.parentElement.getBoundingClientRect();
    return r.bottom <= b.bottom + 1 && r.bottom > b.top;
  });
  assert.ok(last, 'the newest answer is in view');
  assert.deepEqual(await Promise.all([articles.first(), articles.last()].map((a) => a.evaluate((el) => getComputedStyle(el).contentVisibility))),
    ['auto', 'visible']);

  // Show earlier messages, with the keyboard: the message at the top stays where it was.
  await box.evaluate((el) => (el.scrollTop = 0));
  const firstShown = articles.first();
  assert.match(await firstShown.textContent(), /Question 151/);
  const topBefore = await firstShown.evaluate((el) => el.getBoundingClientRect().top);
  await page.getByTestId('chat-earlier').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-messages"] article').length === 400);
  const q151 = articles.filter({ hasText: /^\s*Question 151\s/ });
  const topAfter = await q151.evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(Math.abs(topAfter - topBefore) <= 2, `Question 151 moved from ${topBefore} to ${topAfter}`);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'chat-earlier');
  await box.evaluate((el) => (el.scrollTop = 0));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-messages"] article').length === 500);
  assert.equal(await page.getByTestId('chat-earlier').count(), 0);
  assert.match(await articles.first().textContent(), /Question 1\s/);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'chat-messages', 'the focus stays in the messages');

  // A reply still streams into view at the bottom, and the view follows it.
  await page.getByTestId('chat-input').fill('One more');
  await page.keyboard.press('Enter');
  await page.getByTestId('chat-stop').waitFor();
  await page.getByTestId('chat-send').waitFor({ timeout: 30000 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="chat-messages"] article')].at(-1)?.textContent.includes('The newest reply'));
  const replied = await settledView(box);
  assert.ok(replied.overflow > replied.height, `the messages overflow the view: ${JSON.stringify(replied)}`);
  assert.ok(replied.fromBottom < 2, `the view is at the bottom after the reply: ${JSON.stringify(replied)}`);
  assert.equal(await articles.count(), 502); // the earlier ones shown stay
  assert.deepEqual(errors, []);
});

test('a send to a local server that is not running says so, keeps the draft and charges nothing', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-offline-'));
  // A port on this machine with nothing listening.
  const net = await import('node:net');
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const { page, errors } = await newChatWith(t, dataDir, ['--name', 'Ollama', '--kind', 'openai_compatible', '--url', `http://127.0.0.1:${port}/v1`],
    ['local', 'my-model', '--input', '0.002', '--output', '0.008']);
  const options = await page.getByTestId('chat-model-select').locator('option').allTextContents();
  const mine = await page.getByTestId('chat-model-select').locator('option', { hasText: 'my-model' }).getAttribute('value');
  assert.ok(mine, options.join('\n'));
  await page.getByTestId('chat-model-select').selectOption(mine);
  await page.getByTestId('chat-input').fill('Are you there?');
  await page.getByTestId('chat-send').click();
  const err = page.getByTestId('chat-error');
  await err.waitFor({ timeout: 30000 });
  assert.equal(await err.getAttribute('data-code'), 'offline');
  assert.equal((await err.locator('span').first().textContent()).trim(),
    `The local server at 127.0.0.1:${port} is not answering: is it running? Your message is kept as a draft; start the server and send it again. Nothing was charged.`);
  assert.equal(await page.getByTestId('chat-input').inputValue(), 'Are you there?');
  assert.equal(await page.getByTestId('chat-message-assistant').count(), 0);
  assert.equal(await headerBalance(page), '100');
  assert.deepEqual(errors, []);
});

test('a send answered by a sign-in page (hotel Wi-Fi, a proxy) says what answered, keeps the draft and charges nothing', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meterdesk-e2e-portal-'));
  // Every request, the model listing included, gets a captive portal's HTML page with status 200.
  const baseURL = await startFakeProvider(t, ['-fault', 'sign-in-page']);
  const { page, errors } = await newChatWith(t, dataDir, ['--name', 'Box', '--kind', 'openai_compatible', '--url', baseURL],
    ['local', 'my-model', '--input', '0.002', '--output', '0.008']);
  const mine = await page.getByTestId('chat-model-select').locator('option', { hasText: 'my-model' }).getAttribute('value');
  assert.ok(mine);
  await page.getByTestId('chat-model-select').selectOption(mine);
  await page.getByTestId('chat-input').fill('Are you there?');
  await page.getByTestId('chat-send').click();
  const err = page.getByTestId('chat-error');
  await err.waitFor({ timeout: 30000 });
  assert.equal(await err.getAttribute('data-code'), 'provider_error');
  const text = (await err.locator('span').first().textContent()).trim();
  assert.match(text, /the provider answered with an HTML page \(text\/html\) titled "Guest Wi-Fi – Sign in", not a model's answer: is a proxy or a sign-in page in the way\?/);
  assert.doesNotMatch(text, /<|DOCTYPE|form/);
  // Said as an offline send says it: the text is back, nothing was charged.
  assert.match(text, / Your message is kept as a draft\. Nothing was charged\.$/);
  assert.equal(await page.getByTestId('chat-input').inputValue(), 'Are you there?');
  assert.equal(await page.getByTestId('chat-message-assistant').count(), 0);
  assert.equal(await headerBalance(page), '100');
  assert.deepEqual(errors, []);
});
