/**
 * The conversation list's preview line: the backend sends no snippet when
 * the last message says just the title (chat.sameAsTitle: the message the
 * title was made from, its reply gone), and the list then shows the model
 * there, never the title twice; any other snippet is shown on one line.
 */
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import ChatList from './ChatList.svelte';
import type { Conversation } from '../api/chat';

const conv = (id: number, title: string, snippet: string) => ({ id, title, snippet, model: 'gpt-4o', provider: 'openai' }) as unknown as Conversation;

describe('the conversation list preview', () => {
  it('shows the title once: the model under it when the backend sends no snippet', async () => {
    render(ChatList, { items: [conv(1, 'Tell me about Stars', ''), conv(2, 'Comets', 'Comets:\nice and dust')], selected: null,
      onselect: () => {}, onnew: () => {}, ondelete: async () => false });
    const rows = await screen.findAllByTestId('chat-list-item');
    const lines = rows.map((r) => [r.querySelector('.title')!.textContent, r.querySelector('.snippet')!.textContent]);
    expect(lines).toEqual([['Tell me about Stars', 'gpt-4o'], ['Comets', 'Comets: ice and dust']]);
  });
});
