// Streaming a long reply: the deltas are shown at most once per frame, so the
// Markdown of the reply is rendered a bounded number of times (not once per
// delta), and the view follows the reply only while it is at the bottom.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import Chat from './Chat.svelte';
import { fakeMessages, installFakeBridge, installFakeRuntime } from '../test/fakeBridge';

const renders = vi.hoisted(() => ({ count: 0 }));
vi.mock('../lib/markdown', async (importOriginal) => {
  const m = await importOriginal<typeof import('../lib/markdown')>();
  return {
    ...m,
    renderMarkdown: (source: string) => {
      renders.count++;
      return m.renderMarkdown(source);
    },
  };
});

const conv = { id: 1, userId: 0, title: 'New chat', systemPrompt: '', provider: 'fake', model: 'gpt-4o', draft: '', createdAt: '', updatedAt: '', messages: 0, snippet: '' };
const model = { provider: 'fake', rateProvider: 'openai', local: false, model: 'gpt-4o', input: '0.0000025', output: '0.00001', cacheRead: '', reasoning: '', free: false, defaultRate: false, defaultMaxOutput: 4096 };

const scrolls = { count: 0 };
const realScrollTo = HTMLElement.prototype.scrollTo;
afterEach(() => {
  HTMLElement.prototype.scrollTo = realScrollTo;
});

async function startSend() {
  scrolls.count = 0;
  HTMLElement.prototype.scrollTo = function () {
    scrolls.count++;
  } as typeof HTMLElement.prototype.scrollTo;
  const rt = installFakeRuntime();
  const f = installFakeBridge({
    'Chat.Conversations': () => [conv],
    'Chat.Conversation': () => conv,
    ...fakeMessages(() => []),
    'Chat.Models': () => [model],
    'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '500', threshold: '100', low: false }),
    'Chat.Send': () => new Promise(() => {}),
    'Chat.Stop': () => true,
    'Chat.SaveDraft': () => true,
    'Chat.Estimate': () => null,
  });
  render(Chat, { params: { rest: '1' }, query: {} });
  await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Write a lot' } });
  await fireEvent.click(screen.getByTestId('chat-send'));
  await waitFor(() => expect(f.calls.some((c) => c.method === 'StartSend')).toBe(true));
  const { messageId } = f.calls.find((c) => c.method === 'StartSend')!.args[0] as { messageId: string };
  return { rt, messageId };
}

/** 2,000 deltas, each handled in its own turn (as Wails delivers events); a macrotask after every 100. */
async function stream(rt: ReturnType<typeof installFakeRuntime>, messageId: string, n = 2000): Promise<string> {
  let expected = '';
  for (let i = 0; i < n; i++) {
    const text = i % 50 === 49 ? `w${i}\n\n` : `w${i} `;
    expected += text;
    rt.emit('chat:delta', { conversationId: 1, messageId, text });
    await tick();
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 0));
  }
  return expected;
}

const words = (s: string) => s.split(/\s+/).filter(Boolean).join(' ');

describe('Chat page: streaming a long reply', () => {
  it('renders the Markdown a bounded number of times, not once per delta; the text is complete', async () => {
    const { rt, messageId } = await startSend();
    renders.count = 0;
    scrolls.count = 0;
    const expected = await stream(rt, messageId);
    await waitFor(() => expect(words(screen.getByTestId('chat-markdown').textContent!)).toBe(words(expected)));
    expect(screen.getByTestId('chat-markdown').querySelectorAll('p')).toHaveLength(40);
    expect(renders.count).toBeGreaterThan(0);
    expect(renders.count).toBeLessThan(40);
    expect(scrolls.count).toBeLessThan(40);
    expect(screen.getByTestId('chat-stop')).toBeTruthy();
  });

  it('does not scroll the messages while the user has scrolled up to read', async () => {
    const { rt, messageId } = await startSend();
    const box = screen.getByTestId('chat-messages');
    Object.defineProperty(box, 'scrollHeight', { configurable: true, value: 5000 });
    Object.defineProperty(box, 'clientHeight', { configurable: true, value: 400 });
    box.scrollTop = 100;
    await fireEvent.scroll(box);
    scrolls.count = 0;
    const expected = await stream(rt, messageId, 300);
    await waitFor(() => expect(words(screen.getByTestId('chat-markdown').textContent!)).toBe(words(expected)));
    expect(scrolls.count).toBe(0);
    // Back at the bottom: the view follows the reply again.
    box.scrollTop = 4600;
    await fireEvent.scroll(box);
    rt.emit('chat:delta', { conversationId: 1, messageId, text: ' more' });
    await waitFor(() => expect(screen.getByTestId('chat-markdown').textContent).toContain('more'));
    await waitFor(() => expect(scrolls.count).toBe(1));
  });
});
