// The window remembers its size: resized, then closed through File → Quit's
// path (Wails' runtime Quit runs OnBeforeClose), it opens at that size on the
// next start of the same data folder. The real GTK window under Xvfb.
//
// Needs: the dev binary (make dev-build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openPage } from './lib/harness.js';

/** The window's size as Wails reports it, through the page's runtime. */
const size = (page) => page.evaluate(() => window.runtime.WindowGetSize());

test('the window opens at the size it was closed at', async (t) => {
  const first = await startApp(t, { setup: true });
  const { page } = await openPage(t, first.url);
  await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  assert.deepEqual(await size(page), { w: 1240, h: 800 }); // the first start: the default
  await page.evaluate(() => window.runtime.WindowSetSize(1000, 700));
  await page.waitForFunction(async () => {
    const s = await window.runtime.WindowGetSize();
    return s.w === 1000 && s.h === 700;
  }, null, { timeout: 10000 });
  await page.evaluate(() => void window.runtime.Quit());
  const code = await Promise.race([first.exited, new Promise((r) => setTimeout(() => r('still running'), 20000))]);
  assert.equal(code, 0, `the app did not quit by itself:\n${first.logs()}`);

  const second = await startApp(t, { dataDir: first.dataDir });
  const { page: again, errors } = await openPage(t, second.url);
  await again.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  assert.deepEqual(await size(again), { w: 1000, h: 700 });
  assert.deepEqual(errors, []);
});
