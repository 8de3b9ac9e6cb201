import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Gateway from './Gateway.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { isLoopbackAddr } from '../api/gateway';
import { fieldState, usable } from '../test/a11y';
import { toast } from '../lib/toast.svelte';

const props = { params: {}, query: {} };
const admin = { userId: 1, name: 'alice', role: 'admin', system: false };

function fakeGateway(running = false) {
  let keys: any[] = [{ id: 1, hint: 'mdk_aaaaaaaaaaaa_…', userId: 1, member: 'alice', name: 'old', createdAt: '2026-06-01T10:00:00Z' }];
  const status = (on: boolean, addr = '127.0.0.1:8787') => ({
    running: on, addr, baseUrl: on ? `http://${addr}/v1` : '', remote: !addr.startsWith('127.'),
    warning: on && !addr.startsWith('127.') ? 'The API gateway listens on a non-loopback address' : '', error: '',
  });
  return installFakeBridge({
    'Gateway.Overview': () => ({ config: { addr: '127.0.0.1:8787', allowRemote: false, enabled: running }, status: status(running) }),
    'Gateway.Apply': (c: any) => status(c.enabled, c.addr),
    'Gateway.Keys': () => keys,
    'Gateway.CreateKey': (uid: number, name: string) => {
      const k = { id: 2, hint: 'mdk_bbbbbbbbbbbb_…', userId: 1, member: 'alice', name, createdAt: '2026-06-02T10:00:00Z', secret: 'mdk_bbbbbbbbbbbb_' + 'x'.repeat(43) };
      keys = [k, ...keys];
      return k;
    },
    'Gateway.RevokeKey': (id: number) => {
      keys = keys.map((k) => (k.id === id ? { ...k, revokedAt: '2026-06-03T10:00:00Z' } : k));
      return id;
    },
    'Team.CurrentUser': () => ({ signedIn: true, needsSetup: false, actor: admin, workspace: 'Acme', idleLockMinutes: 0 }),
    'Team.Members': () => [],
  });
}

describe('Settings → API', () => {
  it('turns the in-process API on, creates a key shown once, and revokes one', async () => {
    const fake = fakeGateway();
    render(Gateway, props);
    const toggle = (await screen.findByTestId('gateway-enabled')) as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    await fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByTestId('gateway-base-url').textContent).toBe('http://127.0.0.1:8787/v1'));
    expect(fake.calls.find((c) => c.method === 'Apply')?.args).toEqual([{ addr: '127.0.0.1:8787', allowRemote: false, enabled: true }]);

    await fireEvent.input(screen.getByTestId('gateway-key-name'), { target: { value: ' ci ' } });
    await fireEvent.click(screen.getByTestId('gateway-key-create'));
    await waitFor(() => expect(screen.getByTestId('gateway-key-secret').textContent).toMatch(/^mdk_b{12}_x{43}$/));
    expect(fake.calls.find((c) => c.method === 'CreateKey')?.args).toEqual([0, 'ci']);
    await fireEvent.click(screen.getByTestId('gateway-key-done'));
    expect(screen.queryByTestId('gateway-key-secret')).toBeNull();

    await fireEvent.click(await screen.findByTestId('gateway-key-revoke-1'));
    await fireEvent.click(screen.getByTestId('gateway-key-confirm-1'));
    await screen.findByTestId('gateway-key-revoked-1');
  });

  it('asks for a key name, and one that no active key of the member has', async () => {
    const fake = fakeGateway();
    render(Gateway, props);
    const create = (await screen.findByTestId('gateway-key-create')) as HTMLButtonElement;
    await screen.findByTestId('gateway-key-row-1');
    expect(usable(create)).toBe(false);
    await fireEvent.input(screen.getByTestId('gateway-key-name'), { target: { value: ' OLD ' } });
    expect(screen.getByTestId('gateway-key-name-problem').textContent).toContain('already named');
    expect(fieldState(screen.getByTestId('gateway-key-name'))).toEqual({ invalid: 'true', description: screen.getByTestId('gateway-key-name-problem').textContent!.trim() });
    expect(usable(create)).toBe(false);
    await fireEvent.input(screen.getByTestId('gateway-key-name'), { target: { value: 'new' } });
    expect(screen.queryByTestId('gateway-key-name-problem')).toBeNull();
    expect(usable(create)).toBe(true);
    expect(fake.calls.some((c) => c.method === 'CreateKey')).toBe(false);
  });

  it('refuses a non-loopback address without the opt-in and warns with it', async () => {
    const fake = fakeGateway();
    render(Gateway, props);
    const addr = await screen.findByTestId('gateway-addr');
    await fireEvent.input(addr, { target: { value: '0.0.0.0:8787' } });
    expect(screen.getByTestId('gateway-addr-error').textContent).toContain('Allow other machines');
    expect(fieldState(addr)).toEqual({ invalid: 'true', description: screen.getByTestId('gateway-addr-error').textContent!.trim() });
    expect(usable(screen.getByTestId('gateway-save'))).toBe(false);
    await fireEvent.click(screen.getByTestId('gateway-allow-remote'));
    expect(screen.getByTestId('gateway-remote-warning')).toBeTruthy();
    expect(usable(screen.getByTestId('gateway-save'))).toBe(true);
    expect(fake.calls.some((c) => c.method === 'Apply')).toBe(false);
  });

  // A disabled control drops the keyboard focus to <body>: with an address
  // not valid the toggle and Save are aria-disabled instead, keep the focus,
  // and a press does nothing (the toggle stays as it was).
  it('keeps the focus on the toggle and Save when the address typed is not valid, and ignores a press', async () => {
    const fake = fakeGateway();
    render(Gateway, props);
    const addr = await screen.findByTestId('gateway-addr');
    const box = screen.getByTestId('gateway-enabled') as HTMLInputElement;
    const save = screen.getByTestId('gateway-save') as HTMLButtonElement;
    box.focus();
    await fireEvent.input(addr, { target: { value: 'no port' } });
    expect(usable(box)).toBe(false);
    expect(box.getAttribute('aria-describedby')).toBe('gw-addr-error');
    expect(document.activeElement).toBe(box);
    await fireEvent.click(box);
    expect(box.checked).toBe(false);
    expect(document.activeElement).toBe(box);

    save.focus();
    await fireEvent.input(addr, { target: { value: '0.0.0.0:8787' } }); // beyond loopback without the opt-in
    expect(usable(save)).toBe(false);
    expect(document.activeElement).toBe(save);
    await fireEvent.click(save);
    await fireEvent.submit(save.form!); // Enter in the address field
    expect(fake.calls.some((c) => c.method === 'Apply')).toBe(false);
  });

  it('keeps the focus on Save after a save from the keyboard, with nothing left to save (a press then does nothing)', async () => {
    const fake = fakeGateway();
    render(Gateway, props);
    const addr = await screen.findByTestId('gateway-addr');
    const save = screen.getByTestId('gateway-save') as HTMLButtonElement;
    // Nothing to save: aria-disabled, not disabled, and Enter does not restart the API.
    expect(save.disabled).toBe(false);
    expect(save.getAttribute('aria-disabled')).toBe('true');
    save.focus();
    await fireEvent.submit(save.form!);
    expect(fake.calls.some((c) => c.method === 'Apply')).toBe(false);

    await fireEvent.input(addr, { target: { value: '127.0.0.1:9000' } });
    expect(save.getAttribute('aria-disabled')).toBe('false');
    save.focus();
    await fireEvent.submit(save.form!); // Enter on the focused Save
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'Apply')).toHaveLength(1));
    expect(fake.calls.find((c) => c.method === 'Apply')?.args[0]).toEqual({ addr: '127.0.0.1:9000', allowRemote: false, enabled: false });
    await waitFor(() => expect(save.getAttribute('aria-disabled')).toBe('true')); // saved: nothing left to save
    expect(document.activeElement).toBe(save);
    await fireEvent.submit(save.form!);
    expect(fake.calls.filter((c) => c.method === 'Apply')).toHaveLength(1);
  });

  // Apply stores the settings, then starts the server: a start that fails
  // (the port is taken) leaves them stored and the API stopped. The card
  // reads that again in place: it is not replaced by "Loading…", so the
  // control pressed keeps the focus and the address typed stays.
  it('keeps the card and the focus on the control pressed after a failed apply, and shows what is stored now', async () => {
    const fake = fakeGateway();
    let stored = { addr: '127.0.0.1:8787', allowRemote: false, enabled: true };
    let failed = '';
    fake.handlers['Gateway.Overview'] = () => ({
      config: stored,
      status: { running: !failed, addr: stored.addr, baseUrl: failed ? '' : `http://${stored.addr}/v1`, remote: false, warning: '', error: failed },
    });
    fake.handlers['Gateway.Apply'] = (c: any) => {
      stored = c;
      failed = `listen tcp ${c.addr}: bind: address already in use`;
      throw `start the API on ${c.addr}: ${failed}`;
    };
    render(Gateway, props);
    const addr = (await screen.findByTestId('gateway-addr')) as HTMLInputElement;
    const save = screen.getByTestId('gateway-save') as HTMLButtonElement;
    await fireEvent.input(addr, { target: { value: '127.0.0.1:9000' } });
    save.focus();
    await fireEvent.submit(save.form!); // Enter on the focused Save
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'Overview')).toHaveLength(2));
    await waitFor(() => expect(save.getAttribute('aria-disabled')).toBe('true')); // stored as typed: nothing left to save
    expect(screen.getByTestId('gateway-save')).toBe(save); // the same card, not one mounted again
    expect(document.activeElement).toBe(save);
    expect(addr.value).toBe('127.0.0.1:9000');
    expect(screen.getByTestId('gateway-status').textContent).toContain('address already in use');

    // The toggle: refused with nothing stored (the admin role was taken away meanwhile), it stays focused
    // and shows the setting stored (off), although that is what it showed before the press.
    fake.handlers['Gateway.Apply'] = (c: any) => {
      if (c.enabled) throw 'change the API settings: not allowed for your role (admin only)';
      stored = c;
      failed = '';
      return { running: false, addr: c.addr, baseUrl: '', remote: false, warning: '', error: '' };
    };
    const box = screen.getByTestId('gateway-enabled') as HTMLInputElement;
    expect(box.checked).toBe(true);
    await fireEvent.click(box); // off: stopped and stored
    await waitFor(() => expect(box.checked).toBe(false));
    box.focus();
    await fireEvent.click(box); // on: refused
    expect(box.getAttribute('aria-disabled')).toBe('true');
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'Overview')).toHaveLength(3));
    expect(screen.getByTestId('gateway-enabled')).toBe(box);
    expect(document.activeElement).toBe(box);
    await waitFor(() => expect(box.getAttribute('aria-disabled')).toBe('false'));
    expect(box.checked).toBe(false);
    toast.clear();
  });

  // After a failed apply the card reads the state again; when that read
  // fails too, what runs and what is stored are unknown (the apply may have
  // stopped the server): the card says so, shows the last state read marked
  // as not confirmed, the toggle neither on nor off, and acts on no guess
  // until a Retry reads it.
  it('says the state is unknown when it cannot be read again after a failed apply, and reads it on Retry', async () => {
    const fake = fakeGateway(true);
    let down = false;
    const overview = fake.handlers['Gateway.Overview'];
    fake.handlers['Gateway.Overview'] = () => {
      if (down) throw 'read gateway settings: database is locked';
      return overview();
    };
    render(Gateway, props);
    const box = (await screen.findByTestId('gateway-enabled')) as HTMLInputElement;
    await screen.findByTestId('gateway-base-url');
    expect(box.checked).toBe(true);
    fake.handlers['Gateway.Apply'] = () => {
      down = true;
      throw 'stop the API: close listener: use of closed network connection';
    };
    box.focus();
    await fireEvent.click(box); // off: fails, and so does the read after it
    await screen.findByTestId('gateway-unknown');
    expect(screen.getByTestId('gateway-unknown-message').textContent).toContain('database is locked');
    expect(screen.getByTestId('gateway-status').textContent).toContain('Last known, not confirmed: running at http://127.0.0.1:8787/v1');
    expect(screen.queryByTestId('gateway-base-url')).toBeNull(); // not said as the current state
    expect(box.indeterminate).toBe(true);
    expect(usable(box)).toBe(false);
    expect(fieldState(box).description).toContain('database is locked');
    expect(document.activeElement).toBe(box);
    // Neither the toggle nor Save acts on a guess.
    await fireEvent.click(box);
    expect(box.indeterminate).toBe(true);
    await fireEvent.input(screen.getByTestId('gateway-addr'), { target: { value: '127.0.0.1:9000' } });
    const save = screen.getByTestId('gateway-save') as HTMLButtonElement;
    expect(usable(save)).toBe(false);
    await fireEvent.submit(save.form!);
    expect(fake.calls.filter((c) => c.method === 'Apply')).toHaveLength(1);

    down = false;
    await fireEvent.click(screen.getByTestId('gateway-unknown-retry'));
    await waitFor(() => expect(screen.queryByTestId('gateway-unknown')).toBeNull());
    expect(screen.getByTestId('gateway-base-url').textContent).toBe('http://127.0.0.1:8787/v1');
    expect([box.checked, box.indeterminate, usable(box)]).toEqual([true, false, true]);
    await waitFor(() => expect(document.activeElement).toBe(box));
    toast.clear();
  });

  it("tells a removed member's key from the keys of the member given their name since", async () => {
    const fake = fakeGateway();
    fake.handlers['Gateway.Keys'] = () => [
      { id: 3, hint: 'mdk_cccccccccccc_…', userId: 5, member: 'bob', name: 'script', status: 'active', createdAt: '2026-06-02T10:00:00Z' },
      { id: 2, hint: 'mdk_bbbbbbbbbbbb_…', userId: 4, member: 'carol', name: 'ci', status: 'member disabled', createdAt: '2026-06-02T10:00:00Z' },
      { id: 1, hint: 'mdk_aaaaaaaaaaaa_…', userId: 3, member: 'bob (removed)', name: 'script', status: 'member removed', createdAt: '2026-06-01T10:00:00Z' },
    ];
    render(Gateway, props);
    const removed = await screen.findByTestId('gateway-key-row-1');
    expect(removed.textContent).toContain('script · bob (removed)');
    expect(screen.getByTestId('gateway-key-status-1').textContent).toContain('Member removed');
    expect(screen.queryByTestId('gateway-key-revoke-1')).toBeNull();
    expect(screen.getByTestId('gateway-key-row-3').textContent).toContain('script · bob');
    expect(screen.queryByTestId('gateway-key-status-3')).toBeNull();
    expect(screen.getByTestId('gateway-key-revoke-3')).toBeTruthy();
    // A disabled member's key may come back: it says so, and may be revoked.
    expect(screen.getByTestId('gateway-key-status-2').textContent).toContain('Member disabled');
    expect(screen.getByTestId('gateway-key-revoke-2')).toBeTruthy();
  });

  it("says what each key was charged in the backend's words (gateway.KeyUsage), a free one as free", async () => {
    const fake = fakeGateway();
    // Go words them, for this row and `meterdesk apikeys list` alike: the window adds nothing of its own.
    fake.handlers['Gateway.Keys'] = () => [
      { id: 4, hint: 'mdk_dddddddddddd_…', userId: 1, member: 'alice', name: 'ollama', status: 'active', createdAt: '2026-06-02T10:00:00Z', requests: 1, freeRequests: 1, charged: '0', usage: '1 request, free' },
      { id: 3, hint: 'mdk_cccccccccccc_…', userId: 1, member: 'alice', name: 'scripts', status: 'active', createdAt: '2026-06-02T10:00:00Z', requests: 1234, freeRequests: 0, charged: '1500.072', usage: '1,234 requests charged, 1,500.072 credits' },
      { id: 1, hint: 'mdk_aaaaaaaaaaaa_…', userId: 1, member: 'alice', name: 'new', status: 'active', createdAt: '2026-06-01T10:00:00Z', requests: 0, freeRequests: 0, charged: '0', usage: 'no requests charged yet' },
    ];
    render(Gateway, props);
    expect((await screen.findByTestId('gateway-key-usage-4')).textContent).toBe('1 request, free');
    expect(screen.getByTestId('gateway-key-row-4').textContent).not.toContain('0.00');
    expect(screen.getByTestId('gateway-key-usage-3').textContent).toBe('1,234 requests charged, 1,500.072 credits');
    expect(screen.getByTestId('gateway-key-usage-1').textContent).toBe('no requests charged yet');
  });

  it('shows a backend error with a retry', async () => {
    installFakeBridge({
      'Gateway.Overview': () => {
        throw 'read gateway settings: not signed in';
      },
      'Team.CurrentUser': () => ({ actor: admin }),
    });
    render(Gateway, props);
    expect((await screen.findByTestId('gateway-load-error-message')).textContent).toContain('not signed in');
  });
});

describe('isLoopbackAddr', () => {
  it.each([
    ['127.0.0.1:8787', true],
    ['localhost:1', true],
    ['[::1]:8787', true],
    ['0.0.0.0:8787', false],
    [':8787', false],
    ['192.168.1.2:80', false],
    ['127.0.0.1', false],
  ])('%s -> %s', (a, want) => expect(isLoopbackAddr(a)).toBe(want));
  it('shows a member the status and their keys, and no controls the backend would refuse', async () => {
    const fake = fakeGateway();
    fake.handlers['Team.CurrentUser'] = () => ({ signedIn: true, needsSetup: false, actor: { userId: 2, name: 'bob', role: 'member', system: false }, workspace: 'Acme', idleLockMinutes: 0 });
    render(Gateway, props);
    expect((await screen.findByTestId('gateway-admins')).textContent).toContain('Only an admin');
    expect(screen.getByTestId('gateway-status')).toBeTruthy();
    for (const id of ['gateway-enabled', 'gateway-addr', 'gateway-save']) expect(screen.queryByTestId(id)).toBeNull();
  });
  it('offers a member no "Headless: meterdesk serve", which refuses them; it says an admin runs it', async () => {
    // `meterdesk serve` needs an admin (a member's exits 3, "not allowed for
    // your role (admin only)"): the status told a member to run it.
    const fake = fakeGateway();
    fake.handlers['Team.CurrentUser'] = () => ({ signedIn: true, needsSetup: false, actor: { userId: 2, name: 'bob', role: 'member', system: false }, workspace: 'Acme', idleLockMinutes: 0 });
    render(Gateway, props);
    const admins = await screen.findByTestId('gateway-admins');
    expect(admins.textContent).toBe('Only an admin can start the API, in this window or headless with meterdesk serve, or change its address (127.0.0.1:8787).');
    expect(screen.getByTestId('gateway-status').textContent?.trim()).toBe('Not running.');
  });
  it('offers an admin "Headless: meterdesk serve" when the API is not running', async () => {
    fakeGateway();
    render(Gateway, props);
    await screen.findByTestId('gateway-enabled');
    expect(screen.getByTestId('gateway-status').textContent?.trim()).toBe('Not running. Headless: meterdesk serve.');
  });
});
