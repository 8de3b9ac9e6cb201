// The window remembers its size and place: resized and moved, then closed
// through File → Quit's path (Wails' runtime Quit runs OnBeforeClose), it
// opens at that size and place on the next start of the same data folder
// (one screen, as under Xvfb; see prefs.Window.PlaceOn). The real GTK
// window under Xvfb (1280 × 800, no window manager).
//
// Needs: the dev binary (make dev-build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openPage } from './lib/harness.js';

/** The window's size as Wails reports it, through the page's runtime. */
const size = (page) => page.evaluate(() => window.runtime.WindowGetSize());
/** The window's top-left corner on the screen. */
const position = (page) => page.evaluate(() => window.runtime.WindowGetPosition());

test('the window opens at the size it was closed at', async (t) => {
  const first = await startApp(t, { setup: true });
  const { page } = await openPage(t, first.url);
  await page.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  assert.deepEqual(await size(page), { w: 1240, h: 800 }); // the first start: the default, centred
  assert.deepEqual(await position(page), { x: 20, y: 0 });
  await page.evaluate(() => window.runtime.WindowSetSize(1000, 700));
  await page.waitForFunction(async () => {
    const s = await window.runtime.WindowGetSize();
    return s.w === 1000 && s.h === 700;
  }, null, { timeout: 10000 });
  await page.evaluate(() => window.runtime.WindowSetPosition(60, 30));
  await page.waitForFunction(async () => {
    const p = await window.runtime.WindowGetPosition();
    return p.x === 60 && p.y === 30;
  }, null, { timeout: 10000 });
  await page.evaluate(() => void window.runtime.Quit());
  const code = await Promise.race([first.exited, new Promise((r) => setTimeout(() => r('still running'), 20000))]);
  assert.equal(code, 0, `the app did not quit by itself:\n${first.logs()}`);

  const second = await startApp(t, { dataDir: first.dataDir });
  const { page: again, errors } = await openPage(t, second.url);
  await again.locator('main[data-testid^="page-"]').first().waitFor({ timeout: 30000 });
  await again.waitForFunction(async () => {
    const s = await window.runtime.WindowGetSize();
    return s.w === 1000 && s.h === 700;
  }, null, { timeout: 10000 }).catch(() => {});
  // The logs say what the first window saved at its close and what the second opened at.
  assert.deepEqual(await size(again), { w: 1000, h: 700 },
    `not opened at the size it was closed at; the first app's log:\n${first.logs()}\nthe second's:\n${second.logs()}`);
  // At its place, not centred (which would be 140, 50).
  await again.waitForFunction(async () => {
    const p = await window.runtime.WindowGetPosition();
    return p.x === 60 && p.y === 30;
  }, null, { timeout: 10000 }).catch(() => {});
  // The app's log says why it was not placed (prefs.Window.PlaceOn, the screens it saw), if it was not.
  assert.deepEqual(await position(again), { x: 60, y: 30 }, `not placed where it was closed; the app's log:\n${second.logs()}`);
  assert.deepEqual(errors, []);
});
