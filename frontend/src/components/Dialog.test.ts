import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Dialog from './Dialog.svelte';
import { dialog } from '../lib/dialog.svelte';

/** Presses key on el; says whether the dialog handled it (default prevented). */
function press(el: Element, key: string, shiftKey = false): boolean {
  const e = new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true });
  el.dispatchEvent(e);
  return e.defaultPrevented;
}

describe('Dialog', () => {
  afterEach(() => {
    while (dialog.current) dialog.answer(null); // a failed test leaves none behind
  });

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

  it('keeps Tab on the enabled controls: a disabled confirm button is skipped, not a way out', async () => {
    render(Dialog);
    const answer = dialog.prompt({ title: 'Rename', label: 'Title', value: 'Plans', validate: (v) => (v.trim() ? null : 'Enter a title.') });
    const input = (await screen.findByTestId('dialog-input')) as HTMLInputElement;
    await fireEvent.input(input, { target: { value: '' } });
    expect((screen.getByTestId('dialog-ok') as HTMLButtonElement).disabled).toBe(true);
    const cancel = screen.getByTestId('dialog-cancel');
    // Tab from Cancel (the last enabled control) wraps to the field...
    cancel.focus();
    expect(press(cancel, 'Tab')).toBe(true); // handled: the browser does not move on
    expect(document.activeElement).toBe(input);
    // ...and Shift+Tab from the field goes to Cancel, not to the disabled button.
    expect(press(input, 'Tab', true)).toBe(true);
    expect(document.activeElement).toBe(cancel);
    // Between two enabled controls the browser moves the focus itself.
    input.focus();
    expect(press(input, 'Tab')).toBe(false);
    await fireEvent.keyDown(cancel, { key: 'Escape' });
    expect(await answer).toBeNull();
  });

  it('cancels on Escape and brings Tab back even when the focus left the dialog; the window behind is inert', async () => {
    const target = document.body.appendChild(document.createElement('div'));
    const behind = target.appendChild(document.createElement('button'));
    behind.textContent = 'Rename';
    const live = target.appendChild(document.createElement('div'));
    live.setAttribute('aria-live', 'polite');
    render(Dialog, { target });
    behind.focus();
    const answer = dialog.confirm({ title: 'Sure?' });
    const ok = await screen.findByTestId('dialog-ok');
    await waitFor(() => expect(document.activeElement).toBe(ok));
    expect(behind.hasAttribute('inert')).toBe(true);
    expect(live.hasAttribute('inert')).toBe(false); // toasts are still announced
    // The focus is lost (to the body): Tab comes back into the dialog.
    (document.activeElement as HTMLElement).blur();
    expect(press(document.body, 'Tab')).toBe(true);
    expect(document.activeElement).toBe(screen.getByTestId('dialog-cancel'));
    (document.activeElement as HTMLElement).blur();
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(await answer).toBe(false);
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
    expect(behind.hasAttribute('inert')).toBe(false);
    expect(document.activeElement).toBe(behind); // back where it was
    target.remove();
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
