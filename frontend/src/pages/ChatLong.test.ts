// A long conversation: it opens on its newest page of messages, "Show
// earlier messages" adds the page before them where the view was, older
// messages skip layout while out of view, and data:changed re-reads the
// messages only when the conversation's state moved. Left open for weeks of
// sends, it stays at the pages asked for, and re-reads render only the
// messages that changed.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Chat from './Chat.svelte';
import { fakeMessages, installFakeBridge, installFakeRuntime, type FakeBridge } from '../test/fakeBridge';
import { renderMarkdown } from '../lib/markdown';

vi.mock('../lib/markdown', async (importOriginal) => {
  const real = await importOriginal<typeof import('../lib/markdown')>();
  return { ...real, renderMarkdown: vi.fn(real.renderMarkdown) };
});

const conv = { id: 1, userId: 0, title: 'Long one', systemPrompt: '', provider: 'fake', model: 'gpt-4o', draft: '', createdAt: '', updatedAt: '', messages: 0, snippet: '' };
const model = { provider: 'fake', rateProvider: 'openai', local: false, model: 'gpt-4o', input: '0.0000025', output: '0.00001', cacheRead: '', reasoning: '', free: false, defaultRate: false, defaultMaxOutput: 4096 };

/** n messages, user and assistant in turn; message i has id i + 1 and says "message <i + 1>". */
function conversation(n: number): any[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1, uid: `m${i + 1}`, conversationId: 1, role: i % 2 ? 'assistant' : 'user', content: `message ${i + 1}`,
    status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '',
  }));
}

function setup(stored: any[], more: Record<string, (...args: any[]) => unknown> = {}) {
  const rt = installFakeRuntime();
  const f = installFakeBridge({
    'Chat.Conversations': () => [conv],
    'Chat.Conversation': () => conv,
    ...fakeMessages(() => stored),
    'Chat.Models': () => [model],
    'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '500', threshold: '100', low: false }),
    'Chat.SaveDraft': () => true,
    'Chat.Send': () => new Promise(() => {}),
    ...more,
  });
  render(Chat, { params: { rest: '1' }, query: {} });
  return { rt, f };
}

/** Chat.Send storing the text and a reply "message <id>" in stored, as the backend does. */
function sender(stored: any[]) {
  return (input: any) => {
    const n = stored.length;
    stored.push({ ...stored[0], id: n + 1, uid: `${input.messageId}:user`, content: input.text });
    const reply = { ...stored[1], id: n + 2, uid: input.messageId, content: `message ${n + 2}` };
    stored.push(reply);
    return { message: reply, error: null };
  };
}

/** Sends "message <n>" (the next id) through the composer and waits until its reply is shown. */
async function sendNext(stored: any[]) {
  const n = stored.length;
  await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: `message ${n + 1}` } });
  await fireEvent.click(screen.getByTestId('chat-send'));
  await waitFor(() => expect(texts().at(-1)).toBe(`message ${n + 2}`));
  await waitFor(() => expect(screen.getByTestId('chat-send')).toBeTruthy()); // the send ended
}

const pageReads = (f: FakeBridge) => f.calls.filter((c) => c.method === 'MessagesPage').map((c) => c.args);

const shown = () => [...screen.getByTestId('chat-messages').querySelectorAll('article')];
const texts = () => shown().map((a) => a.textContent!.match(/message \d+/)![0]);

/** The messages box as a browser lays it out: 100 px a message, scrolled to `top`. */
function layOut(top: number) {
  const box = screen.getByTestId('chat-messages');
  Object.defineProperty(box, 'scrollHeight', { configurable: true, get: () => box.querySelectorAll('article').length * 100 });
  Object.defineProperty(box, 'clientHeight', { configurable: true, value: 500 });
  Object.defineProperty(box, 'scrollTop', { configurable: true, writable: true, value: top });
  return box;
}

describe('Chat page: a long conversation', () => {
  it('opens on its newest 200 messages; only the newest few are always laid out', async () => {
    const { f } = setup(conversation(4160));
    await waitFor(() => expect(shown()).toHaveLength(200));
    expect(texts()[0]).toBe('message 3961');
    expect(texts().at(-1)).toBe('message 4160');
    expect(f.calls.filter((c) => c.method === 'MessagesPage').map((c) => c.args)).toEqual([[1, 0, 200]]);
    const deferred = shown().map((a) => a.classList.contains('deferred'));
    expect(deferred.slice(0, 170).every(Boolean)).toBe(true);
    expect(deferred.slice(170).some(Boolean)).toBe(false);
    const more = screen.getByTestId('chat-earlier');
    expect(more.tagName).toBe('BUTTON'); // reached and pressed with the keyboard
    expect(more.getAttribute('type')).toBe('button');
    expect(more.textContent).toBe('Show earlier messages');
  });

  it('shows earlier messages where the view was, and says so; at the start the button goes and the focus stays in the messages', async () => {
    const { f } = setup(conversation(450));
    await waitFor(() => expect(shown()).toHaveLength(200));
    const box = layOut(0); // at the top, where the button is
    const more = screen.getByTestId('chat-earlier');
    more.focus();
    await fireEvent.click(more);
    await waitFor(() => expect(shown()).toHaveLength(400));
    expect(texts()[0]).toBe('message 51');
    expect(texts().at(-1)).toBe('message 450');
    expect(f.calls.filter((c) => c.method === 'MessagesPage').at(-1)!.args).toEqual([1, 251, 200]);
    // The message that was at the top is still at the top: 200 messages above it now.
    expect(box.scrollTop).toBe(20000);
    expect(document.activeElement).toBe(screen.getByTestId('chat-earlier'));
    await waitFor(() => expect(screen.getByTestId('chat-announce').textContent).toBe('200 earlier messages shown'));

    box.scrollTop = 0;
    await fireEvent.click(screen.getByTestId('chat-earlier'));
    await waitFor(() => expect(shown()).toHaveLength(450));
    expect(texts()[0]).toBe('message 1');
    expect(box.scrollTop).toBe(5000);
    expect(screen.queryByTestId('chat-earlier')).toBeNull();
    expect(document.activeElement).toBe(box); // not lost to the page
    await waitFor(() => expect(screen.getByTestId('chat-announce').textContent).toBe('50 earlier messages shown, from the start of the conversation'));
  });

  it('re-reads the messages on data:changed only when the conversation changed, keeping the earlier ones shown', async () => {
    const stored = conversation(450);
    const { rt, f } = setup(stored);
    await waitFor(() => expect(shown()).toHaveLength(200));
    await fireEvent.click(screen.getByTestId('chat-earlier'));
    await waitFor(() => expect(shown()).toHaveLength(400));
    const count = (m: string) => f.calls.filter((c) => c.method === m).length;
    const pages = count('MessagesPage');

    // Another process wrote something else (serve charging other chats): one cheap read, nothing re-read.
    for (let i = 0; i < 5; i++) rt.emit('data:changed');
    await waitFor(() => expect(count('MessagesState')).toBe(5));
    await new Promise((r) => setTimeout(r, 20));
    expect(count('MessagesPage')).toBe(pages);

    // It added to this conversation: read again, as many as are shown.
    stored.push({ ...stored[0], id: 451, uid: 'cli:user', content: 'message 451' }, { ...stored[1], id: 452, uid: 'cli', content: 'message 452' });
    rt.emit('data:changed');
    await waitFor(() => expect(texts().at(-1)).toBe('message 452'));
    expect(f.calls.filter((c) => c.method === 'MessagesPage').at(-1)!.args).toEqual([1, 0, 400]);
    expect(shown()).toHaveLength(400);
    // And not again while it stays so.
    rt.emit('data:changed');
    await waitFor(() => expect(count('MessagesState')).toBe(7));
    await new Promise((r) => setTimeout(r, 20));
    expect(count('MessagesPage')).toBe(pages + 1);
  });

  it('keeps a reader scrolled up in place when another process adds to the conversation; at the bottom it follows', async () => {
    const stored = conversation(450);
    const { rt } = setup(stored);
    await waitFor(() => expect(shown()).toHaveLength(200));
    const box = layOut(3000); // reading earlier messages
    const scrollTo = vi.fn();
    Object.defineProperty(box, 'scrollTo', { configurable: true, value: scrollTo });
    await fireEvent.scroll(box);
    stored.push({ ...stored[0], id: 451, uid: 'cli:user', content: 'message 451' }, { ...stored[1], id: 452, uid: 'cli', content: 'message 452' });
    rt.emit('data:changed');
    await waitFor(() => expect(texts().at(-1)).toBe('message 452'));
    await new Promise((r) => setTimeout(r, 20));
    expect(scrollTo).not.toHaveBeenCalled();
    expect(box.scrollTop).toBe(3000);

    box.scrollTop = shown().length * 100 - 500; // at the bottom
    await fireEvent.scroll(box);
    stored.push({ ...stored[0], id: 453, uid: 'cli2:user', content: 'message 453' }, { ...stored[1], id: 454, uid: 'cli2', content: 'message 454' });
    rt.emit('data:changed');
    await waitFor(() => expect(texts().at(-1)).toBe('message 454'));
    await waitFor(() => expect(scrollTo).toHaveBeenCalled());
  });

  it('at the bottom, follows a re-read that changes a message but not which are shown (a cost line, a rates note); scrolled up, stays', async () => {
    const stored = conversation(450);
    let updatedAt = 'v1';
    const state = () => ({ updatedAt, count: stored.length, lastId: stored.at(-1).id, lastStatus: stored.at(-1).status });
    const { rt } = setup(stored, {
      'Chat.MessagesState': state,
      'Chat.MessagesPage': (_id: number, before = 0, limit = 0) => {
        const older = stored.filter((m) => !before || m.id < before);
        const n = limit > 0 ? limit : 200;
        return { messages: older.slice(-n), earlier: older.length > n, state: state() };
      },
    });
    await waitFor(() => expect(shown()).toHaveLength(200));
    const box = layOut(200 * 100 - 500); // at the bottom
    const scrollTo = vi.fn();
    Object.defineProperty(box, 'scrollTo', { configurable: true, value: scrollTo });
    await fireEvent.scroll(box);
    await new Promise((r) => setTimeout(r, 60));
    scrollTo.mockClear();
    stored[449] = { ...stored[449], content: 'message 450, with a longer text' };
    updatedAt = 'v2';
    rt.emit('data:changed');
    await waitFor(() => expect(shown().at(-1)!.textContent).toContain('with a longer text'));
    await waitFor(() => expect(scrollTo).toHaveBeenCalled());

    box.scrollTop = 3000; // reading earlier messages
    await fireEvent.scroll(box);
    await new Promise((r) => setTimeout(r, 60));
    scrollTo.mockClear();
    stored[449] = { ...stored[449], content: 'message 450, changed again' };
    updatedAt = 'v3';
    rt.emit('data:changed');
    await waitFor(() => expect(shown().at(-1)!.textContent).toContain('changed again'));
    await new Promise((r) => setTimeout(r, 60));
    expect(scrollTo).not.toHaveBeenCalled();
    expect(box.scrollTop).toBe(3000);
  });

  it('asks again for the earlier page when the messages were read again meanwhile', async () => {
    const stored = conversation(450);
    const { rt, f } = setup(stored);
    await waitFor(() => expect(shown()).toHaveLength(200));
    // The first answer for the earlier page comes after the conversation was read again.
    let hold: (() => void) | null = null;
    const page = f.handlers['Chat.MessagesPage'];
    let first = true;
    f.handlers['Chat.MessagesPage'] = async (...args: any[]) => {
      if (args[1] !== 0 && first) {
        first = false;
        await new Promise<void>((r) => (hold = r));
      }
      return page(...args);
    };
    await fireEvent.click(screen.getByTestId('chat-earlier'));
    stored.push({ ...stored[0], id: 451, uid: 'cli:user', content: 'message 451' }, { ...stored[1], id: 452, uid: 'cli', content: 'message 452' });
    rt.emit('data:changed');
    await waitFor(() => expect(texts().at(-1)).toBe('message 452'));
    hold!();
    await waitFor(() => expect(shown().length).toBeGreaterThan(300));
  });

  it('stays at its page however many sends are made at the bottom: the oldest drop off, Show earlier brings them back', async () => {
    const stored = conversation(450);
    const { f } = setup(stored, { 'Chat.Send': sender(stored), 'Chat.Estimate': () => null });
    await waitFor(() => expect(shown()).toHaveLength(200));
    for (let i = 0; i < 6; i++) {
      await sendNext(stored);
      expect(pageReads(f).at(-1)).toEqual([1, 0, 200]);
      expect(shown()).toHaveLength(200);
    }
    expect(texts()[0]).toBe('message 263');
    expect(texts().at(-1)).toBe('message 462');
    expect(screen.getByTestId('chat-earlier')).toBeTruthy();
  });

  it('keeps the pages asked for across sends, and only those', async () => {
    const stored = conversation(450);
    const { f } = setup(stored, { 'Chat.Send': sender(stored), 'Chat.Estimate': () => null });
    await waitFor(() => expect(shown()).toHaveLength(200));
    await fireEvent.click(screen.getByTestId('chat-earlier'));
    await waitFor(() => expect(shown()).toHaveLength(400));
    for (let i = 0; i < 3; i++) {
      await sendNext(stored);
      expect(pageReads(f).at(-1)).toEqual([1, 0, 400]);
      expect(shown()).toHaveLength(400);
    }
    expect(texts()[0]).toBe('message 57');
  });

  it('takes nothing from a reader scrolled up; back at the bottom, a re-read trims to the page', async () => {
    const stored = conversation(450);
    const { rt, f } = setup(stored);
    await waitFor(() => expect(shown()).toHaveLength(200));
    const box = layOut(3000); // reading earlier messages
    await fireEvent.scroll(box);
    stored.push({ ...stored[0], id: 451, uid: 'cli:user', content: 'message 451' }, { ...stored[1], id: 452, uid: 'cli', content: 'message 452' });
    rt.emit('data:changed');
    await waitFor(() => expect(texts().at(-1)).toBe('message 452'));
    expect(pageReads(f).at(-1)).toEqual([1, 0, 202]);
    expect(texts()[0]).toBe('message 251'); // still there, above what is read
    expect(shown()).toHaveLength(202);

    box.scrollTop = 202 * 100 - 500; // at the bottom
    await fireEvent.scroll(box);
    stored.push({ ...stored[0], id: 453, uid: 'cli2:user', content: 'message 453' }, { ...stored[1], id: 454, uid: 'cli2', content: 'message 454' });
    rt.emit('data:changed');
    await waitFor(() => expect(texts().at(-1)).toBe('message 454'));
    expect(pageReads(f).at(-1)).toEqual([1, 0, 200]);
    expect(shown()).toHaveLength(200);
    expect(texts()[0]).toBe('message 255');
  });

  it('renders again only the messages a send changed, not every one shown', async () => {
    const stored = conversation(450);
    setup(stored, { 'Chat.Send': sender(stored), 'Chat.Estimate': () => null });
    await waitFor(() => expect(shown()).toHaveLength(200));
    const render = vi.mocked(renderMarkdown);
    const kept = shown().find((a) => a.textContent!.includes('message 400'))!;
    const keptHtml = kept.querySelector('[data-testid="chat-markdown"]')!.firstElementChild;
    render.mockClear();
    await sendNext(stored);
    await sendNext(stored);
    // The two replies (their final text), nothing else: the 100 replies shown before are not rendered again.
    expect(render.mock.calls.map((c) => c[0])).toEqual(['message 452', 'message 454']);
    const again = shown().find((a) => a.textContent!.includes('message 400'))!;
    expect(again).toBe(kept);
    expect(again.querySelector('[data-testid="chat-markdown"]')!.firstElementChild).toBe(keptHtml);
  });
});
