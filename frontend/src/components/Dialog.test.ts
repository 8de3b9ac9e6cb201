import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Dialog from './Dialog.svelte';
import { dialog } from '../lib/dialog.svelte';

describe('Dialog', () => {
  it('confirms with OK, cancels with Cancel, Escape or the backdrop', async () => {
    render(Dialog);
    let answer = dialog.confirm({ title: 'Delete "Plans"?', message: 'Its charges stay.', confirmLabel: 'Delete', danger: true });
    expect((await screen.findByTestId('dialog-title')).textContent).toBe('Delete "Plans"?');
    expect(screen.getByTestId('dialog-message').textContent).toBe('Its charges stay.');
    expect(screen.getByTestId('dialog').getAttribute('role')).toBe('dialog');
    const ok = screen.getByTestId('dialog-ok');
    expect(ok.textContent).toBe('Delete');
    expect(ok.className).toContain('btn-danger');
    await waitFor(() => expect(document.activeElement).toBe(ok));
    await fireEvent.click(ok);
    expect(await answer).toBe(true);
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());

    for (const cancel of [
      () => fireEvent.click(screen.getByTestId('dialog-cancel')),
      () => fireEvent.keyDown(screen.getByTestId('dialog'), { key: 'Escape' }),
      () => fireEvent.click(screen.getByTestId('dialog-backdrop')),
    ]) {
      answer = dialog.confirm({ title: 'Sure?' });
      await screen.findByTestId('dialog');
      await cancel();
      expect(await answer).toBe(false);
    }
  });

  it('prompts for text: hidden when secret, null when cancelled, one dialog at a time', async () => {
    render(Dialog);
    const first = dialog.prompt({ title: 'Reset PIN', label: 'New PIN', secret: true, inputMode: 'numeric' });
    const second = dialog.prompt({ title: 'Overdraft', label: 'Credits', value: '5' });
    const input = (await screen.findByTestId('dialog-input')) as HTMLInputElement;
    expect(screen.getByTestId('dialog-title').textContent).toBe('Reset PIN');
    expect(input.type).toBe('password');
    expect(input.inputMode).toBe('numeric');
    await waitFor(() => expect(document.activeElement).toBe(input));
    await fireEvent.input(input, { target: { value: '4321' } });
    await fireEvent.submit(screen.getByTestId('dialog-form'));
    expect(await first).toBe('4321');
    // The queued one comes next, with its initial text.
    await waitFor(() => expect(screen.getByTestId('dialog-title').textContent).toBe('Overdraft'));
    const next = screen.getByTestId('dialog-input') as HTMLInputElement;
    expect(next.type).toBe('text');
    expect(next.value).toBe('5');
    await fireEvent.keyDown(next, { key: 'Escape' });
    expect(await second).toBeNull();
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
  });
});

// Wails v2's macOS window (WKWebView without the UI delegate's panels) shows
// no native dialog: window.confirm returns false and window.prompt null, so
// an action behind one silently does nothing there. Use lib/dialog.svelte.
describe('native dialogs', () => {
  it('are not used anywhere in the app', () => {
    // Every source file of the app, as text (Vite's raw import).
    const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.svelte', '!../**/*.test.ts', '!../lib/dialog.svelte.ts'],
      { query: '?raw', import: 'default', eager: true });
    expect(Object.keys(sources)).toContain('../pages/Chat.svelte');
    const offenders: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      text.split('\n').forEach((line, i) => {
        if (/(?<![\w.])(?:window\.)?(?:confirm|prompt|alert)\s*\(/.test(line) || /window\.(?:confirm|prompt|alert)\b/.test(line)) {
          offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(offenders).toEqual([]);
  });
});
