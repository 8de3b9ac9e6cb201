import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import ChatMessage from './ChatMessage.svelte';

const message = { id: 1, uid: 'u1', conversationId: 1, role: 'user', content: 'Hello there', status: 'done', provider: '', model: '', error: '', createdAt: '' };

describe('ChatMessage: editing a sent message', () => {
  it('opens in the editor with the text, Escape cancels, Send resends the edited text', async () => {
    const sent: string[] = [];
    render(ChatMessage, { message: message as never, canEdit: true, onedit: (t: string) => sent.push(t) });
    await fireEvent.click(screen.getByTestId('chat-edit'));
    const input = screen.getByTestId('chat-edit-input') as HTMLTextAreaElement;
    expect(input.value).toBe('Hello there');
    expect(document.activeElement).toBe(input);
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByTestId('chat-edit-input')).toBeNull();
    expect(sent).toEqual([]);
    await fireEvent.click(screen.getByTestId('chat-edit'));
    await fireEvent.input(screen.getByTestId('chat-edit-input'), { target: { value: 'Hello again' } });
    await fireEvent.click(screen.getByTestId('chat-edit-send'));
    expect(sent).toEqual(['Hello again']);
  });

  it('gives the focus back to Edit when the editor closes with Escape or Cancel (not to the page)', async () => {
    render(ChatMessage, { message: message as never, canEdit: true, onedit: () => {} });
    await fireEvent.click(screen.getByTestId('chat-edit'));
    await fireEvent.keyDown(screen.getByTestId('chat-edit-input'), { key: 'Escape' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('chat-edit')));
    await fireEvent.click(screen.getByTestId('chat-edit'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('chat-edit-input')));
    await fireEvent.click(screen.getByTestId('chat-edit-cancel'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('chat-edit')));
  });
});

describe('ChatMessage: a reply being written, text direction', () => {
  const reply = { ...message, uid: 'r1', role: 'assistant', content: '', status: 'streaming' };

  it('offers no Regenerate, Edit or Copy on a reply whose status is streaming, even when asked to', () => {
    render(ChatMessage, { message: reply as never, canRegenerate: true, canEdit: true });
    expect(screen.getByTestId('chat-thinking').getAttribute('role')).toBe('status'); // said once, as it appears
    expect(screen.queryByTestId('chat-regenerate')).toBeNull();
    expect(screen.queryByTestId('chat-copy')).toBeNull();
    expect(screen.getByTestId('chat-message-assistant').textContent).toContain('Thinking');
  });

  it('lays out user text and Markdown by their own direction (dir="auto")', () => {
    render(ChatMessage, { message: { ...message, content: 'שלום עולם' } as never });
    expect(screen.getByText('שלום עולם').getAttribute('dir')).toBe('auto');
    render(ChatMessage, { message: { ...reply, content: 'مرحبا', status: 'done' } as never });
    expect(screen.getByTestId('chat-markdown').getAttribute('dir')).toBe('auto');
  });

  it('opens the editor with the text of a refused edit', async () => {
    render(ChatMessage, { message: message as never, canEdit: true, editDraft: 'Hello again' });
    expect((screen.getByTestId('chat-edit-input') as HTMLTextAreaElement).value).toBe('Hello again');
  });
});
