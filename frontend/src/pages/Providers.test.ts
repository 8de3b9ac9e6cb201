import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Providers from './Providers.svelte';
import { installFakeBridge, refusal } from '../test/fakeBridge';
import { fieldState, usable } from '../test/a11y';
import { toast } from '../lib/toast.svelte';
import type { Input, Provider } from '../api/providers';

const props = { params: {}, query: {} };
// backend/providers.Presets(), as the binding returns it.
const presets = [
  { id: 'openai', label: 'OpenAI', kind: 'openai', baseUrl: 'https://api.openai.com/v1', needKey: true },
  { id: 'deepseek', label: 'DeepSeek', kind: 'deepseek', baseUrl: 'https://api.deepseek.com', needKey: true },
  { id: 'anthropic', label: 'Anthropic Claude', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', needKey: true },
  { id: 'gemini', label: 'Google Gemini', kind: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', needKey: true },
  { id: 'openrouter', label: 'OpenRouter', kind: 'openai_compatible', baseUrl: 'https://openrouter.ai/api/v1', needKey: true },
  { id: 'ollama', label: 'Ollama (local)', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', needKey: false },
  { id: 'lmstudio', label: 'LM Studio (local)', kind: 'openai_compatible', baseUrl: 'http://localhost:1234/v1', needKey: false },
];

function fakeProviders(initial: Provider[] = []) {
  const rows = [...initial];
  return installFakeBridge({
    'Providers.List': () => rows,
    'Providers.Presets': () => presets,
    'Providers.SecretStorage': () => 'sealed',
    'Providers.Add': (inp: Input) => {
      const p: Provider = {
        id: rows.length + 1, name: inp.name, kind: inp.kind, baseUrl: inp.baseUrl, hasKey: !!inp.apiKey,
        keyHint: inp.apiKey ? '…' + inp.apiKey.slice(-4) : '', keyStore: inp.apiKey ? 'sealed' : 'none',
        local: inp.baseUrl.includes('localhost'), createdAt: '', updatedAt: '',
      };
      rows.push(p);
      return p;
    },
    'Providers.Update': (id: number, inp: Input) => {
      const p = rows.find((r) => r.id === id)!;
      Object.assign(p, { name: inp.name, kind: inp.kind, baseUrl: inp.baseUrl, local: inp.baseUrl.includes('localhost') });
      if (inp.apiKey) Object.assign(p, { hasKey: true, keyHint: '…' + inp.apiKey.slice(-4) });
      if (inp.clearKey) Object.assign(p, { hasKey: false, keyHint: '' });
      delete p.notice; // a save clears it (backend Update)
      return p;
    },
    'Providers.TestInput': () => ({ ok: true, message: 'Connected: 3 models available.', offline: false, status: 0, models: 3, latencyMs: 12 }),
    'Providers.Test': () => ({ ok: false, message: 'offline: nothing is answering', offline: true, status: 0, models: 0, latencyMs: 1 }),
    'Providers.Remove': (id: number) => (rows.splice(rows.findIndex((r) => r.id === id), 1), id),
  });
}

describe('Settings → Providers', () => {
  it('adds a provider from a preset, tests it, and never shows the key', async () => {
    const fake = fakeProviders();
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-add'));
    await fireEvent.change(screen.getByTestId('providers-preset'), { target: { value: 'ollama' } });
    expect((screen.getByTestId('providers-url') as HTMLInputElement).value).toBe('http://localhost:11434/v1');
    expect((screen.getByTestId('providers-name') as HTMLInputElement).value).toBe('Ollama (local)');
    const key = screen.getByTestId('providers-key') as HTMLInputElement;
    expect(key.type).toBe('password');
    await fireEvent.input(key, { target: { value: 'sk-local-secret-1234' } });
    await fireEvent.click(screen.getByTestId('providers-test'));
    expect((await screen.findByTestId('providers-test-result')).textContent).toContain('Connected');
    await fireEvent.click(screen.getByTestId('providers-save'));
    await screen.findByTestId('providers-list');
    const add = fake.calls.find((c) => c.method === 'Add');
    expect(add?.args[0]).toEqual({ name: 'Ollama (local)', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', apiKey: 'sk-local-secret-1234', clearKey: false });
    expect(screen.getByTestId('providers-page').textContent).not.toContain('sk-local-secret-1234');
    expect(screen.getByTestId('providers-page').textContent).toContain('…1234');
    toast.clear();
  });

  it('drops a test result once the URL, kind or key it was about changes', async () => {
    fakeProviders();
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-add'));
    await fireEvent.change(screen.getByTestId('providers-preset'), { target: { value: 'ollama' } });
    await fireEvent.click(screen.getByTestId('providers-test'));
    expect((await screen.findByTestId('providers-test-result')).textContent).toContain('Connected');
    await fireEvent.input(screen.getByTestId('providers-url'), { target: { value: 'http://127.0.0.1:18799/v1' } });
    await waitFor(() => expect(screen.queryByTestId('providers-test-result')).toBeNull());
    await fireEvent.click(screen.getByTestId('providers-test'));
    await screen.findByTestId('providers-test-result');
    await fireEvent.input(screen.getByTestId('providers-key'), { target: { value: 'sk-other' } });
    await waitFor(() => expect(screen.queryByTestId('providers-test-result')).toBeNull());
    // The name is not what was tested: changing it keeps the result.
    await fireEvent.click(screen.getByTestId('providers-test'));
    await screen.findByTestId('providers-test-result');
    await fireEvent.input(screen.getByTestId('providers-name'), { target: { value: 'Renamed' } });
    expect(screen.getByTestId('providers-test-result').textContent).toContain('Connected');
  });

  it("shows a refusal about one field under that field, marked, by the field Go names; any other under the form", async () => {
    const fake = fakeProviders();
    // Real refusals (app/testdata/refusal_words.json: "provider base URL", "provider key"), then one about no field.
    const refusals = [
      refusal('add provider: invalid base URL: "ftp://x": must start with http:// or https://', '"ftp://x": must start with http:// or https://', 'baseUrl'),
      refusal('add provider: invalid API key: contains spaces or control characters (was more than the key pasted?)',
        'Contains spaces or control characters (was more than the key pasted?)', 'apiKey'),
      refusal('add provider "Local": a provider named "Local" already exists', 'A provider named "Local" already exists'),
    ];
    fake.handlers['Providers.Add'] = () => { throw refusals.shift(); };
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-add'));
    await fireEvent.change(screen.getByTestId('providers-preset'), { target: { value: 'ollama' } });
    const [url, key, name] = ['providers-url', 'providers-key', 'providers-name'].map((id) => screen.getByTestId(id));
    const under = (field: Element) => field.closest('.field')!.querySelector('[data-testid="providers-form-error"]')?.textContent ?? null;

    await fireEvent.click(screen.getByTestId('providers-save'));
    await waitFor(() => expect(under(url)).toBe('"ftp://x": must start with http:// or https://'));
    expect(fieldState(url).invalid).toBe('true');
    expect(fieldState(url).description).toContain('"ftp://x": must start with http:// or https://');
    expect([fieldState(key).invalid, fieldState(name).invalid, under(key), under(name)]).toEqual([null, null, null, null]);

    await fireEvent.click(screen.getByTestId('providers-save'));
    await waitFor(() => expect(under(key)).toBe('Contains spaces or control characters (was more than the key pasted?)'));
    expect([fieldState(key).invalid, fieldState(url).invalid, under(url)]).toEqual(['true', null, null]);
    expect(fieldState(key).description).toBe('Contains spaces or control characters (was more than the key pasted?)');

    // A refusal that names no field is said under the form; no field is marked, though its words name one ("provider").
    await fireEvent.click(screen.getByTestId('providers-save'));
    await waitFor(() => expect(screen.getByTestId('providers-form-error').textContent).toBe('A provider named "Local" already exists'));
    expect([under(url), under(key), under(name), fieldState(url).invalid, fieldState(key).invalid, fieldState(name).invalid])
      .toEqual([null, null, null, null, null, null]);
    toast.clear();
  });

  it('does not save a cloud provider without a key', async () => {
    const fake = fakeProviders();
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-add'));
    await fireEvent.change(screen.getByTestId('providers-preset'), { target: { value: 'openai' } });
    expect(usable(screen.getByTestId('providers-save'))).toBe(false);
    expect(fake.calls.some((c) => c.method === 'Add')).toBe(false);
  });

  it("shows a provider's notice (a credential taken out of its stored URL) until it is saved", async () => {
    const notice = "Its saved address (https://bob:xxxxx@proxy.example.com/v1?stream=xxxxx&pwd=xxxxx) held a user name and password, and stream= and pwd= in its query, which may be credentials; they were removed (no provider sends them); the address is now https://proxy.example.com/v1. If the server needs it, enter the address and API key again.";
    fakeProviders([
      { id: 1, name: 'Proxy', kind: 'openai_compatible', baseUrl: 'https://proxy.example.com/v1', hasKey: false, keyHint: '', keyStore: 'none', local: false, createdAt: '', updatedAt: '', notice },
    ]);
    render(Providers, props);
    const note = await screen.findByTestId('providers-row-notice-1');
    expect(note.textContent).toContain(notice);
    expect(note.getAttribute('role')).toBe('note');
    await fireEvent.click(screen.getByTestId('providers-row-edit-1'));
    await fireEvent.click(screen.getByTestId('providers-save'));
    await waitFor(() => expect(screen.queryByTestId('providers-row-notice-1')).toBeNull());
    toast.clear();
  });

  it('tests a saved provider and removes it only after confirming', async () => {
    const fake = fakeProviders([
      { id: 1, name: 'Ollama', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', hasKey: false, keyHint: '', keyStore: 'none', local: true, createdAt: '', updatedAt: '' },
    ]);
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-row-test-1'));
    expect((await screen.findByTestId('providers-row-result-1')).textContent).toContain('offline');
    await fireEvent.click(screen.getByTestId('providers-row-remove-1'));
    expect(fake.calls.some((c) => c.method === 'Remove')).toBe(false);
    await fireEvent.click(screen.getByTestId('providers-row-confirm-1'));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'Remove' && c.args[0] === 1)).toBe(true));
    await screen.findByTestId('empty-providers');
    toast.clear();
  });

  it("keeps the focus on a row's Test connection while it tests (aria-disabled, a press ignored) and after", async () => {
    const fake = fakeProviders([
      { id: 1, name: 'Ollama', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', hasKey: false, keyHint: '', keyStore: 'none', local: true, createdAt: '', updatedAt: '' },
    ]);
    let finish!: () => void;
    fake.handlers['Providers.Test'] = () =>
      new Promise((resolve) => {
        finish = () => resolve({ ok: true, message: 'Connected: 3 models available.', offline: false, status: 0, models: 3, latencyMs: 5 });
      });
    render(Providers, props);
    const test = (await screen.findByTestId('providers-row-test-1')) as HTMLButtonElement;
    test.focus();
    await fireEvent.click(test); // Enter on the focused button
    await waitFor(() => expect(test.getAttribute('aria-disabled')).toBe('true'));
    expect(test.disabled).toBe(false);
    expect(document.activeElement).toBe(test);
    await fireEvent.click(test); // pressed again while testing: ignored
    expect(fake.calls.filter((c) => c.method === 'Test')).toHaveLength(1);
    finish();
    expect((await screen.findByTestId('providers-row-result-1')).textContent).toContain('Connected: 3 models');
    expect(test.getAttribute('aria-disabled')).toBe('false');
    expect(document.activeElement).toBe(test);
  });

  it('keeps the focus on the row: Remove → its confirmation, Keep → Remove, Edit → the form → Edit, removed → Add', async () => {
    fakeProviders([
      { id: 1, name: 'Ollama', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', hasKey: false, keyHint: '', keyStore: 'none', local: true, createdAt: '', updatedAt: '' },
    ]);
    render(Providers, props);
    const focused = () => document.activeElement;
    await fireEvent.click(await screen.findByTestId('providers-row-remove-1'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('providers-row-confirm-1')));
    await fireEvent.click(screen.getByTestId('providers-row-keep-1'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('providers-row-remove-1')));
    await fireEvent.click(screen.getByTestId('providers-row-edit-1'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('providers-name')));
    await fireEvent.click(screen.getByTestId('providers-cancel'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('providers-row-edit-1')));
    await fireEvent.click(screen.getByTestId('providers-add'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('providers-preset')));
    await fireEvent.click(screen.getByTestId('providers-cancel'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('providers-add')));
    await fireEvent.click(screen.getByTestId('providers-row-remove-1'));
    await fireEvent.click(screen.getByTestId('providers-row-confirm-1'));
    await screen.findByTestId('empty-providers');
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('providers-add')));
    toast.clear();
  });

  it('asks for the key again when a saved provider is pointed at another server', async () => {
    fakeProviders([
      { id: 1, name: 'OpenAI', kind: 'openai', baseUrl: 'https://api.openai.com/v1', hasKey: true, keyHint: '…abcd', keyStore: 'sealed', local: false, createdAt: '', updatedAt: '' },
    ]);
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-row-edit-1'));
    const url = screen.getByTestId('providers-url') as HTMLInputElement;
    const save = screen.getByTestId('providers-save') as HTMLButtonElement;
    // Another path on the same server keeps the saved key.
    await fireEvent.input(url, { target: { value: 'https://api.openai.com/v2' } });
    expect(usable(save)).toBe(true);
    // Another host does not.
    await fireEvent.input(url, { target: { value: 'https://proxy.example.com/v1' } });
    expect(usable(save)).toBe(false);
    expect(screen.getByTestId('providers-form-invalid').textContent).toContain('Enter the API key again');
    expect((screen.getByTestId('providers-key') as HTMLInputElement).placeholder).toBe('Paste the key');
    await fireEvent.input(screen.getByTestId('providers-key'), { target: { value: 'sk-proxy-key-0000' } });
    expect(usable(save)).toBe(true);
  });

  describe('the form keeps each key with its own server', () => {
    const el = <T extends HTMLElement = HTMLInputElement>(id: string) => screen.getByTestId(id) as unknown as T;
    const value = (id: string) => el(id).value;
    const setKind = (kind: string) => fireEvent.change(el('providers-kind'), { target: { value: kind } });
    const type = (id: string, v: string) => fireEvent.input(el(id), { target: { value: v } });
    async function openAdd() {
      const fake = fakeProviders();
      render(Providers, props);
      await fireEvent.click(await screen.findByTestId('providers-add'));
      return fake;
    }

    // As `meterdesk providers add --kind K` without --url: a URL that is
    // empty or some preset's documented one becomes the new kind's.
    it.each([
      { from: 'the opening URL', preset: '', url: null, kind: 'anthropic', want: 'https://api.anthropic.com', name: '' },
      { from: 'the Ollama preset', preset: 'ollama', url: null, kind: 'gemini', want: 'https://generativelanguage.googleapis.com', name: 'Google Gemini' },
      { from: 'the OpenRouter preset', preset: 'openrouter', url: null, kind: 'openai', want: 'https://api.openai.com/v1', name: 'OpenAI' },
      { from: 'the Anthropic preset', preset: 'anthropic', url: null, kind: 'deepseek', want: 'https://api.deepseek.com', name: 'DeepSeek' },
      { from: 'a preset URL typed with a slash', preset: '', url: 'HTTPS://api.openai.com/v1/', kind: 'gemini', want: 'https://generativelanguage.googleapis.com', name: '' },
      { from: 'an empty URL', preset: '', url: '', kind: 'deepseek', want: 'https://api.deepseek.com', name: '' },
      { from: 'the opening URL', preset: '', url: null, kind: 'openai_compatible', want: '', name: '' },
    ])('changing the kind from $from to $kind puts in $want', async ({ preset, url, kind, want, name }) => {
      const fake = await openAdd();
      if (preset) await fireEvent.change(el('providers-preset'), { target: { value: preset } });
      if (url !== null) await type('providers-url', url);
      await setKind(kind);
      expect(value('providers-url')).toBe(want);
      expect(value('providers-name')).toBe(name);
      expect(el<HTMLSelectElement>('providers-preset').value).toBe('');
      expect(screen.getByTestId('providers-url-note').textContent).toContain(want ? 'documented server' : 'enter the base URL');
      expect(screen.queryByTestId('providers-url-warning')).toBeNull();
      if (!want) return;
      await type('providers-name', 'Mine');
      await type('providers-key', 'sk-this-kind-key-9999');
      await fireEvent.click(el('providers-test'));
      await screen.findByTestId('providers-test-result');
      expect(fake.calls.find((c) => c.method === 'TestInput')?.args).toEqual([0, { name: 'Mine', kind, baseUrl: want, apiKey: 'sk-this-kind-key-9999', clearKey: false }]);
      // Typing in the URL field takes the note away.
      await type('providers-url', want + '/');
      expect(screen.queryByTestId('providers-url-note')).toBeNull();
    });

    // A key typed for one server is not re-aimed at the one a preset or a
    // kind change puts in: it is cleared, and the note asks for the new key.
    it.each([
      { how: 'a kind change', preset: 'openrouter', kind: 'anthropic', nextPreset: '', to: 'https://api.anthropic.com' },
      { how: 'another preset', preset: 'openrouter', kind: '', nextPreset: 'openai', to: 'https://api.openai.com/v1' },
    ])('clears a key typed before $how moves the URL to another server', async ({ preset, kind, nextPreset, to }) => {
      const fake = await openAdd();
      await fireEvent.change(el('providers-preset'), { target: { value: preset } });
      await type('providers-key', 'sk-or-v1-secret');
      if (kind) await setKind(kind);
      if (nextPreset) await fireEvent.change(el('providers-preset'), { target: { value: nextPreset } });
      expect(value('providers-url')).toBe(to);
      expect(value('providers-key')).toBe('');
      expect(screen.getByTestId('providers-url-note').textContent).toContain('The key typed was for https://openrouter.ai: enter the key for this one.');
      expect(usable(el<HTMLButtonElement>('providers-test'))).toBe(false);
      await fireEvent.click(el('providers-test'));
      expect(fake.calls.some((c) => c.method === 'TestInput')).toBe(false);
    });

    it('keeps a key typed when the kind changes but the server stays', async () => {
      await openAdd();
      await type('providers-url', 'https://llm-proxy.example.com/v1');
      await type('providers-key', 'sk-proxy-key-0001');
      await setKind('anthropic');
      expect(value('providers-key')).toBe('sk-proxy-key-0001');
    });

    it('keeps a typed URL when the kind changes, and says it is not the kind\'s usual server', async () => {
      const fake = await openAdd();
      expect(screen.queryByTestId('providers-url-warning')).toBeNull();
      await type('providers-name', 'Proxy');
      await type('providers-url', 'https://llm-proxy.example.com/v1');
      expect(screen.getByTestId('providers-url-warning').textContent).toContain("https://llm-proxy.example.com is not OpenAI's usual server (https://api.openai.com)");
      await setKind('anthropic');
      expect(value('providers-url')).toBe('https://llm-proxy.example.com/v1');
      expect(screen.queryByTestId('providers-url-note')).toBeNull();
      expect(screen.getByTestId('providers-url-warning').textContent).toContain("https://llm-proxy.example.com is not Anthropic Claude's usual server (https://api.anthropic.com)");
      await type('providers-key', 'sk-ant-proxy-0001');
      expect(usable(el<HTMLButtonElement>('providers-save'))).toBe(true);
      await fireEvent.click(el('providers-save'));
      await screen.findByTestId('providers-list');
      expect(fake.calls.find((c) => c.method === 'Add')?.args[0]).toEqual({ name: 'Proxy', kind: 'anthropic', baseUrl: 'https://llm-proxy.example.com/v1', apiKey: 'sk-ant-proxy-0001', clearKey: false });
      toast.clear();
    });

    it.each([
      { kind: 'anthropic', url: 'https://api.openai.com/v2', says: "api.openai.com is OpenAI's server, not Anthropic Claude's" },
      { kind: 'gemini', url: 'http://api.anthropic.com/v1', says: "api.anthropic.com is Anthropic Claude's server, not Google Gemini's" },
      { kind: 'openai', url: 'https://generativelanguage.googleapis.com/v1beta/openai', says: "generativelanguage.googleapis.com is Google Gemini's server, not OpenAI's" },
      { kind: 'deepseek', url: 'https://API.OPENAI.COM:443/', says: "api.openai.com is OpenAI's server, not DeepSeek's" },
    ])('refuses to test or save $kind at $url', async ({ kind, url, says }) => {
      const fake = await openAdd();
      await setKind(kind);
      await type('providers-url', url);
      await type('providers-name', 'Wrong');
      await type('providers-key', 'sk-some-key-1234');
      expect(usable(el<HTMLButtonElement>('providers-test'))).toBe(false);
      expect(usable(el<HTMLButtonElement>('providers-save'))).toBe(false);
      await fireEvent.click(el('providers-test'));
      await fireEvent.submit(el('providers-form'));
      expect(fake.calls.filter((c) => c.method === 'TestInput' || c.method === 'Add')).toEqual([]);
      expect(screen.getByTestId('providers-url-refused').textContent).toContain(says);
      expect(screen.queryByTestId('providers-url-warning')).toBeNull();
      // Said at once, before a name or a key is typed.
      await type('providers-name', '');
      await type('providers-key', '');
      expect(screen.getByTestId('providers-url-refused').textContent).toContain(says);
    });

    it('lets an OpenAI-compatible provider point at a cloud provider\'s OpenAI-style endpoint', async () => {
      await openAdd();
      await setKind('openai_compatible');
      await type('providers-name', 'Gemini via OpenAI API');
      await type('providers-url', 'https://generativelanguage.googleapis.com/v1beta/openai');
      await type('providers-key', 'AIza-some-key-1234');
      expect(screen.queryByTestId('providers-url-refused')).toBeNull();
      expect(screen.queryByTestId('providers-url-warning')).toBeNull();
      expect(usable(el<HTMLButtonElement>('providers-save'))).toBe(true);
    });

    const openaiRow = (baseUrl: string): Provider => ({
      id: 1, name: 'Work', kind: 'openai', baseUrl, hasKey: true, keyHint: '…abcd', keyStore: 'sealed', local: false, createdAt: '', updatedAt: '',
    });

    it.each([
      { saved: 'https://api.openai.com/v1', want: 'https://api.anthropic.com', shows: 'providers-url-note' },
      { saved: 'https://llm-proxy.example.com/v1', want: 'https://llm-proxy.example.com/v1', shows: 'providers-url-warning' },
    ])('edit: a new kind at $saved goes to $want only with a new key', async ({ saved, want, shows }) => {
      const fake = fakeProviders([openaiRow(saved)]);
      render(Providers, props);
      await fireEvent.click(await screen.findByTestId('providers-row-edit-1'));
      expect(screen.queryByTestId('providers-url-note')).toBeNull();
      await setKind('anthropic');
      expect(value('providers-url')).toBe(want);
      expect(screen.getByTestId(shows)).toBeTruthy();
      // The saved OpenAI key is not sent to the new kind's server.
      expect(usable(el<HTMLButtonElement>('providers-test'))).toBe(false);
      expect(usable(el<HTMLButtonElement>('providers-save'))).toBe(false);
      expect(screen.getByTestId('providers-form-invalid').textContent).toContain('Enter the API key again');
      await type('providers-key', 'sk-ant-new-key-0002');
      await fireEvent.click(el('providers-test'));
      await screen.findByTestId('providers-test-result');
      await fireEvent.click(el('providers-save'));
      await screen.findByTestId('providers-list');
      const input = { name: 'Work', kind: 'anthropic', baseUrl: want, apiKey: 'sk-ant-new-key-0002', clearKey: false };
      expect(fake.calls.filter((c) => c.method === 'TestInput' || c.method === 'Update').map((c) => [c.method, ...c.args])).toEqual([
        ['TestInput', 1, input],
        ['Update', 1, input],
      ]);
      toast.clear();
    });

    // The preset's NeedKey: OpenRouter's key is required although the kind
    // is OpenAI-compatible; another remote server probably needs one; a
    // local one does not.
    it.each([
      { how: 'the OpenRouter preset', preset: 'openrouter', url: null, label: 'API key', saves: false },
      { how: 'an OpenRouter URL typed in', preset: '', url: 'https://OpenRouter.ai/api/v1/', label: 'API key', saves: false },
      { how: 'the Ollama preset', preset: 'ollama', url: null, label: 'API key (optional for local servers)', saves: true },
      { how: 'a server on this machine', preset: '', url: 'http://127.0.0.1:8000/v1', label: 'API key (optional for local servers)', saves: true },
      { how: 'a server on another machine', preset: '', url: 'http://gpu-box:11434/v1', label: 'API key (probably needed: the server is not on this machine)', saves: true },
    ])('$how: the key field reads "$label"', async ({ preset, url, label, saves }) => {
      const fake = await openAdd();
      if (preset) await fireEvent.change(el('providers-preset'), { target: { value: preset } });
      else await setKind('openai_compatible');
      if (url !== null) await type('providers-url', url);
      await type('providers-name', 'Server');
      expect(usable(el<HTMLButtonElement>('providers-save'))).toBe(saves);
      expect(document.querySelector('label[for="pf-key"]')?.textContent).toBe(label);
      if (!saves) {
        expect(screen.getByTestId('providers-form-invalid').textContent).toBe('Enter the API key.');
        await fireEvent.submit(el('providers-form'));
        expect(fake.calls.some((c) => c.method === 'Add')).toBe(false);
        await type('providers-key', 'sk-or-v1-key-0003');
        expect(usable(el<HTMLButtonElement>('providers-save'))).toBe(true);
      }
    });

    it('edit: "Remove the saved key" gives way once the server needs a key', async () => {
      const fake = fakeProviders([
        { id: 1, name: 'Box', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', hasKey: true, keyHint: '…wxyz', keyStore: 'sealed', local: true, createdAt: '', updatedAt: '' },
      ]);
      render(Providers, props);
      await fireEvent.click(await screen.findByTestId('providers-row-edit-1'));
      await fireEvent.click(el('providers-clear-key'));
      expect(el('providers-key').disabled).toBe(true);
      await type('providers-url', 'https://openrouter.ai/api/v1');
      expect(screen.queryByTestId('providers-clear-key')).toBeNull();
      expect(el('providers-key').disabled).toBe(false);
      expect(usable(el<HTMLButtonElement>('providers-save'))).toBe(false);
      await type('providers-key', 'sk-or-v1-key-0004');
      await fireEvent.click(el('providers-save'));
      await screen.findByTestId('providers-list');
      expect(fake.calls.find((c) => c.method === 'Update')?.args[1]).toEqual({ name: 'Box', kind: 'openai_compatible', baseUrl: 'https://openrouter.ai/api/v1', apiKey: 'sk-or-v1-key-0004', clearKey: false });
      toast.clear();
    });
  });

  it('says a provider was saved but its models could not be listed, instead of a plain "saved"', async () => {
    const fake = fakeProviders();
    const why = 'list models: provider error 404 Not Found: 404 page not found; did you mean http://localhost:11434/v1?';
    fake.handlers['Providers.Add'] = (inp: Input) => ({
      id: 1, name: inp.name, kind: inp.kind, baseUrl: inp.baseUrl, hasKey: false, keyHint: '', keyStore: 'none',
      local: true, createdAt: '', updatedAt: '', modelsError: why,
    });
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-add'));
    await fireEvent.change(screen.getByTestId('providers-preset'), { target: { value: 'ollama' } });
    await fireEvent.input(screen.getByTestId('providers-url'), { target: { value: 'http://localhost:11434' } });
    await fireEvent.click(screen.getByTestId('providers-save'));
    await waitFor(() => expect(toast.items.map((t) => [t.kind, t.message])).toContainEqual(['warning', `Saved, but listing the models failed: ${why}`]));
    expect(toast.items.map((t) => t.message)).not.toContain('Ollama (local) saved.');
    toast.clear();
  });

  // A save whose models were listed but could not be added to the rate
  // catalogue said a plain "saved" (Provider.catalogueError).
  it('says a provider was saved but its models could not be added to the rate catalogue, as a warning', async () => {
    const fake = fakeProviders();
    const why = 'adding the listed models to the rate catalogue failed: database is locked; the model picker and the rate table may not offer all of them';
    fake.handlers['Providers.Add'] = (inp: Input) => ({
      id: 1, name: inp.name, kind: inp.kind, baseUrl: inp.baseUrl, hasKey: false, keyHint: '', keyStore: 'none',
      local: true, createdAt: '', updatedAt: '', catalogueError: why,
    });
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-add'));
    await fireEvent.change(screen.getByTestId('providers-preset'), { target: { value: 'ollama' } });
    await fireEvent.click(screen.getByTestId('providers-save'));
    await waitFor(() => expect(toast.items.map((t) => [t.kind, t.message])).toContainEqual(['warning', `Saved, but ${why}`]));
    expect(toast.items.map((t) => t.message)).not.toContain('Ollama (local) saved.');
    toast.clear();
  });

  // A save whose listing answered with no models said a plain "saved",
  // where "Test connection" warns "Connected, but the server lists no
  // models"; the save now warns in the same words (Provider.noModels).
  it('says a provider was saved but its server lists no models, as a warning', async () => {
    const fake = fakeProviders();
    const none = 'the server lists no models: load or pull a model on it (Ollama: ollama pull NAME; LM Studio: load one), then test again.';
    fake.handlers['Providers.Add'] = (inp: Input) => ({
      id: 1, name: inp.name, kind: inp.kind, baseUrl: inp.baseUrl, hasKey: false, keyHint: '', keyStore: 'none',
      local: true, createdAt: '', updatedAt: '', noModels: none,
    });
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-add'));
    await fireEvent.change(screen.getByTestId('providers-preset'), { target: { value: 'ollama' } });
    await fireEvent.click(screen.getByTestId('providers-save'));
    await waitFor(() => expect(toast.items.map((t) => [t.kind, t.message])).toContainEqual(['warning', `Saved; ${none}`]));
    expect(toast.items.map((t) => t.message)).not.toContain('Ollama (local) saved.');
    toast.clear();
  });

  it('shows a passed test whose server lists no models as a warning, in the form and in the row', async () => {
    const fake = fakeProviders([
      { id: 1, name: 'Ollama', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', hasKey: false, keyHint: '', keyStore: 'none', local: true, createdAt: '', updatedAt: '' },
    ]);
    const empty = {
      ok: true, message: 'Connected, but the server lists no models: load or pull a model on it (Ollama: ollama pull NAME; LM Studio: load one), then test again.',
      offline: false, status: 0, models: 0, latencyMs: 7,
    };
    fake.handlers['Providers.Test'] = () => empty;
    fake.handlers['Providers.TestInput'] = () => empty;
    render(Providers, props);
    const row = await screen.findByTestId('providers-row-test-1');
    await fireEvent.click(row);
    const rowResult = await screen.findByTestId('providers-row-result-1');
    expect(rowResult.textContent).toContain('Connected, but the server lists no models');
    expect(rowResult.classList.contains('warn')).toBe(true);
    expect(rowResult.classList.contains('ok')).toBe(false);

    await fireEvent.click(screen.getByTestId('providers-row-edit-1'));
    await fireEvent.click(screen.getByTestId('providers-test'));
    const result = await screen.findByTestId('providers-test-result');
    expect(result.textContent?.trim()).toMatch(/^⚠ Connected, but the server lists no models/);
    expect(result.classList.contains('warn')).toBe(true);
    expect(result.classList.contains('ok')).toBe(false);

    // A test that lists models stays a success.
    fake.handlers['Providers.TestInput'] = () => ({ ok: true, message: 'Connected: 3 models available.', offline: false, status: 0, models: 3, latencyMs: 12 });
    await fireEvent.click(screen.getByTestId('providers-test'));
    await waitFor(() => expect(screen.getByTestId('providers-test-result').textContent?.trim()).toMatch(/^✓ Connected: 3 models/));
    expect(screen.getByTestId('providers-test-result').classList.contains('ok')).toBe(true);
  });

  // Saved as it was, a provider with a notice (an address credential moved) has the notice cleared: that is
  // said, not "nothing saved" (backend noticeCleared).
  it.each([
    [false, 'Ollama is unchanged: it had these settings already (nothing saved)'],
    [true, 'Ollama is unchanged: it had these settings already; the note about its address is cleared'],
  ])('says an edit that changed nothing is unchanged, not saved (notice cleared %s)', async (noticeCleared, message) => {
    const fake = fakeProviders([
      { id: 1, name: 'Ollama', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', hasKey: false, keyHint: '', keyStore: 'none', local: true, createdAt: '', updatedAt: '' },
    ]);
    const update = fake.handlers['Providers.Update'];
    fake.handlers['Providers.Update'] = (id: number, inp: Input) => ({ ...(update(id, inp) as Provider), unchanged: true, ...(noticeCleared ? { noticeCleared } : {}) });
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-row-edit-1'));
    await fireEvent.click(screen.getByTestId('providers-save'));
    await waitFor(() => expect(toast.items.map((t) => [t.kind, t.message])).toContainEqual(['info', message]));
    expect(toast.items.map((t) => t.message)).not.toContain('Ollama saved.');
    await screen.findByTestId('providers-list');
    toast.clear();
  });

  it.each([
    ['the key was refused: key check: provider error 401 Unauthorized: No auth credentials found'],
    ['the key could not be checked: offline: the provider cannot be reached: cannot connect to openrouter.ai'],
  ])('says a provider was saved but %s, instead of a plain "saved"', async (why) => {
    const fake = fakeProviders();
    fake.handlers['Providers.Add'] = (inp: Input) => ({
      id: 1, name: inp.name, kind: inp.kind, baseUrl: inp.baseUrl, hasKey: true, keyHint: '…0004', keyStore: 'sealed',
      local: false, createdAt: '', updatedAt: '', keyError: why,
    });
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-add'));
    await fireEvent.change(screen.getByTestId('providers-preset'), { target: { value: 'openrouter' } });
    await fireEvent.input(screen.getByTestId('providers-key'), { target: { value: 'sk-or-v1-key-0004' } });
    await fireEvent.click(screen.getByTestId('providers-save'));
    await waitFor(() => expect(toast.items.map((t) => [t.kind, t.message])).toContainEqual(['warning', `Saved, but ${why}`]));
    expect(toast.items.map((t) => t.message)).not.toContain('OpenRouter saved.');
    toast.clear();
  });

  it.each([
    ['sealed', 'Key …abcd (encrypted in the data folder)'],
    ['keychain', 'Key …abcd (in the OS keychain)'],
  ] as const)('says where a key kept %s is in words, never the store\'s code', async (keyStore, said) => {
    fakeProviders([
      { id: 1, name: 'OpenAI', kind: 'openai', baseUrl: 'https://api.openai.com/v1', hasKey: true, keyHint: '…abcd', keyStore, local: false, createdAt: '', updatedAt: '' },
    ]);
    render(Providers, props);
    const key = await screen.findByTestId('provider-key-1');
    expect(key.textContent).toBe(said);
    expect(key.textContent).not.toMatch(/\(sealed\)|\(keychain\)/);
  });

  it("shows a member's redacted view without an empty address or a key hint", async () => {
    // What backend/providers gives a member (forRole): no base URL, no key hint.
    fakeProviders([
      { id: 1, name: 'Lab', kind: 'openai_compatible', baseUrl: '', hasKey: true, keyHint: '', keyStore: 'sealed', local: false, redacted: true, createdAt: '', updatedAt: '' },
    ]);
    render(Providers, props);
    const row = await screen.findByTestId('providers-row-1');
    expect(row.textContent).toContain('Lab');
    expect(row.textContent).toContain('Key set');
    expect(row.textContent).not.toContain('(sealed)');
    expect(screen.queryByTestId('providers-row-url')).toBeNull();
  });
});
