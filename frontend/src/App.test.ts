import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from './App.svelte';
import { installFakeBridge, installFakeRuntime } from './test/fakeBridge';
import { setBalanceLoader } from './lib/balance.svelte';
import type { PayerBalance } from './api/credits';
import { toast } from './lib/toast.svelte';
import { dialog } from './lib/dialog.svelte';
import { session } from './lib/session.svelte';

function sessionFor(role: 'admin' | 'member') {
  return {
    signedIn: true,
    needsSetup: false,
    actor: { userId: role === 'admin' ? 1 : 2, name: role === 'admin' ? 'Ada' : 'Bo', role, system: false },
    workspace: 'Acme Research',
    idleLockMinutes: 0,
  };
}

function backend(role: 'admin' | 'member' = 'admin') {
  return installFakeBridge({
    'System.Info': () => ({ version: '0.9.0', dataDir: '/d', dbPath: '/d/m.db' }),
    'System.GetSetting': () => 'Acme Research',
    'Team.CurrentUser': () => sessionFor(role),
  });
}

/** The header balance of a member paid from the pool. */
const pool = (available: string): PayerBalance => ({ account: 'pool', kind: 'pool', name: '', available });

afterEach(async () => {
  await setBalanceLoader(null);
  toast.clear();
});

describe('App shell', () => {
  it('starts on Chat and shows the workspace name and version', async () => {
    backend();
    render(App);
    await screen.findByTestId('page-title');
    expect(window.location.hash).toBe('#/chat');
    expect(screen.getByTestId('page-title').textContent).toBe('Chat');
    expect(screen.getByTestId('page-chat')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('sidebar-workspace-name').textContent).toBe('Acme Research'));
    expect(screen.getByTestId('app-version').textContent).toBe('v0.9.0');
    expect(screen.getByTestId('nav-chat').getAttribute('aria-current')).toBe('page');
  });

  it('puts the focus on the page after a sign-in (the sign-in form that had it is gone)', async () => {
    installFakeBridge({
      'System.Info': () => ({ version: '0.9.0', dataDir: '/d', dbPath: '/d/m.db' }),
      'System.GetSetting': () => 'Acme Research',
      'Team.CurrentUser': () => ({ ...sessionFor('admin'), signedIn: false }),
      'Team.Profiles': () => [{ id: 1, name: 'Ada', displayName: '', secretKind: 'password' }],
      'Team.SignIn': () => sessionFor('admin'),
    });
    render(App);
    await fireEvent.input(await screen.findByTestId('team-signin-secret'), { target: { value: 'correct horse' } });
    await fireEvent.click(screen.getByTestId('team-signin-submit'));
    const main = await screen.findByTestId('page-chat');
    await waitFor(() => expect(document.activeElement).toBe(main));
  });

  it('"Skip to content" focuses the page, and the sign-in screen before it (a main landmark each)', async () => {
    installFakeBridge({
      'System.Info': () => ({ version: '0.9.0', dataDir: '/d', dbPath: '/d/m.db' }),
      'System.GetSetting': () => 'Acme Research',
      'Team.CurrentUser': () => ({ ...sessionFor('admin'), signedIn: false }),
      'Team.Profiles': () => [{ id: 1, name: 'Ada', displayName: '', secretKind: 'password' }, { id: 2, name: 'Bo', displayName: '', secretKind: 'pin' }],
      'Team.SignIn': () => sessionFor('admin'),
    });
    const errors: unknown[] = [];
    const onerror = (e: ErrorEvent) => errors.push(e.error);
    window.addEventListener('error', onerror);
    render(App);
    const picker = await screen.findByTestId('team-picker');
    const gate = picker.closest('main')!;
    expect(gate.id).toBe('main');
    await fireEvent.click(screen.getByTestId('skip-link'));
    expect(document.activeElement).toBe(gate);
    expect(document.querySelectorAll('main')).toHaveLength(1);
    await fireEvent.click(screen.getByTestId('team-profile-Ada'));
    await fireEvent.input(await screen.findByTestId('team-signin-secret'), { target: { value: 'correct horse' } });
    await fireEvent.click(screen.getByTestId('team-signin-submit'));
    const page = await screen.findByTestId('page-chat');
    (document.activeElement as HTMLElement).blur();
    await fireEvent.click(screen.getByTestId('skip-link'));
    expect(document.activeElement).toBe(page);
    expect(document.querySelectorAll('main')).toHaveLength(1);
    window.removeEventListener('error', onerror);
    expect(errors).toEqual([]);
  });

  it('Ctrl+1..4 switch sections', async () => {
    backend();
    render(App);
    await screen.findByTestId('page-title');
    const cases: [string, string, string][] = [
      ['2', 'page-usage', 'Usage'],
      ['3', 'page-statements', 'Statements'],
      ['4', 'page-settings-general', 'General'],
      ['1', 'page-chat', 'Chat'],
    ];
    for (const [key, testid, title] of cases) {
      await fireEvent.keyDown(window, { key, ctrlKey: true });
      expect(screen.getByTestId(testid)).toBeTruthy();
      expect(screen.getByTestId('page-title').textContent).toBe(title);
    }
    await fireEvent.keyDown(window, { key: '2', metaKey: true });
    expect(screen.getByTestId('page-usage')).toBeTruthy();
    // Not behind a modal dialog: the page it asks about stays.
    const answer = dialog.confirm({ title: 'Sure?' });
    await screen.findByTestId('dialog');
    await fireEvent.keyDown(window, { key: '1', ctrlKey: true });
    expect(screen.getByTestId('page-usage')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('dialog-cancel'));
    expect(await answer).toBe(false);
  });

  it('arrow keys move focus through the sidebar with a single tab stop', async () => {
    backend();
    render(App);
    await screen.findByTestId('page-title');
    const chat = screen.getByTestId('nav-chat');
    const usage = screen.getByTestId('nav-usage');
    const team = screen.getByTestId('nav-settings-team');
    const tabbable = Array.from(document.querySelectorAll('a[data-nav]')).filter((a) => a.getAttribute('tabindex') === '0');
    expect(tabbable).toEqual([chat]);
    chat.focus();
    await fireEvent.keyDown(chat, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(usage);
    await fireEvent.keyDown(usage, { key: 'End' });
    expect(document.activeElement).toBe(team);
    await fireEvent.keyDown(team, { key: 'ArrowDown' }); // wraps
    expect(document.activeElement).toBe(chat);
    await fireEvent.keyDown(chat, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(team);
  });

  it.each([
    { how: 'signs out', button: 'signed-in-signout', next: 'Bo', hash: '#/chat' },
    { how: 'locks', button: 'signed-in-lock', next: 'Bo', hash: '#/chat' },
    { how: 'locks', button: 'signed-in-lock', next: 'Ada', hash: '#/usage?from=2026-11-01' },
  ])('Ada $how on Usage and $next signs in: another member starts on the home page, Ada keeps her page', async ({ button, next, hash }) => {
    let current: ReturnType<typeof sessionFor> = sessionFor('admin');
    const out = { ...sessionFor('admin'), signedIn: false };
    installFakeBridge({
      'System.Info': () => ({ version: '0.9.0', dataDir: '/d', dbPath: '/d/m.db' }),
      'System.GetSetting': () => 'Acme Research',
      'Team.CurrentUser': () => current,
      'Team.Lock': () => (current = out),
      'Team.SignOut': () => (current = out),
      'Team.Profiles': () => [{ id: 1, name: 'Ada', displayName: '', secretKind: 'password' }, { id: 2, name: 'Bo', displayName: '', secretKind: 'pin' }],
      'Team.SignIn': (name: string) => (current = sessionFor(name === 'Ada' ? 'admin' : 'member')),
    });
    session.set(current as never); // Ada was the member signed in last (the session is the window's one)
    window.location.hash = '#/usage?from=2026-11-01';
    render(App);
    await screen.findByTestId('page-usage');
    await fireEvent.click(screen.getByTestId(button));
    await fireEvent.click(await screen.findByTestId(`team-profile-${next}`));
    await fireEvent.input(await screen.findByTestId('team-signin-secret'), { target: { value: '1234' } });
    await fireEvent.click(screen.getByTestId('team-signin-submit'));
    await waitFor(() => expect(screen.getByTestId('signed-in-name').textContent).toBe(next));
    expect(window.location.hash).toBe(hash);
    expect(screen.getByTestId(hash === '#/chat' ? 'page-chat' : 'page-usage')).toBeTruthy();
  });

  it.each([
    { from: 'a link inside the page (Go to Chat)', start: '#/nowhere', focus: 'empty-not-found', lands: 'main' },
    { from: 'a sidebar link', start: '#/usage', focus: 'nav-statements', lands: 'nav-statements' },
  ])('a page change from $from leaves the focus on $lands, never on <body>', async ({ start, focus, lands }) => {
    backend();
    window.location.hash = start;
    render(App);
    await screen.findByTestId('page-title');
    const el = focus === 'empty-not-found' ? screen.getByTestId(focus).querySelector<HTMLElement>('a')! : screen.getByTestId(focus);
    el.focus();
    expect(document.activeElement).toBe(el);
    window.location.hash = focus === 'empty-not-found' ? '#/chat' : '#/statements';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    const page = await screen.findByTestId(focus === 'empty-not-found' ? 'page-chat' : 'page-statements');
    await waitFor(() => expect(document.activeElement).toBe(lands === 'main' ? page : screen.getByTestId(lands)));
    expect(document.activeElement).not.toBe(document.body);
  });

  it('redirects #/settings to General and shows the breadcrumb', async () => {
    backend();
    window.location.hash = '#/settings';
    render(App);
    await screen.findByTestId('page-title');
    expect(window.location.hash).toBe('#/settings/general');
    expect(screen.getByTestId('page-settings-general')).toBeTruthy();
    expect(document.querySelector('.crumb')?.textContent).toContain('Settings');
  });

  it('shows a not-found empty state for unknown pages', async () => {
    backend();
    window.location.hash = '#/nowhere';
    render(App);
    await screen.findByTestId('page-title');
    expect(screen.getByTestId('empty-not-found')).toBeTruthy();
  });

  // balance:changed from this window's own work; data:changed when another
  // process (e.g. `meterdesk credits topup` in a terminal) committed.
  it.each(['balance:changed', 'data:changed'])('shows the balance and reloads it on %s', async (event) => {
    backend();
    const rt = installFakeRuntime();
    let value = '1500';
    render(App);
    await screen.findByTestId('page-title');
    await setBalanceLoader(async () => pool(value));
    await waitFor(() => expect(screen.getByTestId('balance-amount').textContent).toBe('1,500.00'));
    value = '1499.987654321';
    rt.emit(event);
    await waitFor(() => expect(screen.getByTestId('balance-amount').textContent).toBe('1,499.987654321'));
  });

  // An admin (the CLI, another window) moves the member to another
  // department or has them pay from their wallet: the header names the
  // account that pays now, at the next read.
  it('names the account the header balance is of, and follows a change of payer', async () => {
    backend('member');
    const rt = installFakeRuntime();
    let mine: PayerBalance = { account: 'dept:3', kind: 'department', name: 'Research', accountName: "Research department's credits", available: '45' };
    render(App);
    await screen.findByTestId('page-title');
    await setBalanceLoader(async () => mine);
    const name = (label: string, amount: string, whose: string) => `${label} ${amount} credits: ${whose} credits, which pay for your messages`;
    await waitFor(() => expect(screen.getByRole('button', { name: name('Research', '45.00', "Research department's") })).toBeTruthy());
    expect(screen.getByTestId('balance-label').textContent).toBe('Research');
    mine = { account: 'user:2', kind: 'wallet', name: '', available: '10' };
    rt.emit('data:changed');
    await waitFor(() => expect(screen.getByTestId('balance-label').textContent).toBe('Your wallet'));
    expect(screen.getByRole('button', { name: name('Your wallet', '10.00', "Your wallet's") })).toBeTruthy();
    mine = pool('123');
    rt.emit('balance:changed');
    await waitFor(() => expect(screen.getByTestId('balance-label').textContent).toBe('Workspace pool'));
    expect(screen.getByTestId('balance-badge').title).toBe("Workspace pool: 123.00 credits\nThe workspace pool's credits, which pay for your messages");
  });

  it('re-reads the balance on a page change and when the window gets the focus (another process may have moved credits)', async () => {
    backend();
    installFakeRuntime();
    let value = '10';
    render(App);
    await screen.findByTestId('page-title');
    let loads = 0;
    await setBalanceLoader(async () => (loads++, pool(value)));
    await waitFor(() => expect(screen.getByTestId('balance-amount').textContent).toBe('10.00'));
    value = '110'; // e.g. `meterdesk credits topup` in a terminal: no event reaches this window
    await fireEvent.keyDown(window, { key: '2', ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId('balance-amount').textContent).toBe('110.00'));
    await new Promise((r) => setTimeout(r, 50));
    expect(loads).toBe(2); // one read per page change, not one per render
    value = '95';
    await fireEvent.focus(window);
    await waitFor(() => expect(screen.getByTestId('balance-amount').textContent).toBe('95.00'));
    expect(loads).toBe(3);
  });

  it('opens Credits when the header balance is clicked', async () => {
    backend();
    installFakeRuntime();
    render(App);
    await screen.findByTestId('page-title');
    await fireEvent.click(screen.getByTestId('balance-badge'));
    await waitFor(() => expect(window.location.hash).toBe('#/settings/credits'));
  });

  it('turns backend notifications into toasts', async () => {
    backend();
    const rt = installFakeRuntime();
    render(App);
    await screen.findByTestId('page-title');
    rt.emit('notification', { level: 'warning', title: 'Limit', message: 'Research is at 90% of its monthly limit' });
    expect((await screen.findByTestId('toast-warning')).textContent).toContain('90% of its monthly limit');
  });

  it('hides admin-only pages from members and explains a direct link', async () => {
    window.location.hash = '#/chat';
    backend('member');
    render(App);
    await screen.findByTestId('page-title');
    await waitFor(() => expect(screen.queryByTestId('nav-settings-rates')).toBeNull());
    expect(screen.queryByTestId('nav-settings-providers')).toBeNull();
    expect(screen.getByTestId('nav-settings-credits')).toBeTruthy();
    window.location.hash = '#/settings/rates';
    await screen.findByTestId('empty-admin-only');
  });

  it('shows admin-only pages to admins', async () => {
    window.location.hash = '#/chat';
    backend('admin');
    render(App);
    await screen.findByTestId('page-title');
    await waitFor(() => expect(screen.getByTestId('nav-settings-rates')).toBeTruthy());
    expect(screen.getByTestId('nav-settings-providers')).toBeTruthy();
  });

  it('follows the native menu: View entries, File → New Chat and File → Back Up Database…', async () => {
    window.location.hash = '#/chat';
    const rt = installFakeRuntime();
    const f = installFakeBridge({
      'System.Info': () => ({ version: '0.9.0', dataDir: '/d', dbPath: '/d/m.db' }),
      'System.GetSetting': () => 'Acme Research',
      'Team.CurrentUser': () => sessionFor('admin'),
      'Chat.Conversations': () => [],
      'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '500', threshold: '100', low: false }),
      'Chat.StartConversation': () => ({ id: 42, title: 'New chat' }),
      'System.ChooseBackupFile': () => '',
      'System.RestoreStatus': () => ({ pending: null, finished: null }),
      'System.ChooseRestoreFile': () => '',
    });
    render(App);
    await screen.findByTestId('page-title');
    rt.emit('menu:navigate', 'usage');
    await screen.findByTestId('page-usage');
    rt.emit('menu:navigate', 'settings');
    await screen.findByTestId('page-settings-general');
    rt.emit('menu:new-chat');
    await waitFor(() => expect(window.location.hash).toBe('#/chat/42'));
    expect(f.calls.some((c) => c.method === 'StartConversation')).toBe(true);
    rt.emit('menu:backup');
    await waitFor(() => expect(f.calls.some((c) => c.method === 'ChooseBackupFile')).toBe(true));
    expect(window.location.hash).toBe('#/settings/general');
    rt.emit('menu:navigate', 'chat');
    await screen.findByTestId('page-chat');
    rt.emit('menu:restore');
    await waitFor(() => expect(f.calls.some((c) => c.method === 'ChooseRestoreFile')).toBe(true));
    expect(window.location.hash).toBe('#/settings/general');
  });

  it('File → Restore Database… tells a member it is for admins', async () => {
    window.location.hash = '#/chat';
    const rt = installFakeRuntime();
    const f = installFakeBridge({
      'System.GetSetting': () => 'Acme Research',
      'Team.CurrentUser': () => sessionFor('member'),
      'Chat.Conversations': () => [],
      'Chat.Status': () => ({ payer: 'user:2', payerName: 'your wallet', available: '5', threshold: '1', low: false }),
    });
    render(App);
    await screen.findByTestId('page-title');
    rt.emit('menu:restore');
    await screen.findByText('Only an admin can restore the database from a backup.');
    expect(window.location.hash).toBe('#/chat');
    expect(f.calls.some((c) => c.method === 'ChooseRestoreFile')).toBe(false);
  });
});
