import { test } from 'node:test';
import { startApp, openPage, cli } from './lib/harness.js';
import { startFakeProvider } from './lib/fakeprovider.js';

test('tour', async (t) => {
  const baseURL = await startFakeProvider(t, ['-reply', 'Here is **an answer** with `code` and a list:\n\n- one\n- two\n\n```go\nfmt.Println("hi")\n```', '-prompt', '120', '-completion', '340', '-models', 'gpt-4o,gpt-4o-mini']);
  const app = await startApp(t, { setup: true });
  const d = app.dataDir;
  cli(d, ['providers', 'add', '--name', 'fake', '--kind', 'openai_compatible', '--url', baseURL]);
  cli(d, ['rates', 'set', 'local', 'gpt-4o', '--input', '0.5', '--output', '1']);
  cli(d, ['credits', 'topup', '--amount', '5000', '--price', '50', '--currency', 'EUR']);
  cli(d, ['users', 'add', 'bob', '--pin'], { input: '1234\n' });
  for (const p of ['Explain WAL mode in SQLite', 'And synchronous=FULL?', 'Summarise double-entry ledgers']) cli(d, ['--user', 'alice', 'chat', '--model', 'gpt-4o', '--provider', 'fake', p], { env: { METERDESK_PASSWORD: 'correct horse battery' } });
  const W = Number(process.env.TOUR_W || 1280), H = Number(process.env.TOUR_H || 800);
  const { page } = await openPage(t, app.url);
  await page.setViewportSize({ width: W, height: H });
  await page.waitForSelector('a[data-nav]');
  const links = await page.$$eval('a[data-nav]', (as) => as.map((a) => a.getAttribute('href')));
  links.push('#/chat/1', '#/settings/team/departments', '#/settings/team/limits', '#/settings/team/audit', '#/settings/team/alerts');
  for (const h of links) {
    await page.evaluate((hh) => { window.location.hash = hh; }, h);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `/tmp/s13/shots/${W}${h.replace(/[#/]/g, '_')}.png`, fullPage: true });
  }
});
