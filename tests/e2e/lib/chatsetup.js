// A workspace with a fake OpenAI-compatible provider, rates and credits,
// open in the window on a new chat: the set-up several specs share.
import { startApp, openPage, cli } from './harness.js';
import { startFakeProvider } from './fakeprovider.js';

/**
 * newChat starts the fake provider with fakeArgs and the app on a set-up
 * workspace, adds the provider as "fake", sets each of rates (the
 * arguments after `rates set`), tops the pool up by 100 credits and opens a
 * new chat in the window. Returns { app, page, errors }.
 */
export async function newChat(t, fakeArgs, ...rates) {
  const baseURL = await startFakeProvider(t, fakeArgs);
  const app = await startApp(t, { setup: true });
  cli(app.dataDir, ['providers', 'add', '--name', 'fake', '--kind', 'openai_compatible', '--url', baseURL]);
  for (const r of rates) cli(app.dataDir, ['rates', 'set', ...r]);
  cli(app.dataDir, ['credits', 'topup', '--amount', '100', '--price', '0', '--currency', 'EUR']);
  const { page, errors } = await openPage(t, app.url);
  await page.goto(`${app.url}#/chat`);
  await page.getByTestId('chat-new').click();
  await page.getByTestId('chat-input').waitFor({ timeout: 30000 });
  return { app, page, errors };
}
