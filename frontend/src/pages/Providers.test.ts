import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Providers from './Providers.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { toast } from '../lib/toast.svelte';
import type { Input, Provider } from '../api/providers';

const props = { params: {}, query: {} };
const presets = [
  { id: 'openai', label: 'OpenAI', kind: 'openai', baseUrl: 'https://api.openai.com/v1', needKey: true },
  { id: 'ollama', label: 'Ollama (local)', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', needKey: false },
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

  it('does not save a cloud provider without a key', async () => {
    const fake = fakeProviders();
    render(Providers, props);
    await fireEvent.click(await screen.findByTestId('providers-add'));
    await fireEvent.change(screen.getByTestId('providers-preset'), { target: { value: 'openai' } });
    expect((screen.getByTestId('providers-save') as HTMLButtonElement).disabled).toBe(true);
    expect(fake.calls.some((c) => c.method === 'Add')).toBe(false);
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
    expect(save.disabled).toBe(false);
    // Another host does not.
    await fireEvent.input(url, { target: { value: 'https://proxy.example.com/v1' } });
    expect(save.disabled).toBe(true);
    expect(screen.getByTestId('providers-form-invalid').textContent).toContain('Enter the API key again');
    expect((screen.getByTestId('providers-key') as HTMLInputElement).placeholder).toBe('Paste the key');
    await fireEvent.input(screen.getByTestId('providers-key'), { target: { value: 'sk-proxy-key-0000' } });
    expect(save.disabled).toBe(false);
  });
});
