import { describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Chat from './Chat.svelte';
import Dialog from '../components/Dialog.svelte';
import { toast } from '../lib/toast.svelte';
import { session } from '../lib/session.svelte';
import { coded, fakeMessages, installFakeBridge, installFakeRuntime, refusal } from '../test/fakeBridge';
import { perMillion, replyAnnouncement, describeError, undone, describeFailure, snippetLine, parseSettings, describeSettings, settingsForm, settingsField, reasoningHint, thinkingSamplingWarning, reasoningLevelWarning, outputCeilingWarning } from '../api/chat';
import { fieldState } from '../test/a11y';
import modelTextSource from '../components/ModelText.svelte?raw';
import { BackendError } from '../api/errors';
import estimateWordsJSON from '../../../backend/chat/testdata/estimate_words.json?raw';

/** The backend's words for how a thinking budget is charged (chat.ThinkingChargedAs…), checked against Go by chat.TestEstimateWordsMatchTheWindow. */
const chargedWords: { thinkingChargedAsOutput: string; thinkingChargedAsReasoning: string } = JSON.parse(estimateWordsJSON);

const conv = { id: 1, userId: 0, title: 'New chat', systemPrompt: '', provider: 'fake', model: 'gpt-4o', draft: '', createdAt: '', updatedAt: '', messages: 0, snippet: '' };
const model = { provider: 'fake', rateProvider: 'openai', local: false, model: 'gpt-4o', input: '0.0000025', output: '0.00001', cacheRead: '', reasoning: '', free: false, defaultRate: false, defaultMaxOutput: 4096 };
const charge = { summary: 'gpt-4o · input 9 tokens (0.018 credits) · output 2 tokens (0.016 credits) · total 0.034 credits', amount: '0.034', rateVersion: 2, hold: '1' };

let storedTitle = conv.title; // what Chat.Conversation returns

/** Claude Sonnet 4.5 on an Anthropic provider: thinking budgets of its own (backend chat.ReasoningSupport). */
const claude = { ...model, provider: 'claude', rateProvider: 'anthropic', model: 'claude-sonnet-4-5',
  reasoningSupport: { control: 'budget' as const, thinkingCharged: chargedWords.thinkingChargedAsOutput, off: true, low: 1024, medium: 4096, high: 16384, fixedSampling: true } };

function setup(send: (input: any) => unknown, stored: any[] = [], update: (id: number, input: any) => unknown = () => conv, models: any[] = [model]) {
  storedTitle = conv.title;
  const rt = installFakeRuntime();
  const f = installFakeBridge({
    'Chat.Conversations': () => [conv],
    'Chat.Conversation': () => ({ ...conv, title: storedTitle }),
    ...fakeMessages(() => stored),
    'Chat.Models': () => models,
    'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '5', threshold: '100', low: true }),
    'Chat.Send': send,
    'Chat.Stop': () => true,
    'Chat.SaveDraft': () => true,
    'Chat.UpdateConversation': update,
    'Chat.DeleteConversation': (id: number) => id,
    'Chat.ExportToFile': (id: number) => `/tmp/conversation-${id}.md`,
  });
  const view = render(Chat, { params: { rest: '1' }, query: {} });
  return { rt, f, view };
}

describe('Chat page', () => {
  it("puts the chosen model's rate on a line under the picker when the row is too narrow for it (900 px), beside the name when wide", async () => {
    const size = { bar: 388 }; // the thread's header row at 900 px; about 700 at 1280
    const observers: (() => void)[] = [];
    vi.stubGlobal('ResizeObserver', class {
      constructor(private cb: () => void) { observers.push(cb); }
      observe() { this.cb(); }
      disconnect() {}
    });
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(function (this: HTMLElement) {
      return this.classList.contains('bar') ? size.bar : 0;
    });
    // The widest option with its rate, as laid out: "gpt-4o — fake — in 2.5 · out 10 credits / 1M tokens".
    vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockImplementation(function (this: HTMLElement) {
      return this.classList.contains('measure') ? 400 : 0;
    });
    try {
      setup(() => ({}));
      const picker = await screen.findByTestId('chat-model-select') as HTMLSelectElement;
      await waitFor(() => expect(screen.getByTestId('chat-model-rate').textContent).toBe('in 2.5 · out 10 credits / 1M tokens'));
      expect(picker.textContent?.trim()).toBe('gpt-4o — fake'); // no rate to be cut off
      expect(picker.getAttribute('aria-describedby')).toBe('chat-model-rate'); // read with the picker
      size.bar = 700;
      for (const fit of observers) fit();
      await waitFor(() => expect(screen.queryByTestId('chat-model-rate')).toBeNull());
      expect(picker.textContent?.trim()).toBe('gpt-4o — fake — in 2.5 · out 10 credits / 1M tokens'); // one line, as before
      expect(picker.hasAttribute('aria-describedby')).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('streams a reply, renders it as safe Markdown and shows its charge', async () => {
    let resolveSend: (v: unknown) => void = () => {};
    const stored: any[] = [];
    const { rt, f } = setup((input) => new Promise((r) => (resolveSend = r)), stored);
    await waitFor(() => expect((screen.getByTestId('chat-model-select') as HTMLSelectElement).textContent).toContain('in 2.5 · out 10 credits / 1M tokens'));
    expect(screen.getByTestId('chat-low-balance').textContent).toContain('5.00');
    expect((await screen.findByTestId('chat-list-item')).getAttribute('aria-current')).toBe('true'); // the open conversation
    expect(screen.getByRole('complementary', { name: 'Conversations' })).toBe(screen.getByTestId('chat-list')); // told apart from the sidebar
    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Hi' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(f.calls.some((c) => c.method === 'StartSend')).toBe(true));
    const input = f.calls.find((c) => c.method === 'StartSend')!.args[0] as { messageId: string; text: string; model: string };
    expect(input.text).toBe('Hi');
    expect(input.model).toBe('gpt-4o');
    rt.emit('chat:delta', { conversationId: 1, messageId: input.messageId, text: '**bold** <img src=x onerror=alert(1)>' });
    await waitFor(() => expect(screen.getByTestId('chat-markdown').innerHTML).toContain('<strong>bold</strong>'));
    expect(screen.getByTestId('chat-markdown').querySelector('img')).toBeNull(); // the raw HTML is shown as text
    expect(screen.getByTestId('chat-markdown').textContent).toContain('<img src=x onerror=alert(1)>');
    expect(screen.getByTestId('chat-stop')).toBeTruthy();
    expect(screen.getByTestId('chat-announce').textContent).toBe(''); // the text streaming in is not read out
    await fireEvent.click(screen.getByTestId('chat-stop'));
    expect(f.calls.some((c) => c.method === 'Stop' && c.args[0] === input.messageId)).toBe(true);
    stored.push({ id: 1, uid: 'u', conversationId: 1, role: 'user', content: 'Hi', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '' },
      { id: 2, uid: input.messageId, conversationId: 1, role: 'assistant', content: '**bold**', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '', charge });
    storedTitle = 'Hi'; // the first message titles the conversation
    expect(screen.getByTestId('chat-title').textContent).toBe('New chat');
    resolveSend({ message: stored[1], error: null });
    await waitFor(() => expect(screen.getByTestId('chat-breakdown').textContent).toContain('total 0.034 credits'));
    await waitFor(() => expect(screen.getByTestId('chat-title').textContent).toBe('Hi'));
    expect(screen.getByTestId('chat-regenerate')).toBeTruthy();
    // Said once, politely, when the reply is done.
    const said = screen.getByTestId('chat-announce');
    expect(said.getAttribute('role')).toBe('status');
    await waitFor(() => expect(said.textContent).toBe('Reply finished · 0.034 credits'));
  });

  it('puts the text back and offers a top-up when credits are short', async () => {
    setup(() => ({ message: null, error: { code: 'insufficient_credits', message: 'this message may cost up to 41 credits but the workspace pool has 1 available', topUp: true } }));
    await waitFor(() => screen.getByTestId('chat-input'));
    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Expensive question' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe('insufficient_credits'));
    expect(screen.getByTestId('chat-topup')).toBeTruthy();
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('Expensive question');
    expect(screen.queryByTestId('chat-message-assistant')).toBeNull();
  });

  it("says after a provider's error or a rate limit that stored nothing that the text is kept and nothing was charged, as offline does", async () => {
    const said = (code: string, message: string) => ({ message: null, error: { code, message, topUp: false } });
    for (const [reply, want] of [
      [said('provider_error', 'chat: provider error 500 Internal Server Error: The server had an error while processing your request.'),
        'chat: provider error 500 Internal Server Error: The server had an error while processing your request. Your message is kept as a draft. Nothing was charged.'],
      [said('timeout', 'chat the provider Lab: the provider stopped responding (timeout) (nothing received for 2m0s)'),
        'chat the provider Lab: the provider stopped responding (timeout) (nothing received for 2m0s). Your message is kept as a draft. Nothing was charged.'],
      // Words that say it already are not said twice.
      [said('provider_error', 'chat the provider Lab: the provider closed the connection without answering; nothing was received or charged'),
        'chat the provider Lab: the provider closed the connection without answering; nothing was received or charged. Your message is kept as a draft.'],
    ] as const) {
      cleanup();
      setup(() => reply);
      await waitFor(() => screen.getByTestId('chat-input'));
      await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Hello' } });
      await fireEvent.click(screen.getByTestId('chat-send'));
      await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe(reply.error.code));
      expect(screen.getByTestId('chat-error').textContent!.replace('×', '').trim()).toBe(want);
      expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('Hello');
    }
    // A rate limit names the provider the send went to, as the picker does (its words name none).
    cleanup();
    setup(() => ({ message: null, error: { code: 'rate_limited', message: 'chat: provider error 429 Too Many Requests: Rate limit reached (retry after 7s)', topUp: false, retryAfterSec: 7 } }));
    await waitFor(() => screen.getByTestId('chat-input'));
    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Hello' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe('rate_limited'));
    // The time left is the composer's, where it counts down (not a fixed "7 s" here).
    expect(screen.getByTestId('chat-error').textContent!.replace('×', '').trim())
      .toBe('The provider fake is rate limiting requests. Your message is kept as a draft. Nothing was charged.');
    expect((await screen.findByTestId('chat-wait')).textContent).toBe('Send again in 7 s (the provider fake is rate limiting requests)');
    expect(describeError(undone({ code: 'rate_limited', message: 'x', topUp: false, retryAfterSec: 7 }, 'draft', 'fake')))
      .toBe('The provider fake is rate limiting requests; try again in 7 s. Your message is kept as a draft. Nothing was charged.');
    expect(describeError(undone({ code: 'rate_limited', message: 'x', topUp: false }, 'none'))).toBe('The provider is rate limiting requests. Nothing was charged.');
    // A regenerate has no draft; a reply cut off after some text was stored and charged: its own line says so.
    expect(describeError(undone({ code: 'provider_error', message: 'chat: provider error 502 Bad Gateway', topUp: false }, 'none')))
      .toBe('chat: provider error 502 Bad Gateway. Nothing was charged.');
    expect(describeError({ code: 'provider_error', message: 'chat stream: provider error 500 Internal Server Error: overloaded', topUp: false }))
      .toBe('chat stream: provider error 500 Internal Server Error: overloaded');
  });

  it("says nothing was charged of a rate limit only when the send stored nothing: a 429 inside a stream after some text leaves a charged reply", async () => {
    // Claude's rate_limit_error event after "Hello": the reply is stored (interrupted) and charged 0.054.
    const cut = { id: 2, uid: 'r1', conversationId: 1, role: 'assistant', content: 'Hello', status: 'interrupted', provider: 'fake', model: 'gpt-4o',
      error: 'chat stream: provider error 429 Too Many Requests: Rate limited', createdAt: '', charge: { ...charge, amount: '0.054' },
      statusNote: 'Interrupted: chat stream: provider error 429 Too Many Requests: Rate limited' };
    const stored: any[] = [];
    const { f } = setup(() => null, stored);
    f.handlers['Chat.Send'] = () => {
      stored.push({ id: 1, uid: 'u1', conversationId: 1, role: 'user', content: 'Hello', status: 'done', provider: '', model: '', error: '', createdAt: '' }, cut);
      return { message: cut, error: { code: 'rate_limited', message: cut.error, topUp: false } };
    };
    await waitFor(() => screen.getByTestId('chat-input'));
    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Hello' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    // Said once: under the reply, with its charge line; no box above the composer (nothing there to do).
    await waitFor(() => expect(screen.getByTestId('chat-status-note').textContent).toBe(`Interrupted: ${cut.error}`));
    expect(screen.getByTestId('chat-breakdown')).toBeTruthy();
    expect(screen.queryByTestId('chat-error')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('chat-announce').textContent).toBe(`Reply interrupted: ${cut.error} · 0.054 credits`));
    expect(describeError({ code: 'rate_limited', message: 'x', topUp: false })).not.toContain('Nothing was charged');
  });

  it("holds Send while a rate limit's Retry-After runs, counting down, for that provider's models only; then lets it go", async () => {
    const mini = { ...model, model: 'gpt-4o-mini' };
    const send = vi.fn(() => ({ message: null, error: { code: 'rate_limited', message: 'chat: provider error 429 Too Many Requests', topUp: false, retryAfterSec: 3 } }));
    const viewOf = setup(send, [], () => conv, [model, mini, claude]).view;
    const input = await screen.findByTestId('chat-input') as HTMLTextAreaElement;
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      await fireEvent.input(input, { target: { value: 'Hello' } });
      await fireEvent.click(screen.getByTestId('chat-send'));
      await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe('rate_limited'));
      const sendButton = () => screen.getByTestId('chat-send') as HTMLButtonElement;
      const waitLine = () => screen.queryByTestId('chat-wait')?.textContent ?? '';
      expect(waitLine()).toBe('Send again in 3 s (the provider fake is rate limiting requests)');
      expect(sendButton().disabled).toBe(true);
      expect(sendButton().title).toBe(waitLine());
      expect(sendButton().getAttribute('aria-describedby')).toBe(screen.getByTestId('chat-wait').id);
      // Enter does not send either.
      await fireEvent.keyDown(input, { key: 'Enter' });
      expect(send).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1000);
      await waitFor(() => expect(waitLine()).toBe('Send again in 2 s (the provider fake is rate limiting requests)'));
      // The limit is the provider's: another of its models waits too; another provider's model does not.
      const select = screen.getByTestId('chat-model-select') as HTMLSelectElement;
      await fireEvent.change(select, { target: { value: 'fake\u0000gpt-4o-mini' } });
      await waitFor(() => expect(sendButton().disabled).toBe(true));
      await fireEvent.change(select, { target: { value: 'claude\u0000claude-sonnet-4-5' } });
      await waitFor(() => expect(sendButton().disabled).toBe(false));
      expect(screen.queryByTestId('chat-wait')).toBeNull();
      expect(sendButton().hasAttribute('title')).toBe(false);
      await fireEvent.change(select, { target: { value: 'fake\u0000gpt-4o' } });
      await waitFor(() => expect(sendButton().disabled).toBe(true));
      // Time up: Send is back, the countdown gone, and Enter sends.
      await vi.advanceTimersByTimeAsync(2000);
      await waitFor(() => expect(sendButton().disabled).toBe(false));
      expect(screen.queryByTestId('chat-wait')).toBeNull();
      expect(sendButton().hasAttribute('aria-describedby')).toBe(false);
      await fireEvent.keyDown(input, { key: 'Enter' });
      await waitFor(() => expect(send).toHaveBeenCalledTimes(2));
      // Held again (a second 429): another conversation, same provider and model, is not held.
      await waitFor(() => expect(sendButton().disabled).toBe(true));
      await viewOf.rerender({ params: { rest: '2' }, query: {} });
      await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Elsewhere' } });
      await waitFor(() => expect(sendButton().disabled).toBe(false));
      expect(screen.queryByTestId('chat-wait')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says the error of a send that stored its reply once: under the reply with its charge, the box only for what can be done', async () => {
    for (const [error, status, box] of [
      [{ code: 'interrupted', message: 'chat stream: the connection was reset after 2 of 3 parts', topUp: false }, 'interrupted', ''],
      [{ code: 'provider_error', message: 'chat stream: provider error event: overloaded_error', topUp: false }, 'interrupted', ''],
      [{ code: 'timeout', message: 'chat stream: the provider stopped responding (timeout)', topUp: false }, 'interrupted', ''],
      [{ code: 'error', message: 'chat: post the charge: disk I/O error', topUp: false }, 'error', ''],
      [{ code: 'insufficient_credits', message: 'the charge could not be posted: the workspace pool has 0 available', topUp: true }, 'error', 'Top up credits to send again.'],
    ] as const) {
      cleanup();
      const stored: any[] = [];
      const cut = { id: 2, uid: 'r1', conversationId: 1, role: 'assistant', content: 'Hel', status, provider: 'fake', model: 'gpt-4o',
        error: error.message, createdAt: '', charge: { ...charge, amount: '0.054' }, statusNote: `${status === 'interrupted' ? 'Interrupted' : 'Error'}: ${error.message}` };
      const { f } = setup(() => null, stored);
      f.handlers['Chat.Send'] = () => {
        stored.push({ id: 1, uid: 'u1', conversationId: 1, role: 'user', content: 'Hello', status: 'done', provider: '', model: '', error: '', createdAt: '' }, cut);
        return { message: cut, error };
      };
      await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Hello' } });
      await fireEvent.click(screen.getByTestId('chat-send'));
      const head = status === 'interrupted' ? 'Interrupted' : 'Error';
      await waitFor(() => expect(screen.getByTestId('chat-status-note').textContent).toBe(`${head}: ${error.message}`));
      const reply = screen.getByTestId('chat-message-assistant');
      expect(reply.querySelector('[data-testid="chat-breakdown"]')).toBeTruthy();
      // The screen reader's announcement (inside the thread, set a tick later) aside: counted with it, the check
      // passed only while the announcement had not come yet.
      const thread = screen.getByTestId('chat-thread').textContent!.replace(screen.getByTestId('chat-announce').textContent!, '');
      expect(thread.split(error.message).length - 1, error.code).toBe(1); // said once, under the reply
      if (box) {
        expect(screen.getByTestId('chat-error').querySelector('.send-error-body')!.textContent!.trim()).toBe(box);
        expect(screen.getByTestId('chat-topup')).toBeTruthy();
      } else expect(screen.queryByTestId('chat-error'), error.code).toBeNull();
      await waitFor(() => expect(screen.getByTestId('chat-announce').textContent).toBe(`Reply ${status === 'interrupted' ? 'interrupted' : 'failed'}: ${error.message} · 0.054 credits`));
    }
  });

  it('says a reply whose charge failed once, under it, though the send returns no message (chat.Service.Send)', async () => {
    // The backend's Send returns no message when the charge fails (a hold that outlived, the pool emptied
    // meanwhile), yet the user turn and the reply stay stored, status error, with no charge: the window put the
    // text back in the composer as if nothing were stored and said the error in the box, and again under the
    // reply once the thread was read.
    const error = { code: 'insufficient_credits', message: 'not enough credits: the workspace pool has 0 available', topUp: true };
    const stored: any[] = [];
    const { f } = setup(() => null, stored);
    f.handlers['Chat.Send'] = (input: any) => {
      stored.push({ id: 1, uid: `${input.messageId}:user`, conversationId: 1, role: 'user', content: 'Hello', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '' },
        { id: 2, uid: input.messageId, conversationId: 1, role: 'assistant', content: 'Hel', status: 'error', provider: 'fake', model: 'gpt-4o', error: error.message, createdAt: '', statusNote: `Error: ${error.message}` });
      return { message: null, error };
    };
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Hello' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-status-note').textContent).toBe(`Error: ${error.message}`));
    await waitFor(() => expect(screen.getByTestId('chat-error').querySelector('.send-error-body')!.textContent!.trim()).toBe('Top up credits to send again.'));
    const shown = screen.getByTestId('chat-thread').textContent!.replace(screen.getByTestId('chat-announce').textContent!, '');
    expect(shown.split(error.message).length - 1).toBe(1); // the status line; the screen reader's announcement aside
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe(''); // the text is in the thread
    await waitFor(() => expect(screen.getByTestId('chat-announce').textContent).toBe(`Reply failed: ${error.message}`));
  });

  it("says of a refused edit that its text is kept in the editor, not as the composer's draft", async () => {
    const stored: any[] = [
      { id: 1, uid: 'u1', conversationId: 1, role: 'user', content: 'Hello there', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '' },
      { id: 2, uid: 'r1', conversationId: 1, role: 'assistant', content: 'Hi!', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '', charge },
    ];
    for (const [error, want] of [
      [{ code: 'provider_error', message: 'chat: provider error 500 Internal Server Error: overloaded', topUp: false },
        'chat: provider error 500 Internal Server Error: overloaded. Your edit is kept in the editor. Nothing was charged.'],
      [{ code: 'rate_limited', message: 'chat: provider error 429 Too Many Requests', topUp: false, retryAfterSec: 7 },
        'The provider fake is rate limiting requests. Your edit is kept in the editor. Nothing was charged.'],
      // Offline and a context too long said "Your message is kept as a draft" of an edit too.
      [{ code: 'offline', message: 'offline: the provider cannot be reached: no route to host', topUp: false },
        'Offline: the provider cannot be reached (no route to host). Your edit is kept in the editor; send it again when you are back online. Nothing was charged.'],
      [{ code: 'context_too_long', message: 'This conversation is too long for gpt-4o. Lower History in Model settings, or start a new chat.', topUp: false },
        'This conversation is too long for gpt-4o. Lower History in Model settings, or start a new chat. Your edit is kept in the editor. Nothing was charged.'],
    ] as const) {
      cleanup();
      setup(() => ({ message: null, error }), stored);
      await fireEvent.click(await screen.findByTestId('chat-edit'));
      await fireEvent.input(screen.getByTestId('chat-edit-input'), { target: { value: 'Hello again' } });
      await fireEvent.click(screen.getByTestId('chat-edit-send'));
      await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe(error.code));
      expect(screen.getByTestId('chat-error').textContent!.replace('×', '').trim()).toBe(want);
      await waitFor(() => expect((screen.getByTestId('chat-edit-input') as HTMLTextAreaElement).value).toBe('Hello again'));
      expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('');
    }
  });

  it('offers a member no top-up: the message tells them to ask an admin', async () => {
    setup(() => ({ message: null, error: {
      code: 'insufficient_credits', topUp: false, askAdmin: true,
      message: 'not enough credits: this message to gpt-4o may cost up to 41 credits but the workspace pool has 1 available; ask an admin for credits to send it (nothing was sent or charged)',
    } }));
    await waitFor(() => screen.getByTestId('chat-input'));
    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Expensive question' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe('insufficient_credits'));
    expect(screen.getByTestId('chat-error').textContent).toContain('ask an admin for credits to send it');
    // A toast (the low-balance warning of the send before) rises above the refusal as above the message box.
    expect(screen.getByTestId('chat-error').hasAttribute('data-toast-above')).toBe(true);
    expect(screen.queryByTestId('chat-topup')).toBeNull();
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('Expensive question');
  });

  it('edits the model settings: empty is the default, bad numbers stay in the form, the backend error is shown plainly', async () => {
    let refuse = true;
    const { f } = setup(() => ({ message: null, error: null }), [], (_id, input) => {
      if (refuse) throw refusal('update conversation 1: invalid chat request: temperature must be a number from 0 to 2', 'Temperature must be a number from 0 to 2', 'temperature');
      return { ...conv, settings: input.settings };
    });
    const edit = await waitFor(() => screen.getByTestId('chat-settings-edit'));
    expect(edit.textContent).toContain('Model settings: defaults');
    await fireEvent.click(edit);
    expect((screen.getByTestId('chat-settings-max-output') as HTMLInputElement).placeholder).toBe('default (4,096)');
    await fireEvent.input(screen.getByTestId('chat-settings-temperature'), { target: { value: 'warm' } });
    await fireEvent.click(screen.getByTestId('chat-settings-save'));
    expect(screen.getByTestId('chat-settings-error').textContent).toBe('Temperature must be a number (or empty for the default)');
    expect(f.calls.some((c) => c.method === 'UpdateConversation')).toBe(false);
    // Only the field at fault is marked, not the empty Top P beside it.
    const invalid = (id: string) => screen.getByTestId(id).getAttribute('aria-invalid');
    expect([invalid('chat-settings-temperature'), invalid('chat-settings-top-p'), invalid('chat-settings-max-output')]).toEqual(['true', 'false', 'false']);
    // The field at fault is described by its hint and the error; the others by their hint.
    expect(fieldState(screen.getByTestId('chat-settings-temperature')).description)
      .toBe('0 to 2; lower is more focused Temperature must be a number (or empty for the default)');
    expect(fieldState(screen.getByTestId('chat-settings-top-p')).description).toBe('0 to 1');

    await fireEvent.input(screen.getByTestId('chat-settings-temperature'), { target: { value: '3' } });
    await fireEvent.click(screen.getByTestId('chat-settings-save'));
    await waitFor(() => expect(screen.getByTestId('chat-settings-error').textContent).toBe('Temperature must be a number from 0 to 2'));
    expect(invalid('chat-settings-temperature')).toBe('true');
    expect(screen.getByTestId('chat-settings-form')).toBeTruthy(); // kept open with the typed values

    refuse = false;
    await fireEvent.input(screen.getByTestId('chat-settings-temperature'), { target: { value: '0.5' } });
    await fireEvent.input(screen.getByTestId('chat-settings-max-output'), { target: { value: '256' } });
    await fireEvent.click(screen.getByTestId('chat-settings-save'));
    await waitFor(() => expect(screen.getByTestId('chat-settings-edit').textContent).toContain('Settings: Temperature 0.5 · Max output 256 tokens'));
    const saved = f.calls.filter((c) => c.method === 'UpdateConversation').at(-1)!;
    expect(saved.args).toEqual([1, { settings: { temperature: 0.5, topP: null, maxOutput: 256, reasoning: 'default', history: null } }]);
  });

  it('the Reasoning setting: says what each level does with the chosen model, or that it does not apply, and is saved with the others', async () => {
    let refuse = false;
    const { f } = setup(() => ({ message: null, error: null }), [], (_id, input) => {
      if (refuse) throw refusal('update conversation 1: invalid chat request: reasoning must be default, off, low, medium or high (not "x")',
        'Reasoning must be default, off, low, medium or high (not "x")', 'reasoning');
      if (input.settings) return { ...conv, provider: 'claude', model: 'claude-sonnet-4-5', settings: input.settings };
      return { ...conv, provider: input.provider, model: input.model };
    }, [model, claude]);
    const hint = () => screen.getByTestId('chat-settings-reasoning-hint').textContent;
    const level = () => screen.getByTestId('chat-settings-reasoning') as HTMLSelectElement;
    // gpt-4o is no reasoning model: whatever the level, nothing is sent for it.
    await fireEvent.click(await screen.findByTestId('chat-settings-edit'));
    expect(level().value).toBe('default');
    expect([...level().options].map((o) => o.textContent)).toEqual(['Default', 'Off', 'Low', 'Medium', 'High']);
    expect(hint()).toBe('Does not apply to gpt-4o: nothing is sent for it');
    await fireEvent.change(level(), { target: { value: 'high' } });
    expect(hint()).toBe('Does not apply to gpt-4o: nothing is sent for it');
    await fireEvent.click(screen.getByTestId('chat-settings-cancel'));

    // Claude: a thinking budget on top of the output budget.
    const picker = screen.getByTestId('chat-model-select') as HTMLSelectElement;
    const claudeKey = [...picker.options].find((o) => o.textContent?.startsWith('claude-sonnet-4-5'))!.value;
    await fireEvent.change(picker, { target: { value: claudeKey } });
    await waitFor(() => expect(f.calls.some((c) => c.method === 'UpdateConversation' && (c.args[1] as { model?: string }).model === 'claude-sonnet-4-5')).toBe(true));
    await fireEvent.click(screen.getByTestId('chat-settings-edit'));
    expect(hint()).toBe('Nothing is sent: claude-sonnet-4-5 thinks as its provider decides');
    await fireEvent.change(level(), { target: { value: 'off' } });
    expect(hint()).toBe('claude-sonnet-4-5 does not think');
    await fireEvent.change(level(), { target: { value: 'high' } });
    expect(hint()).toBe('Up to 16,384 thinking tokens, held and charged as output on top of Max output tokens');
    expect(fieldState(level()).description).toBe('Up to 16,384 thinking tokens, held and charged as output on top of Max output tokens');

    // A refusal about the level marks the picker, not the number fields.
    refuse = true;
    await fireEvent.click(screen.getByTestId('chat-settings-save'));
    await waitFor(() => expect(screen.getByTestId('chat-settings-error').textContent).toBe('Reasoning must be default, off, low, medium or high (not "x")'));
    expect(level().getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('chat-settings-temperature').getAttribute('aria-invalid')).toBe('false');

    // Saved: the composer prices its draft again (the thinking budget is
    // held as output; Go reads the level from the conversation).
    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Think hard' } });
    const estimates = () => f.calls.filter((c) => c.method === 'EstimateDraft').length;
    await waitFor(() => expect(estimates()).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 400));
    const before = estimates();
    refuse = false;
    await fireEvent.click(screen.getByTestId('chat-settings-save'));
    await waitFor(() => expect(screen.getByTestId('chat-settings-edit').textContent).toContain('Settings: Reasoning high'));
    const saved = f.calls.filter((c) => c.method === 'UpdateConversation').at(-1)!;
    expect(saved.args).toEqual([1, { settings: { temperature: null, topP: null, maxOutput: 0, reasoning: 'high', history: null } }]);
    await waitFor(() => expect(estimates()).toBe(before + 1));
    expect(f.calls.filter((c) => c.method === 'EstimateDraft').at(-1)!.args).toEqual([1, 'claude', 'claude-sonnet-4-5', 'Think hard']);
  });

  it('the History setting: empty is all, a whole number of exchanges is saved with the others, a bad one stays in the form, and the draft is priced again', async () => {
    const { f } = setup(() => ({ message: null, error: null }), [], (_id, input) => ({ ...conv, settings: input.settings }));
    await fireEvent.click(await screen.findByTestId('chat-settings-edit'));
    const history = () => screen.getByTestId('chat-settings-history') as HTMLInputElement;
    expect(history().value).toBe('');
    expect(history().placeholder).toBe('all');
    expect(fieldState(history()).description).toBe('earlier exchanges each send carries (0: only the new one); fewer cost less per send, but the model forgets the rest');
    const updates = () => f.calls.filter((c) => c.method === 'UpdateConversation').length;
    for (const bad of ['-1', '1001', '2.5']) {
      await fireEvent.input(history(), { target: { value: bad } });
      await fireEvent.click(screen.getByTestId('chat-settings-save'));
      expect(screen.getByTestId('chat-settings-error').textContent).toBe('History must be a whole number of exchanges from 0 to 1000 (or empty for all)');
      expect(history().getAttribute('aria-invalid')).toBe('true');
      expect(screen.getByTestId('chat-settings-temperature').getAttribute('aria-invalid')).toBe('false');
    }
    expect(updates()).toBe(0);

    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Short please' } });
    const estimates = () => f.calls.filter((c) => c.method === 'EstimateDraft').length;
    await waitFor(() => expect(estimates()).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 400));
    const before = estimates();
    await fireEvent.input(history(), { target: { value: ' 3 ' } });
    await fireEvent.click(screen.getByTestId('chat-settings-save'));
    await waitFor(() => expect(screen.getByTestId('chat-settings-edit').textContent).toContain('Settings: History last 3 exchanges'));
    expect(f.calls.filter((c) => c.method === 'UpdateConversation').at(-1)!.args)
      .toEqual([1, { settings: { temperature: null, topP: null, maxOutput: 0, reasoning: 'default', history: 3 } }]);
    await waitFor(() => expect(estimates()).toBe(before + 1));

    // Reopened, it shows 3; emptied, it is all again.
    await fireEvent.click(screen.getByTestId('chat-settings-edit'));
    expect(history().value).toBe('3');
    await fireEvent.input(history(), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('chat-settings-save'));
    await waitFor(() => expect(screen.getByTestId('chat-settings-edit').textContent).toContain('Model settings: defaults'));
    expect(f.calls.filter((c) => c.method === 'UpdateConversation').at(-1)!.args)
      .toEqual([1, { settings: { temperature: null, topP: null, maxOutput: 0, reasoning: 'default', history: null } }]);
  });

  it('warns under the Reasoning picker when Claude would think with a temperature or top P it refuses (the send would be refused)', async () => {
    setup(() => ({ message: null, error: null }), [], () => ({ ...conv, provider: 'claude', model: 'claude-sonnet-4-5' }), [model, claude]);
    const picker = await screen.findByTestId('chat-model-select') as HTMLSelectElement;
    await fireEvent.change(picker, { target: { value: [...picker.options].find((o) => o.textContent?.startsWith('claude-sonnet-4-5'))!.value } });
    await fireEvent.click(screen.getByTestId('chat-settings-edit'));
    const warning = () => screen.queryByTestId('chat-settings-reasoning-warning')?.textContent ?? '';
    const level = screen.getByTestId('chat-settings-reasoning') as HTMLSelectElement;
    await fireEvent.input(screen.getByTestId('chat-settings-temperature'), { target: { value: '0.5' } });
    expect(warning()).toBe(''); // Default: Claude does not think
    await fireEvent.change(level, { target: { value: 'high' } });
    const said = 'claude-sonnet-4-5 takes no temperature other than 1 while it thinks (Reasoning high): clear Temperature in Model settings, or set Reasoning to Default or Off';
    expect(warning()).toBe(said);
    expect(fieldState(level).description).toBe(`Up to 16,384 thinking tokens, held and charged as output on top of Max output tokens ${said}`);
    await fireEvent.input(screen.getByTestId('chat-settings-temperature'), { target: { value: '1' } });
    expect(warning()).toBe('');
    await fireEvent.input(screen.getByTestId('chat-settings-top-p'), { target: { value: '0.9' } });
    expect(warning()).toBe('claude-sonnet-4-5 takes a top P only from 0.95 to 1 while it thinks (Reasoning high): clear Top P in Model settings, or set Reasoning to Default or Off');
    await fireEvent.change(level, { target: { value: 'off' } });
    expect(warning()).toBe('');
  });

  it('re-reads the conversation list and the balance status on data:changed (another process wrote)', async () => {
    const { rt, f } = setup(() => null);
    await screen.findAllByTestId('chat-list-item');
    const count = (m: string) => f.calls.filter((c) => c.method === m).length;
    const [lists, statuses] = [count('Conversations'), count('Status')];
    rt.emit('data:changed');
    await waitFor(() => expect(count('Conversations')).toBe(lists + 1));
    expect(count('Status')).toBe(statuses + 1);
  });

  it('shows new rates in the picker and the estimate as soon as they change, here or in another process', async () => {
    const { rt, f } = setup(() => null);
    let rate = { input: '0.0000025', output: '0.00001' };
    const range = () => (rate.input === '0.0000025' ? { low: '0.016', high: '32.784' } : { low: '16', high: '32784' });
    f.handlers['Chat.Models'] = () => [{ ...model, ...rate }];
    f.handlers['Chat.EstimateDraft'] = () => ({
      estimate: { provider: 'fake', model: 'gpt-4o', rateVersion: 2, promptTokens: 9, maxOutputTokens: 4096, encoding: 'o200k_base', family: 'openai',
        exact: true, lowMinor: 0, highMinor: 0, highThinking: false, free: false, ...range() },
      warnings: [], blocked: false,
    });
    const picker = () => screen.getByTestId('chat-model-select').textContent ?? '';
    await waitFor(() => expect(picker()).toContain('in 2.5 · out 10 credits / 1M tokens'));
    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Hi' } });
    await waitFor(() => expect(screen.getByTestId('chat-estimate-range').textContent).toContain('≈ 0.016 – 32.784 credits'));

    // An admin in this window raises the rate 1000×: rates:changed.
    rate = { input: '0.0025', output: '0.01' };
    rt.emit('rates:changed', 3);
    await waitFor(() => expect(picker()).toContain('in 2,500 · out 10,000 credits / 1M tokens'));
    await waitFor(() => expect(screen.getByTestId('chat-estimate-range').textContent).toContain('≈ 16.00 – 32,784.00 credits'));
    expect((screen.getByTestId('chat-model-select') as HTMLSelectElement).value).toBe('fake\u0000gpt-4o');
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('Hi');

    // Back down in a terminal (`meterdesk rates set`): only data:changed reaches the window.
    rate = { input: '0.0000025', output: '0.00001' };
    rt.emit('data:changed');
    await waitFor(() => expect(picker()).toContain('in 2.5 · out 10 credits / 1M tokens'));
    await waitFor(() => expect(screen.getByTestId('chat-estimate-range').textContent).toContain('≈ 0.016 – 32.784 credits'));
  });

  it('shows messages another process added to the open conversation', async () => {
    const stored: any[] = [];
    const { rt } = setup(() => null, stored);
    await screen.findByTestId('chat-input');
    expect(screen.queryAllByTestId('chat-markdown')).toHaveLength(0);
    stored.push({ id: 1, uid: 'cli:user', conversationId: 1, role: 'user', content: 'From the terminal', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '' },
      { id: 2, uid: 'cli', conversationId: 1, role: 'assistant', content: 'Answered there', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '', charge });
    rt.emit('data:changed');
    await waitFor(() => expect(screen.getByTestId('chat-thread').textContent).toContain('Answered there'));
    expect(screen.getByTestId('chat-thread').textContent).toContain('From the terminal');
  });

  it('offers an admin a top-up in the low-balance banner, and tells a member to ask an admin', async () => {
    session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' } } as never);
    const first = setup(() => ({ message: null, error: null }));
    expect((await screen.findByTestId('chat-low-topup')).getAttribute('href')).toBe('#/settings/credits');
    expect(screen.queryByTestId('chat-low-ask')).toBeNull();
    first.view.unmount();

    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    setup(() => ({ message: null, error: null }));
    expect((await screen.findByTestId('chat-low-ask')).textContent).toBe('Ask an admin for credits.');
    expect(screen.queryByTestId('chat-low-topup')).toBeNull();
    session.set(null);
  });

  it("shows an admin another member's conversation read only: its messages and Export, nothing that writes", async () => {
    const bobs = { ...conv, userId: 2, title: 'Bob asks', systemPrompt: 'Be brief.', draft: 'half a thought' };
    const stored = [
      { id: 1, uid: 'b:user', conversationId: 1, role: 'user', content: 'Hi from bob', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '' },
      { id: 2, uid: 'b', conversationId: 1, role: 'assistant', content: 'Hello bob', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '', charge },
    ];
    const open = (who: { userId: number; name: string; role: string }) => {
      session.set({ signedIn: true, actor: who } as never);
      installFakeRuntime();
      const f = installFakeBridge({
        'Chat.Conversations': () => [],
        'Chat.Conversation': () => bobs,
        ...fakeMessages(() => stored),
        'Chat.Models': () => [model],
        'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '500', threshold: '100', low: false }),
        'Chat.EstimateDraft': () => ({ estimate: { low: '0', high: '1' }, warnings: [], blocked: false }),
        'Chat.SaveDraft': () => true,
        'Chat.ExportToFile': (id: number) => `/tmp/conversation-${id}.md`,
      });
      const view = render(Chat, { params: { rest: '1' }, query: {} });
      return { f, view };
    };
    // Alice, an admin, opened #/chat/1 (say, left behind by bob's signed-out window).
    const alice = open({ userId: 1, name: 'alice', role: 'admin' });
    expect((await screen.findByTestId('chat-readonly')).textContent).toContain("another member's conversation: you can read and export it, but only they can write in it");
    await waitFor(() => expect(screen.getByTestId('chat-thread').textContent).toContain('Hello bob'));
    expect(screen.getByTestId('chat-thread').textContent).toContain('Hi from bob');
    expect(screen.getByTestId('chat-system-text').textContent).toBe('System: Be brief.');
    expect(screen.getByTestId('chat-model').textContent).toBe('Model: gpt-4o');
    for (const id of ['chat-input', 'chat-send', 'chat-rename', 'chat-model-select', 'chat-system-edit', 'chat-settings-edit', 'chat-regenerate', 'chat-edit', 'chat-estimate']) {
      expect(screen.queryByTestId(id), id).toBeNull();
    }
    await fireEvent.click(screen.getByTestId('chat-export'));
    await waitFor(() => expect(alice.f.calls.some((c) => c.method === 'ExportToFile')).toBe(true));
    alice.view.unmount(); // a draft pending would be saved now
    expect(alice.f.calls.filter((c) => ['StartSend', 'SaveDraft', 'UpdateConversation', 'EstimateDraft'].includes(c.method))).toEqual([]);

    // Bob, its owner, writes in it.
    open({ userId: 2, name: 'bob', role: 'member' });
    expect(await screen.findByTestId('chat-input')).toBeTruthy();
    expect(screen.queryByTestId('chat-readonly')).toBeNull();
    expect(screen.getByTestId('chat-rename')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('chat-regenerate')).toBeTruthy());
    session.set(null);
  });

  it("labels the turns an admin wrote in a member's conversation, and a reply they regenerated, with their name", async () => {
    const alice = { id: 1, name: 'alice' };
    const msg = (id: number, role: string, content: string, writtenBy?: { id: number; name: string }) =>
      ({ id, uid: `m${id}`, conversationId: 1, role, content, status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '', writtenBy,
        ...(role === 'assistant' ? { charge } : {}) });
    const stored = [
      msg(1, 'user', 'Hi from bob'), msg(2, 'assistant', 'Hello bob'),
      msg(3, 'user', 'Alice writing', alice), msg(4, 'assistant', 'Hello alice', alice), // one label: the turn's
      msg(5, 'user', 'Bob again'), msg(6, 'assistant', 'Regenerated by alice', alice),
    ];
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    installFakeRuntime();
    installFakeBridge({
      'Chat.Conversations': () => [],
      'Chat.Conversation': () => ({ ...conv, userId: 2 }),
      ...fakeMessages(() => stored),
      'Chat.Models': () => [model],
      'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '500', threshold: '100', low: false }),
      'Chat.EstimateDraft': () => ({ estimate: { low: '0', high: '1' }, warnings: [], blocked: false }),
      'Chat.SaveDraft': () => true,
    });
    try {
      render(Chat, { params: { rest: '1' }, query: {} });
      await waitFor(() => expect(screen.getByTestId('chat-thread').textContent).toContain('Regenerated by alice'));
      const labels = screen.queryAllByTestId('chat-written-by').map((l) => [l.closest('article')!.textContent!.includes('Alice writing') ? 'turn' : 'reply', l.textContent]);
      expect(labels).toEqual([['turn', 'written by alice'], ['reply', 'sent by alice']]);
      expect(screen.getAllByTestId('chat-written-by')[1].closest('article')!.textContent).toContain('Regenerated by alice');
    } finally {
      session.set(null);
    }
  });

  describe('Getting started', () => {
    const step = (id: string, done: boolean, optional = false) => ({ id, done, optional, title: `title ${id}`, detail: `detail ${id}` });
    function start(readiness: () => unknown, conversations: unknown[] = [], low = false) {
      const rt = installFakeRuntime();
      const f = installFakeBridge({
        'Chat.Conversations': () => conversations,
        'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '0', threshold: low ? '100' : '0', low }),
        'Chat.Readiness': readiness,
        'Chat.StartConversation': () => conv,
      });
      render(Chat, { params: { rest: '' }, query: {} });
      return { rt, f };
    }

    // An admin raising a member's limit of 0 in this process emits balance:changed (team.Service.limitsChanged, Go's
    // TestLimitChangesTellTheWindow): the member's paused card is read again and gives way, not left until reopened.
    it('reads the checklist again when a limit changes in this process (balance:changed), and the paused card goes', async () => {
      let paused = true;
      const { rt } = start(() => paused
        ? { ready: false, admin: false, heading: 'Chat is paused', summary: 'Your spending limit is 0: replies can be sent again once an admin raises it.',
          steps: [step('provider', true), step('credits', true), step('limit', false)] }
        : { ready: true, admin: false, heading: 'Ready to chat', summary: 'Every reply is metered and charged to the workspace pool, and shows what it cost.',
          steps: [step('provider', true), step('credits', true)] });
      await screen.findByTestId('chat-step-limit');
      expect(screen.getByTestId('chat-getting-started').querySelector('h2')!.textContent).toBe('Chat is paused');
      paused = false;
      rt.emit('balance:changed');
      await waitFor(() => expect(screen.getByTestId('chat-getting-started').querySelector('h2')!.textContent).toBe('Ready to chat'));
      expect(screen.queryByTestId('chat-step-limit')).toBeNull();
      expect(screen.getByTestId('chat-start')).not.toBeNull();
    });

    it("lists an admin's open steps with a link to where each is done", async () => {
      start(() => ({ ready: false, admin: true, heading: 'Getting started', summary: 'A few steps before the first metered reply.', steps: [step('provider', false), step('credits', false), step('team', false, true)] }));
      await screen.findByTestId('chat-getting-started');
      expect(screen.getByTestId('chat-getting-started').querySelector('h2')!.textContent).toBe('Getting started');
      expect(screen.getByTestId('chat-step-provider').textContent).toContain('detail provider');
      expect(screen.getByTestId('chat-step-provider-action').getAttribute('href')).toBe('#/settings/providers');
      expect(screen.getByTestId('chat-step-credits-action').getAttribute('href')).toBe('#/settings/credits');
      expect(screen.getByTestId('chat-step-team').querySelector('strong')!.textContent).toMatch(/^title team\s\(optional\)$/);
      expect(screen.queryByTestId('chat-start')).toBeNull();
    });

    // A new workspace showed "Low balance: … 0.00 credits" right above the card's "Top up credits: … has 0
    // credits available": while the card shows that step not done, it alone says it.
    it.each([
      { name: 'the credits step not done: the card says it, no banner', ready: false, credits: false, conversations: [], banner: false },
      { name: 'the credits step done, the card shown for another step: the banner', ready: false, credits: true, conversations: [], banner: true },
      { name: 'ready, no conversation yet, credits done: the banner', ready: true, credits: true, conversations: [], banner: true },
      { name: 'no card (ready, with conversations): the banner', ready: true, credits: true, conversations: [conv], banner: true },
    ])('low balance beside the card: $name', async ({ ready, credits, conversations, banner }) => {
      session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' } } as never);
      start(() => ({ ready, admin: true, steps: [step('provider', ready), step('credits', credits)] }), conversations, true);
      await waitFor(() => expect(screen.queryByTestId(conversations.length ? 'empty-chat' : 'chat-getting-started')).not.toBeNull());
      await new Promise((r) => setTimeout(r, 10));
      expect(!!screen.queryByTestId('chat-low-balance')).toBe(banner);
      session.set(null);
    });

    it('shows the answer to the latest balance read, not an older one that arrives after it (no stale low-balance banner)', async () => {
      // Each read of the status waits until the test answers it; the first (low) is answered last.
      const pending: ((v: unknown) => void)[] = [];
      const st = (low: boolean) => ({ payer: 'pool', payerName: 'the workspace pool', available: low ? '5' : '500', threshold: '100', low });
      const rt = installFakeRuntime();
      installFakeBridge({
        'Chat.Conversations': () => [conv],
        'Chat.Status': () => new Promise((r) => pending.push(r)),
        'Chat.Readiness': () => ({ ready: true, admin: true, steps: [step('provider', true), step('credits', true)] }),
      });
      render(Chat, { params: { rest: '' }, query: {} });
      await waitFor(() => expect(pending).toHaveLength(1)); // on mount: the pool is low
      rt.emit('balance:changed'); // a top-up: read again
      await waitFor(() => expect(pending).toHaveLength(2));
      pending[1](st(false)); // the newer answer: no longer low
      await screen.findByTestId('empty-chat');
      await new Promise((r) => setTimeout(r, 10));
      expect(screen.queryByTestId('chat-low-balance')).toBeNull();
      pending[0](st(true)); // the older answer arrives last
      await new Promise((r) => setTimeout(r, 10));
      expect(screen.queryByTestId('chat-low-balance')).toBeNull();
      // A later read that is low is still shown.
      rt.emit('balance:changed');
      await waitFor(() => expect(pending).toHaveLength(3));
      pending[2](st(true));
      expect((await screen.findByTestId('chat-low-balance')).textContent).toContain('5.00');
    });

    // The "Spending limit reached" card stayed up past the limit's reset until the page was opened again: no event
    // says a reset. The checklist is read again at the step's retryAt; the timer goes with the page.
    it('reads the checklist again when the spending limit resets, and not after the page is closed', async () => {
      vi.useFakeTimers({ shouldAdvanceTime: true });
      try {
        const resets = new Date(Date.now() + 3_600_000).toISOString();
        const limit = { ...step('limit', false), title: 'Spending limit reached', detail: 'Daily limit of 5.00 credits reached (used 5.00); it resets …', retryAt: resets };
        let reset = false;
        const readiness = vi.fn(() => reset
          ? { ready: true, admin: false, steps: [step('provider', true), step('credits', true)] }
          : { ready: false, admin: false, steps: [step('provider', true), step('credits', true), limit] });
        start(readiness);
        await screen.findByTestId('chat-step-limit');
        await vi.advanceTimersByTimeAsync(3_500_000);
        expect(readiness).toHaveBeenCalledTimes(1);
        expect(screen.getByTestId('chat-step-limit')).toBeTruthy();
        reset = true;
        await vi.advanceTimersByTimeAsync(101_001);
        await waitFor(() => expect(screen.queryByTestId('chat-step-limit')).toBeNull());
        expect(readiness).toHaveBeenCalledTimes(2);
        // Closed before the reset, the page reads nothing more then (the timer goes with it).
        cleanup();
        reset = false;
        const again = vi.fn(() => ({ ready: false, admin: false, steps: [step('provider', true), step('credits', true), limit] }));
        start(again);
        await screen.findByTestId('chat-step-limit');
        cleanup();
        await vi.advanceTimersByTimeAsync(7_200_000);
        expect(again).toHaveBeenCalledTimes(1);
      } finally {
        vi.useRealTimers();
      }
    });

    // The timer counted the time left to the reset when it was set: a computer asleep across the reset (its timers
    // do not run meanwhile) or a clock set forward kept the card up for as long again past it; and a reset more than
    // 24.8 days away (setTimeout's 2^31 ms) read the checklist early. The wall clock is what the reset is on.
    it('reads the checklist again once the wall clock passes the reset, after a sleep or a clock change too', async () => {
      vi.useFakeTimers({ shouldAdvanceTime: true });
      try {
        for (const ahead of [3_600_000, 30 * 86_400_000]) {
          const limit = { ...step('limit', false), title: 'Spending limit reached', detail: 'Monthly limit of 5.00 credits reached (used 5.00); it resets …',
            retryAt: new Date(Date.now() + ahead).toISOString() };
          let reset = false;
          const readiness = vi.fn(() => reset
            ? { ready: true, admin: false, steps: [step('provider', true), step('credits', true)] }
            : { ready: false, admin: false, steps: [step('provider', true), step('credits', true), limit] });
          start(readiness);
          await screen.findByTestId('chat-step-limit');
          // Asleep (or the clock set forward) past the reset: the timers did not run meanwhile.
          vi.setSystemTime(Date.now() + ahead + 5_000);
          reset = true;
          await vi.advanceTimersByTimeAsync(61_000);
          await waitFor(() => expect(screen.queryByTestId('chat-step-limit')).toBeNull());
          expect(readiness).toHaveBeenCalledTimes(2);
          cleanup();
        }
        // Far away (30 days), and not passed: nothing is read early.
        const limit = { ...step('limit', false), title: 'Spending limit reached', detail: '…', retryAt: new Date(Date.now() + 30 * 86_400_000).toISOString() };
        const readiness = vi.fn(() => ({ ready: false, admin: false, steps: [step('provider', true), step('credits', true), limit] }));
        start(readiness);
        await screen.findByTestId('chat-step-limit');
        await vi.advanceTimersByTimeAsync(2 ** 31 + 60_000);
        expect(readiness).toHaveBeenCalledTimes(1);
      } finally {
        vi.useRealTimers();
      }
    });

    it("links an admin's rates step to Settings → Rates", async () => {
      start(() => ({ ready: false, admin: true, heading: 'Getting started', summary: 'A few steps before the first metered reply.', steps: [step('provider', true), step('rates', false), step('credits', true)] }));
      await screen.findByTestId('chat-getting-started');
      expect(screen.getByTestId('chat-getting-started').querySelector('h2')!.textContent).toBe('Getting started');
      expect(screen.getByTestId('chat-step-rates').textContent).toContain('detail rates');
      expect(screen.getByTestId('chat-step-rates-action').getAttribute('href')).toBe('#/settings/rates');
      expect(screen.getByTestId('chat-step-rates-action').textContent).toBe('Set rates');
      expect(screen.queryByTestId('chat-start')).toBeNull();
    });

    it("opens the Rates page on the rows a rates step names, and a warning leaves the card ready", async () => {
      const rates = {
        ...step('rates', false),
        warning: true,
        title: '2 models are charged the default rate (local/gpt-4o and local/my model)',
        rows: [{ provider: 'local', model: 'gpt-4o' }, { provider: 'local', model: 'my model' }],
      };
      start(() => ({ ready: true, admin: true, heading: 'Ready to chat', summary: 'Every reply is metered and charged to your credits, and shows what it cost.', steps: [step('provider', true), rates, step('credits', true)] }));
      await waitFor(() => expect(screen.getByTestId('chat-getting-started').querySelector('h2')!.textContent).toBe('Ready to chat'));
      const li = screen.getByTestId('chat-step-rates');
      expect(li.dataset.warning).toBe('true');
      expect(li.dataset.done).toBe('false');
      expect(li.querySelector('.mark')!.textContent).toBe('!');
      expect(li.textContent).toContain('local/gpt-4o');
      const href = screen.getByTestId('chat-step-rates-action').getAttribute('href')!;
      expect(href).toBe('#/settings/rates?rows=local%2Fgpt-4o%0Alocal%2Fmy+model');
      expect(new URLSearchParams(href.split('?')[1]).get('rows')).toBe('local/gpt-4o\nlocal/my model');
      expect(screen.getByTestId('chat-start')).toBeTruthy();
    });

    it('keeps the model names a rates step names whole: no break at their hyphens, only after "/"', async () => {
      const rates = {
        ...step('rates', false),
        title: 'Set rates for local/gpt-4o and local/gpt-4o-mini',
        detail: 'No model has rates of its own yet: they cost the default 1 credit per token until you do.',
        rows: [{ provider: 'local', model: 'gpt-4o' }, { provider: 'local', model: 'gpt-4o-mini' }],
      };
      start(() => ({ ready: false, admin: true, steps: [step('provider', true), rates, step('credits', true)] }));
      await screen.findByTestId('chat-getting-started');
      const title = screen.getByTestId('chat-step-rates').querySelector('strong')!;
      expect(title.textContent).toBe('Set rates for local/gpt-4o and local/gpt-4o-mini');
      const named = [...title.querySelectorAll<HTMLElement>('[data-model-name]')];
      expect(named.map((n) => n.dataset.modelName)).toEqual(['local/gpt-4o', 'local/gpt-4o-mini']);
      for (const n of named) {
        // "local/" and the model, each unbreakable, with the only break opportunity between them.
        expect([...n.querySelectorAll('.part')].map((p) => p.textContent)).toEqual(['local/', n.dataset.modelName!.slice(6)]);
        expect(n.querySelectorAll('wbr').length).toBe(1);
      }
      // Tests load no component CSS: the rule that keeps each part on one line, read from the component.
      expect(modelTextSource).toMatch(/\.part\s*\{\s*white-space:\s*nowrap;\s*\}/);
    });

    it('offers a member no links, only who can do the step', async () => {
      start(() => ({ ready: false, admin: false, steps: [step('provider', true), step('credits', false)] }));
      await screen.findByTestId('chat-getting-started');
      expect(screen.getByTestId('chat-step-provider').dataset.done).toBe('true');
      expect(screen.getByTestId('chat-step-credits').dataset.done).toBe('false');
      expect(screen.queryByTestId('chat-step-credits-action')).toBeNull();
    });

    it('says ready and starts a chat until the first conversation; then the usual empty state', async () => {
      const ready = { ready: true, admin: true, heading: 'Ready to chat', summary: 'Every reply is metered and charged to your credits, and shows what it cost.', steps: [step('provider', true), step('credits', true), step('team', false, true)] };
      const { f } = start(() => ready);
      await waitFor(() => expect(screen.getByTestId('chat-getting-started').querySelector('h2')!.textContent).toBe('Ready to chat'));
      expect(screen.queryByTestId('chat-step-provider-action')).toBeNull();
      expect(screen.getByTestId('chat-step-team-action')).toBeTruthy();
      await fireEvent.click(screen.getByTestId('chat-start'));
      await waitFor(() => expect(f.calls.some((c) => c.method === 'StartConversation')).toBe(true));
    });

    it("says where replies are charged, in Go's words (chat.Readiness summary)", async () => {
      const summary = 'Every reply is metered and charged to the workspace pool, and shows what it cost.';
      start(() => ({ ready: true, admin: false, payerName: 'the workspace pool', heading: 'Ready to chat', summary, steps: [step('provider', true), step('credits', true)] }));
      await waitFor(() => expect(screen.getByTestId('chat-getting-started-summary').textContent).toBe(summary));
    });

    // A member who had chatted until their spending limit was used up read "Getting started: A few steps
    // before the first metered reply". The card says Go's words over the steps: what blocks now.
    it('says what blocks now to a member whose used-up spending limit is all that stands in the way', async () => {
      const limit = { ...step('limit', false), title: 'Spending limit reached', detail: 'Daily limit of 5.00 credits reached (used 5.00); it resets 2026-06-02 00:00 (UTC).' };
      start(() => ({
        ready: false, admin: false, payerName: 'your wallet', heading: 'Chat is paused',
        summary: 'Your spending limit is used up: replies can be sent again once it resets.',
        steps: [step('provider', true), step('credits', true), limit],
      }));
      await screen.findByTestId('chat-getting-started');
      expect(screen.getByTestId('chat-getting-started').querySelector('h2')!.textContent).toBe('Chat is paused');
      expect(screen.getByTestId('chat-getting-started-summary').textContent).toBe('Your spending limit is used up: replies can be sent again once it resets.');
      expect(screen.getByTestId('chat-getting-started').textContent).not.toContain('first metered reply');
      expect(screen.getByTestId('chat-step-limit').textContent).toContain('Daily limit of 5.00 credits reached');
    });

    it('does not flash "Ready to chat" before the conversation list is read', async () => {
      let answer: (v: unknown) => void = () => {};
      const { f } = start(() => ({ ready: true, admin: true, steps: [step('provider', true), step('credits', true)] }));
      f.handlers['Chat.Conversations'] = () => new Promise((r) => (answer = r));
      await waitFor(() => expect(f.calls.some((c) => c.method === 'Readiness')).toBe(true));
      await waitFor(() => expect(f.calls.some((c) => c.method === 'Conversations')).toBe(true));
      expect(screen.queryByTestId('chat-getting-started')).toBeNull();
      answer([conv]);
      await screen.findByTestId('empty-chat');
      expect(screen.queryByTestId('chat-getting-started')).toBeNull();
    });

    it('shows the usual empty state once ready with conversations, and the checklist again when it is re-read on data:changed', async () => {
      let ready = true;
      const { rt } = start(() => ({ ready, admin: true, steps: [step('provider', true), step('credits', ready)] }), [conv]);
      await screen.findByTestId('empty-chat');
      expect(screen.queryByTestId('chat-getting-started')).toBeNull();
      ready = false; // e.g. the pool was spent from the CLI
      rt.emit('data:changed');
      await screen.findByTestId('chat-getting-started');
      expect(screen.getByTestId('chat-step-credits').dataset.done).toBe('false');
    });
  });

  it('marks a model charged at the default rate in the picker', async () => {
    const { f, view } = setup(() => ({ message: null, error: null }));
    await screen.findByTestId('chat-model-select');
    view.unmount();
    f.handlers['Chat.Models'] = () => [model, { ...model, model: 'gpt-4o-mini', input: '1', output: '1', defaultRate: true }];
    render(Chat, { params: { rest: '1' }, query: {} });
    const picker = () => screen.getByTestId('chat-model-select') as HTMLSelectElement;
    await waitFor(() => expect(picker().options.length).toBe(2));
    const [priced, unpriced] = [...picker().options].map((o) => o.textContent);
    expect(priced).toContain('in 2.5 · out 10 credits / 1M tokens');
    expect(priced).not.toContain('default rate');
    expect(unpriced).toContain('in 1,000,000 · out 1,000,000 credits / 1M tokens (default rate)');
  });

  // A snapshot without a rate row of its own (gemini-2.0-flash-001) is
  // priced as its base model, and the picker says whose rate it is.
  it('says whose rate prices a dated model in the picker', async () => {
    const { f, view } = setup(() => ({ message: null, error: null }));
    await screen.findByTestId('chat-model-select');
    view.unmount();
    f.handlers['Chat.Models'] = () => [model, { ...model, model: 'gpt-4o-2024-08-06', ratedAs: 'gpt-4o' }];
    render(Chat, { params: { rest: '1' }, query: {} });
    const picker = () => screen.getByTestId('chat-model-select') as HTMLSelectElement;
    await waitFor(() => expect(picker().options.length).toBe(2));
    const [base, dated] = [...picker().options].map((o) => o.textContent);
    expect(base).not.toContain('rate of');
    expect(dated).toContain('in 2.5 · out 10 credits / 1M tokens (rate of gpt-4o)');
  });

  it('says when the list holds only the most recent conversations', async () => {
    const { f } = setup(() => ({ message: null, error: null }));
    expect((await screen.findAllByTestId('chat-list-item')).length).toBe(1);
    expect(screen.queryByTestId('chat-list-more')).toBeNull();
    const many = (n: number) => () => Array.from({ length: n }, (_, i) => ({ ...conv, id: i + 1, title: `Chat ${i + 1}` }));
    f.handlers['Chat.Conversations'] = many(200); // exactly the list's length: nothing older
    await fireEvent.input(screen.getByTestId('chat-search'), { target: { value: 'chat' } });
    await waitFor(() => expect(screen.getAllByTestId('chat-list-item').length).toBe(200));
    expect(screen.queryByTestId('chat-list-more')).toBeNull();
    f.handlers['Chat.Conversations'] = many(201); // one more: there are older ones
    await fireEvent.input(screen.getByTestId('chat-search'), { target: { value: 'chats' } });
    expect((await screen.findByTestId('chat-list-more')).textContent).toContain('200 most recent matches');
    expect(screen.getAllByTestId('chat-list-item').length).toBe(200);
  });

  it('shows the answer to the latest search, not one that arrived after it', async () => {
    const { f } = setup(() => ({ message: null, error: null }));
    await screen.findAllByTestId('chat-list-item');
    const titled = (title: string) => [{ ...conv, id: title.length, title }];
    // Bound calls run concurrently: "budgetx" answers after "budget".
    f.handlers['Chat.Conversations'] = (q: string) =>
      q === 'budgetx' ? new Promise((r) => setTimeout(() => r(titled('Result of budgetx')), 400)) : titled(`Result of ${q}`);
    const search = screen.getByTestId('chat-search');
    await fireEvent.input(search, { target: { value: 'budgetx' } });
    await waitFor(() => expect(f.calls.some((c) => c.method === 'Conversations' && c.args[0] === 'budgetx')).toBe(true));
    await fireEvent.input(search, { target: { value: 'budget' } }); // Backspace
    await waitFor(() => expect(screen.getByTestId('chat-list').textContent).toContain('Result of budget'));
    await new Promise((r) => setTimeout(r, 500)); // budgetx's answer has come by now
    const titles = screen.getAllByTestId('chat-list-item').map((e) => e.textContent);
    expect(titles).toHaveLength(1);
    expect(titles[0]).toContain('Result of budget');
    expect(titles[0]).not.toContain('budgetx');
  });

  it('deletes a conversation only after the in-app confirmation', async () => {
    const { f } = setup(() => ({ message: null, error: null }));
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('chat-delete'));
    expect((await screen.findByTestId('dialog-title')).textContent).toBe('Delete "New chat"?');
    await fireEvent.click(screen.getByTestId('dialog-cancel'));
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
    expect(f.calls.some((c) => c.method === 'DeleteConversation')).toBe(false);
    await fireEvent.click(screen.getByTestId('chat-delete'));
    await fireEvent.click(await screen.findByTestId('dialog-ok'));
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'DeleteConversation').map((c) => c.args)).toEqual([[1]]));
  });

  it('renames a conversation through the dialog; the list follows', async () => {
    const { f } = setup(() => ({ message: null, error: null }), [], (_id, input) => ({ ...conv, title: input.title ?? conv.title }));
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('chat-rename'));
    const input = (await screen.findByTestId('dialog-input')) as HTMLInputElement;
    expect(input.value).toBe('New chat');
    // Blank or too long: the dialog stays open with the text and says why.
    await fireEvent.input(input, { target: { value: '   ' } });
    expect(screen.getByTestId('dialog-invalid').textContent).toBe('Enter a title.');
    await fireEvent.input(input, { target: { value: 'x'.repeat(2000) } });
    expect(screen.getByTestId('dialog-invalid').textContent).toContain('At most 200 characters (2000 now)');
    await fireEvent.submit(screen.getByTestId('dialog-form'));
    expect((screen.getByTestId('dialog-input') as HTMLInputElement).value).toHaveLength(2000);
    await fireEvent.click(screen.getByTestId('dialog-cancel'));
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
    expect(f.calls.some((c) => c.method === 'UpdateConversation')).toBe(false);
    const lists = f.calls.filter((c) => c.method === 'Conversations').length;
    await fireEvent.click(screen.getByTestId('chat-rename'));
    await fireEvent.input(await screen.findByTestId('dialog-input'), { target: { value: 'Trip plans' } });
    await fireEvent.click(screen.getByTestId('dialog-ok'));
    await waitFor(() => expect(screen.getByTestId('chat-title').textContent).toBe('Trip plans'));
    expect(f.calls.filter((c) => c.method === 'UpdateConversation').map((c) => c.args)).toEqual([[1, { title: 'Trip plans' }]]);
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'Conversations').length).toBeGreaterThan(lists));
  });

  it('exports the conversation as Markdown through the save dialog', async () => {
    const { f } = setup(() => ({ message: null, error: null }));
    await fireEvent.click(await screen.findByTestId('chat-export'));
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'ExportToFile').map((c) => c.args)).toEqual([[1]]));
  });

  it('reads and describes model settings', () => {
    const r = 'default' as const;
    expect(parseSettings({ temperature: ' 0.7 ', topP: '', maxOutput: '1024', reasoning: r })).toEqual({ settings: { temperature: 0.7, topP: null, maxOutput: 1024, reasoning: r, history: null } });
    expect(parseSettings({ temperature: '0', topP: '1.', maxOutput: '', reasoning: 'low', history: ' 3 ' })).toEqual({ settings: { temperature: 0, topP: 1, maxOutput: 0, reasoning: 'low', history: 3 } });
    expect(parseSettings({ temperature: '-1', topP: '', maxOutput: '', reasoning: r, history: 'All' })).toEqual({ settings: { temperature: -1, topP: null, maxOutput: 0, reasoning: r, history: null } }); // range: the backend's
    expect(parseSettings({ temperature: '', topP: '', maxOutput: '', reasoning: r, history: '0' })).toEqual({ settings: { temperature: null, topP: null, maxOutput: 0, reasoning: r, history: 0 } });
    for (const history of ['-1', '1001', '2.5', '1e2', 'some', '+3', '99999']) {
      expect(parseSettings({ temperature: '', topP: '', maxOutput: '', reasoning: r, history }), history)
        .toEqual({ error: 'History must be a whole number of exchanges from 0 to 1000 (or empty for all)', field: 'history' });
    }
    for (const [bad, field] of [[{ temperature: '1e3', topP: '', maxOutput: '', reasoning: r }, 'temperature'], [{ temperature: '', topP: '0,5', maxOutput: '', reasoning: r }, 'topP'],
      [{ temperature: '', topP: '', maxOutput: '1.5', reasoning: r }, 'maxOutput'], [{ temperature: '', topP: '', maxOutput: '-2', reasoning: r }, 'maxOutput']] as const) {
      expect(parseSettings(bad)).toHaveProperty('field', field);
    }
    // Max output takes thousands grouped by commas, as the window and the backend write them (an output-ceiling
    // refusal says "lower Max output tokens to 15,616 or less"); a comma elsewhere is refused, not dropped.
    for (const [typed, want] of [['15,616', 15616], [' 1,048,576 ', 1048576], ['4096', 4096], ['999', 999], ['1,000', 1000]] as const) {
      expect(parseSettings({ temperature: '', topP: '', maxOutput: typed, reasoning: r }), typed).toEqual({ settings: { temperature: null, topP: null, maxOutput: want, reasoning: r, history: null } });
    }
    for (const typed of ['15,61', '1,5', ',616', '15,616,', '15616,000', '1,0000', '15 616', '15.616', '+5', '1,000.5']) {
      expect(parseSettings({ temperature: '', topP: '', maxOutput: typed, reasoning: r }), typed)
        .toEqual({ error: 'Max output must be a whole number of tokens, e.g. 4096 or 4,096 (or empty for the default)', field: 'maxOutput' });
    }
    expect(settingsForm({ temperature: 0, topP: null, maxOutput: 0, reasoning: 'high' })).toEqual({ temperature: '0', topP: '', maxOutput: '', reasoning: 'high', history: '' });
    expect(settingsForm({ temperature: null, topP: null, maxOutput: 0, reasoning: 'high', history: 0 }).history).toBe('0');
    expect(settingsForm(undefined)).toEqual({ temperature: '', topP: '', maxOutput: '', reasoning: 'default', history: '' });
    expect(describeSettings({ temperature: null, topP: null, maxOutput: 0, reasoning: r, history: 1 })).toBe('History last 1 exchange');
    expect(describeSettings({ temperature: null, topP: null, maxOutput: 0, reasoning: r, history: 0 })).toBe('History none (only the new message)');
    expect(describeSettings({ temperature: null, topP: null, maxOutput: 0, reasoning: r, history: null })).toBe('');
    expect(describeSettings({ temperature: null, topP: 0.9, maxOutput: 16384, reasoning: r })).toBe('Top P 0.9 · Max output 16,384 tokens');
    expect(describeSettings({ temperature: null, topP: null, maxOutput: 0, reasoning: r })).toBe('');
    expect(describeSettings({ temperature: 0.2, topP: null, maxOutput: 0, reasoning: 'off' })).toBe('Temperature 0.2 · Reasoning off');
    // What a level does: per model, from the backend's ReasoningSupport.
    const o3 = { control: 'effort' as const, off: false, low: 0, medium: 0, high: 0, fixedSampling: false };
    const flash = { control: 'budget' as const, thinkingCharged: chargedWords.thinkingChargedAsReasoning, off: true, low: 1024, medium: 8192, high: 24576, fixedSampling: false };
    const pro = { ...flash, off: false };
    // gpt-5.1 takes reasoning_effort "none" (its default): Off sends it, and it does not think.
    const gpt51 = { ...o3, off: true, offEffort: 'none' };
    // Claude Opus 4.7: adaptive thinking, an effort within Max output tokens;
    // Off sends nothing (Claude thinks only when asked), no effort "none".
    const opus47 = { ...o3, off: true, fixedSampling: true };
    expect(reasoningHint('off', 'gpt-5.1', gpt51)).toBe('Reasoning effort none: gpt-5.1 does not think');
    expect(reasoningHint('high', 'claude-opus-4-7', opus47)).toBe('Reasoning effort high; the reasoning counts within Max output tokens');
    expect(reasoningHint('off', 'claude-opus-4-7', opus47)).toBe('claude-opus-4-7 does not think');
    expect(reasoningHint('medium', 'o3-mini', o3)).toBe('Reasoning effort medium; the reasoning counts within Max output tokens');
    expect(reasoningHint('off', 'o3-mini', o3)).toBe('o3-mini always reasons: Off sends nothing');
    // Gemini's thoughts are charged at the reasoning rate, Claude's thinking as output (the backend's words): it said "as output" for both.
    expect(reasoningHint('low', 'gemini-2.5-flash', flash)).toBe('Up to 1,024 thinking tokens, held and charged at the reasoning rate on top of Max output tokens');
    expect(reasoningHint('low', 'claude-sonnet-4-5', claude.reasoningSupport)).toBe('Up to 1,024 thinking tokens, held and charged as output on top of Max output tokens');
    expect(reasoningHint('off', 'gemini-2.5-flash', flash)).toBe('gemini-2.5-flash does not think');
    expect(reasoningHint('off', 'gemini-2.5-pro', pro)).toBe('gemini-2.5-pro always reasons: Off sends nothing');
    expect(reasoningHint('high', 'deepseek-reasoner', null)).toBe('Does not apply to deepseek-reasoner: nothing is sent for it');
    expect(reasoningHint('high', '', undefined)).toBe('How much a reasoning model thinks; Default sends nothing');
    // The warning under the picker: the backend's refusal (chat.ThinkingSamplingError), word for word.
    const form = (temperature: string, topP: string, reasoning: 'default' | 'off' | 'low' | 'medium' | 'high') => ({ temperature, topP, maxOutput: '', reasoning });
    const mythos = { ...opus47, off: false };
    for (const [f, m, support, want] of [
      [form('0.5', '', 'high'), 'claude-sonnet-4-5', claude.reasoningSupport,
        'claude-sonnet-4-5 takes no temperature other than 1 while it thinks (Reasoning high): clear Temperature in Model settings, or set Reasoning to Default or Off'],
      [form('0', '0.5', 'low'), 'claude-opus-4-7', opus47,
        'claude-opus-4-7 takes no temperature other than 1 while it thinks (Reasoning low): clear Temperature in Model settings, or set Reasoning to Default or Off'],
      [form('', '0.9', 'medium'), 'claude-opus-4-7', opus47,
        'claude-opus-4-7 takes a top P only from 0.95 to 1 while it thinks (Reasoning medium): clear Top P in Model settings, or set Reasoning to Default or Off'],
      [form('0.5', '', 'medium'), 'claude-mythos-preview', mythos,
        'claude-mythos-preview takes no temperature other than 1 while it thinks (Reasoning medium): clear Temperature in Model settings'],
      [form('0.5', '', 'default'), 'claude-mythos-preview', mythos,
        'claude-mythos-preview takes no temperature other than 1 while it thinks (Reasoning default): clear Temperature in Model settings'],
      [form('1', '0.95', 'high'), 'claude-sonnet-4-5', claude.reasoningSupport, ''],
      [form(' 1.0 ', '1', 'high'), 'claude-sonnet-4-5', claude.reasoningSupport, ''],
      [form('0.5', '0.5', 'default'), 'claude-sonnet-4-5', claude.reasoningSupport, ''],
      [form('0.5', '0.5', 'off'), 'claude-sonnet-4-5', claude.reasoningSupport, ''],
      [form('warm', '', 'high'), 'claude-sonnet-4-5', claude.reasoningSupport, ''],
      [form('0.5', '0.5', 'high'), 'o3-mini', o3, ''],
      [form('0.5', '0.5', 'high'), 'gpt-4o', null, ''],
      [form('0.5', '0.5', 'high'), '', claude.reasoningSupport, ''],
    ] as const) {
      expect(thinkingSamplingWarning(f, m, support)).toBe(want);
    }
    // Opus 4.7 and later refuse a sampling of their own at any level (backend ThinkingSamplingError, Always).
    const opus47Now = { ...opus47, noSampling: true };
    for (const [f, want] of [
      [form('0.5', '', 'off'), 'claude-opus-4-7 takes no temperature other than 1, at any Reasoning level: clear Temperature in Model settings'],
      [form('', '0.95', 'default'), 'claude-opus-4-7 takes no top P other than 1, at any Reasoning level: clear Top P in Model settings'],
      [form('1', '1', 'high'), ''],
    ] as const) {
      expect(thinkingSamplingWarning(f, 'claude-opus-4-7', opus47Now)).toBe(want);
    }
    // A level the model does not take (backend ReasoningLevelError), word for word; the hint says so too.
    const gpt5pro = { ...o3, takes: ['high' as const] };
    const gemini3pro = { ...pro, takes: ['low' as const, 'high' as const], thinkingLevel: true };
    expect(reasoningLevelWarning(form('', '', 'low'), 'gpt-5-pro', gpt5pro)).toBe('gpt-5-pro takes Reasoning high, not low: set Reasoning to High or Default in Model settings');
    expect(reasoningLevelWarning(form('', '', 'medium'), 'gemini-3-pro-preview', gemini3pro))
      .toBe('gemini-3-pro-preview takes Reasoning low or high, not medium: set Reasoning to Low, High or Default in Model settings');
    expect(reasoningLevelWarning(form('', '', 'high'), 'gpt-5-pro', gpt5pro)).toBe('');
    expect(reasoningLevelWarning(form('', '', 'off'), 'gpt-5-pro', gpt5pro)).toBe('');
    expect(reasoningLevelWarning(form('', '', 'low'), 'o3-mini', o3)).toBe('');
    expect(reasoningHint('medium', 'gpt-5-pro', gpt5pro)).toBe('gpt-5-pro takes Reasoning high only');
    expect(reasoningHint('high', 'gemini-3-pro-preview', gemini3pro))
      .toBe('Thinking level high; 24,576 tokens for its thinking, held and charged at the reasoning rate on top of Max output tokens');
    // An output budget above the model's ceiling (backend OutputCeilingError), word for word.
    const opus41 = claude.reasoningSupport;
    expect(outputCeilingWarning({ ...form('', '', 'high'), maxOutput: '30000' }, 'claude-opus-4-1', opus41, 32000, 4096))
      .toBe('claude-opus-4-1 writes at most 32,000 output tokens: Max output 30,000 plus the 16,384 thinking tokens of Reasoning high is 46,384: ' +
        'lower Max output tokens to 15,616 or less, or the Reasoning level');
    expect(outputCeilingWarning({ ...form('', '', 'default'), maxOutput: '100000' }, 'claude-sonnet-4-5', opus41, 64000, 4096))
      .toBe('claude-sonnet-4-5 writes at most 64,000 output tokens: lower Max output tokens to 64,000 or less');
    expect(outputCeilingWarning({ ...form('', '', 'high'), maxOutput: '15616' }, 'claude-opus-4-1', opus41, 32000, 4096)).toBe('');
    // The value it suggests, typed as it reads ("15,616", grouped), is taken and clears the warning.
    for (const [maxOutput, reasoning, model, ceiling] of [['30000', 'high', 'claude-opus-4-1', 32000], ['100000', 'default', 'claude-sonnet-4-5', 64000]] as const) {
      const warned = outputCeilingWarning({ ...form('', '', reasoning), maxOutput }, model, opus41, ceiling, 4096);
      const suggested = /lower Max output tokens to ([0-9,]+) or less/.exec(warned)![1];
      expect(suggested).toContain(',');
      const typed = { ...form('', '', reasoning), maxOutput: suggested };
      expect(parseSettings(typed)).not.toHaveProperty('error');
      expect(outputCeilingWarning(typed, model, opus41, ceiling, 4096)).toBe('');
    }
    expect(outputCeilingWarning(form('', '', 'high'), 'claude-opus-4-1', opus41, 32000, 4096)).toBe('');
    expect(outputCeilingWarning({ ...form('', '', 'high'), maxOutput: '30000' }, 'claude-opus-4-1', opus41, undefined, 4096)).toBe('');
    // The field a backend refusal is about is the one it names (app.RefusalError's field), never read from its words.
    const refused = (reason: string, field?: string) => BackendError.from('Chat.UpdateConversation', refusal(`invalid chat request: ${reason}`, reason, field));
    expect(settingsField(refused('reasoning must be default, off, low, medium or high', 'reasoning'))).toBe('reasoning');
    expect(settingsField(refused('top_p must be a number from 0 to 1', 'topP'))).toBe('topP');
    expect(settingsField(refused('max output must be from 0 (the model\'s default) to 1048576 tokens', 'maxOutput'))).toBe('maxOutput');
    expect(settingsField(refused('history must be all or from 0 to 1000 exchanges (not -2)', 'history'))).toBe('history');
    // Words that name a setting mark nothing without the field; a field the form has not is none of its own.
    expect([settingsField(refused('temperature must be a number from 0 to 2')), settingsField(refused('the title: not plain text', 'title')),
      settingsField(new Error('temperature')), settingsField('reasoning')]).toEqual(['', '', '', '']);
  });

  it('words how a reply ended for screen readers', () => {
    const m = { id: 2, uid: 'r', conversationId: 1, role: 'assistant', content: 'x', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '',
      finishReason: 'stop', outputBudget: 4096, note: '' } as const;
    expect(replyAnnouncement({ ...m, status: 'done', charge: charge as never })).toBe('Reply finished · 0.034 credits');
    expect(replyAnnouncement({ ...m, status: 'stopped', charge: charge as never })).toBe('Reply stopped · 0.034 credits');
    expect(replyAnnouncement({ ...m, status: 'interrupted', error: 'connection reset' })).toBe('Reply interrupted: connection reset');
    expect(replyAnnouncement({ ...m, status: 'streaming' })).toBe('');
    // A free reply (Go's charge.free: its cost line ends "free"): "free", not "0.00 credits".
    const free = { ...charge, amount: '0', free: true, summary: 'llama3 · input 8 tokens · output 2 tokens · free' };
    expect(replyAnnouncement({ ...m, status: 'done', charge: free as never })).toBe('Reply finished · free');
    expect(replyAnnouncement({ ...m, status: 'stopped', charge: free as never })).toBe('Reply stopped · free');
    expect(replyAnnouncement({ ...m, content: '', status: 'done', charge: charge as never, finishReason: 'length', outputBudget: 16384,
      note: 'The model used its whole output budget (16,384 tokens) thinking and wrote no answer; raise Max output tokens in Model settings.' }))
      .toBe('Reply finished · 0.034 credits. The model used its whole output budget (16,384 tokens) thinking and wrote no answer; raise Max output tokens in Model settings.');
    expect(replyAnnouncement(null)).toBe('');
  });

  it('formats rates and errors', () => {
    expect(perMillion('0.0000025')).toBe('2.5');
    expect(perMillion('0.002')).toBe('2,000');
    expect(perMillion('0.5')).toBe('500,000');
    expect(perMillion('1')).toBe('1,000,000');
    expect(perMillion('1234.0000005')).toBe('1,234,000,000.5');
    expect(perMillion('0.000999')).toBe('999');
    expect(perMillion('0')).toBe('0');
    // The snippet is already the shown text (backend/mdtext): one line, nothing read as Markdown again.
    expect(snippetLine('Here:\nfmt.Println("hi")\n\none\ttwo  ')).toBe('Here: fmt.Println("hi") one two');
    expect(snippetLine('Tell me about **stars**, 2 * 3 and <b>')).toBe('Tell me about **stars**, 2 * 3 and <b>');
    expect(snippetLine(undefined)).toBe('');
    expect(describeError({ code: 'offline', message: 'x', topUp: false, undone: 'draft' })).toContain('kept as a draft');
    expect(describeError({ code: 'context_too_long', message: 'This conversation is too long for gpt-4o. Lower History in Model settings, or start a new chat.', topUp: false, undone: 'draft' }))
      .toBe('This conversation is too long for gpt-4o. Lower History in Model settings, or start a new chat. Your message is kept as a draft. Nothing was charged.');
    // A local server that is down is told to be started, with its address: the field the backend
    // sets for an admin (ErrorInfo.address), never a part of the message read back.
    expect(describeError({
      code: 'offline', topUp: false, undone: 'draft', localDown: true, address: 'localhost:11434',
      message: 'offline: the provider cannot be reached: nothing is answering at localhost:11434 (is the local server running?)',
    })).toBe('The local server at localhost:11434 is not answering: is it running? Your message is kept as a draft; start the server and send it again. Nothing was charged.');
    expect(describeError({
      code: 'offline', topUp: false, undone: 'draft', localDown: true,
      message: 'offline: the provider cannot be reached: nothing is answering at localhost:11434 (is the local server running?)',
    })).toBe('The local server is not answering: is it running? Your message is kept as a draft; start the server and send it again. Nothing was charged.');
    // A remote provider's reason is shown (an untrusted certificate is not "no network").
    expect(describeError({
      code: 'offline', topUp: false, undone: 'draft',
      message: "offline: the provider cannot be reached: the provider's certificate is not trusted (x509: unknown authority)",
    })).toBe("Offline: the provider cannot be reached (the provider's certificate is not trusted (x509: unknown authority)). Your message is kept as a draft; send it again when you are back online. Nothing was charged.");
    // An admin's send through a proxy that refused (backend throughProxy): check the proxy, not "back online".
    expect(describeError({
      code: 'offline', topUp: false, undone: 'draft',
      message: 'offline: the provider cannot be reached: cannot connect to api.openai.com through the proxy this computer is set to use (HTTPS_PROXY or HTTP_PROXY): proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused',
    })).toBe('Offline: the provider cannot be reached (cannot connect to api.openai.com through the proxy this computer is set to use (HTTPS_PROXY or HTTP_PROXY): proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused). Your message is kept as a draft; check the proxy, then send it again. Nothing was charged.');
    // A member's offline send names the provider, not its address, in the backend's own sentence
    // (backend/providers memberwords.go, TestForMemberOfflineSaysWhoCanAct): their own network
    // first when it may be that, an admin when the server does not answer; nothing about being
    // back online or starting the server.
    for (const why of ['its address could not be found by DNS', 'the connection timed out', 'the network has no way to it']) {
      expect(describeError({
        code: 'offline', topUp: false, undone: 'draft',
        message: `offline: the provider cannot be reached: cannot reach the provider Lab (${why}); check your network connection; if it keeps happening, an admin can check the provider's settings`,
      })).toBe(`Cannot reach the provider Lab (${why}); check your network connection; if it keeps happening, an admin can check the provider's settings. Your message is kept as a draft. Nothing was charged.`);
    }
    // A proxy on the way (TestMemberReadsNoProxyAddress): the admin's to fix, no address of it.
    expect(describeError({
      code: 'offline', topUp: false, undone: 'draft',
      message: 'offline: the provider cannot be reached: cannot reach the provider Lab (the network path to it failed); ask your admin',
    })).toBe('Cannot reach the provider Lab (the network path to it failed); ask your admin. Your message is kept as a draft. Nothing was charged.');
    expect(describeError({
      code: 'offline', topUp: false, undone: 'draft', localDown: true,
      message: 'chat: offline: the provider cannot be reached: cannot reach the provider Lab (nothing answers at its address); an admin can check its settings',
    })).toBe('Cannot reach the provider Lab (nothing answers at its address); an admin can check its settings. Your message is kept as a draft. Nothing was charged.');
    // Where the text is, one rule for every error that stored nothing (keptWords): the composer's draft, an
    // edit's editor, nothing for a regenerate or when the window cannot tell (never "kept as a draft" of an edit).
    const local = { code: 'offline' as const, topUp: false, localDown: true, address: 'localhost:11434', message: 'offline: the provider cannot be reached: nothing is answering at localhost:11434' };
    const away = { code: 'offline' as const, topUp: false, message: 'offline: the provider cannot be reached: no route to host' };
    const lab = { code: 'offline' as const, topUp: false, message: 'offline: the provider cannot be reached: cannot reach the provider Lab (the connection timed out); check your network connection' };
    const long = { code: 'context_too_long' as const, topUp: false, message: 'This conversation is too long for gpt-4o. Lower History in Model settings, or start a new chat.' };
    for (const [e, kept, want] of [
      [local, 'edit', 'The local server at localhost:11434 is not answering: is it running? Your edit is kept in the editor; start the server and send it again. Nothing was charged.'],
      [local, 'none', 'The local server at localhost:11434 is not answering: is it running? Start the server and try again. Nothing was charged.'],
      [away, 'edit', 'Offline: the provider cannot be reached (no route to host). Your edit is kept in the editor; send it again when you are back online. Nothing was charged.'],
      [away, 'none', 'Offline: the provider cannot be reached (no route to host). Try again when you are back online. Nothing was charged.'],
      [away, undefined, 'Offline: the provider cannot be reached (no route to host). Try again when you are back online. Nothing was charged.'],
      [lab, 'edit', 'Cannot reach the provider Lab (the connection timed out); check your network connection. Your edit is kept in the editor. Nothing was charged.'],
      [lab, 'none', 'Cannot reach the provider Lab (the connection timed out); check your network connection. Nothing was charged.'],
      [long, 'draft', `${long.message} Your message is kept as a draft. Nothing was charged.`],
      [long, 'edit', `${long.message} Your edit is kept in the editor. Nothing was charged.`],
      [long, 'none', `${long.message} Nothing was charged.`],
    ] as const) {
      expect(describeError(kept ? undone(e, kept) : e), `${e.code} ${kept}`).toBe(want);
    }
    expect(describeError({
      code: 'insufficient_credits', topUp: true,
      message: 'not enough credits: this message to gpt-4o may cost up to 40.99 credits but your wallet has 0.5 available; top up credits to send it (nothing was sent or charged): hold hold:02e0: insufficient funds: user:2 is short by 40.49 credits',
    })).toBe('Not enough credits. This message to gpt-4o may cost up to 40.99 credits but your wallet has 0.5 available; top up credits to send it (nothing was sent or charged).');
    expect(describeError({ code: 'insufficient_credits', message: 'balance too low', topUp: true })).toBe('Not enough credits. Balance too low.');
    expect(describeError({ code: 'rate_limited', message: 'x', topUp: false, retryAfterSec: 7 })).toContain('7 s');
  });
});

describe('Chat page: the focus stays when the control that had it goes', () => {
  const focused = () => document.activeElement as HTMLElement | null;

  it('model settings: the first field when they open; back to their button on Escape, Cancel or Save', async () => {
    setup(() => null, [], (_id, input) => ({ ...conv, settings: input.settings }));
    await fireEvent.click(await screen.findByTestId('chat-settings-edit'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-settings-temperature')));
    await fireEvent.keyDown(screen.getByTestId('chat-settings-temperature'), { key: 'Escape' });
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-settings-edit')));
    await fireEvent.click(screen.getByTestId('chat-settings-edit'));
    await fireEvent.click(await screen.findByTestId('chat-settings-cancel'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-settings-edit')));
    await fireEvent.click(screen.getByTestId('chat-settings-edit'));
    await fireEvent.input(await screen.findByTestId('chat-settings-temperature'), { target: { value: '0.5' } });
    await fireEvent.click(screen.getByTestId('chat-settings-save'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-settings-edit')));
    expect(focused()!.textContent).toContain('Temperature 0.5');
  });

  it('system prompt: the editor takes the focus; Save and Escape (which keeps the old prompt) give it back to its button', async () => {
    const { f } = setup(() => null, [], (_id, input) => ({ ...conv, systemPrompt: input.systemPrompt ?? '' }));
    await fireEvent.click(await screen.findByTestId('chat-system-edit'));
    const editor = screen.getByTestId('chat-system-input') as HTMLTextAreaElement;
    await waitFor(() => expect(focused()).toBe(editor));
    await fireEvent.input(editor, { target: { value: 'Be brief' } });
    await fireEvent.keyDown(editor, { key: 'Escape' });
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-system-edit')));
    expect(f.calls.some((c) => c.method === 'UpdateConversation')).toBe(false);
    await fireEvent.click(screen.getByTestId('chat-system-edit'));
    expect((screen.getByTestId('chat-system-input') as HTMLTextAreaElement).value).toBe(''); // Escape did not keep it
    await fireEvent.input(screen.getByTestId('chat-system-input'), { target: { value: 'Be brief' } });
    await fireEvent.click(screen.getByTestId('chat-system-save'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-system-edit')));
    await waitFor(() => expect(focused()!.textContent).toContain('System: Be brief'));
  });

  it('composer: Send gives way to Stop and Stop to Send, the focus stays in the message box', async () => {
    let resolveSend: (v: unknown) => void = () => {};
    const { f } = setup(() => new Promise((r) => (resolveSend = r)));
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Hi' } });
    screen.getByTestId('chat-send').focus();
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(f.calls.some((c) => c.method === 'StartSend')).toBe(true));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-input')));
    screen.getByTestId('chat-stop').focus(); // Tab to Stop and press it
    await fireEvent.click(screen.getByTestId('chat-stop'));
    resolveSend({ message: null, error: { code: 'stopped', message: 'stopped before any output', topUp: false } });
    await waitFor(() => expect(screen.queryByTestId('chat-stop')).toBeNull());
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-input')));
  });

  it('Regenerate goes while the reply is rewritten: the focus goes to the message box', async () => {
    const stored: any[] = [
      { id: 1, uid: 'u1', conversationId: 1, role: 'user', content: 'Hi', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '' },
      { id: 2, uid: 'r1', conversationId: 1, role: 'assistant', content: 'Hello', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '', charge },
    ];
    const { f } = setup(() => new Promise(() => {}), stored);
    const regenerate = await screen.findByTestId('chat-regenerate');
    regenerate.focus();
    await fireEvent.click(regenerate);
    await waitFor(() => expect(f.calls.some((c) => c.method === 'StartSend')).toBe(true));
    expect(screen.queryByTestId('chat-regenerate')).toBeNull();
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-input')));
  });

  it('a deleted conversation: the focus goes to the one now in its place, and to New chat when none is left', async () => {
    const { f } = setup(() => null);
    let list = [conv, { ...conv, id: 2, title: 'Second' }];
    f.handlers['Chat.Conversations'] = () => list;
    f.handlers['Chat.DeleteConversation'] = (id: number) => {
      list = list.filter((c) => c.id !== id);
      return id;
    };
    render(Dialog);
    await waitFor(() => expect(screen.getAllByTestId('chat-list-item')).toHaveLength(2));
    expect(screen.getAllByTestId('chat-list-item').map((b) => b.getAttribute('aria-current'))).toEqual(['true', null]);
    screen.getAllByTestId('chat-delete')[0].focus();
    await fireEvent.click(screen.getAllByTestId('chat-delete')[0]);
    await fireEvent.click(await screen.findByTestId('dialog-ok'));
    await waitFor(() => expect(screen.getAllByTestId('chat-list-item')).toHaveLength(1));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-list-item')));
    expect(focused()!.textContent).toContain('Second');
    screen.getByTestId('chat-delete').focus();
    await fireEvent.click(screen.getByTestId('chat-delete'));
    await fireEvent.click(await screen.findByTestId('dialog-ok'));
    await waitFor(() => expect(screen.queryAllByTestId('chat-list-item')).toHaveLength(0));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-new')));
  });
});

describe('Chat page: the focus after New chat', () => {
  const second = { ...conv, id: 2, title: 'Earlier' };
  const focused = () => document.activeElement as HTMLElement | null;
  function open(rest: string, readiness?: unknown, list: unknown[] = [conv, second]) {
    installFakeRuntime();
    installFakeBridge({
      'Chat.Conversations': () => list,
      'Chat.Conversation': (id: number) => (id === 2 ? second : conv),
      ...fakeMessages(() => []),
      'Chat.Models': () => [model],
      'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '500', threshold: '100', low: false }),
      'Chat.Readiness': () => readiness ?? { ready: true, admin: true, steps: [] },
      'Chat.StartConversation': () => conv,
      'Chat.EstimateDraft': () => ({ estimate: { low: '0', high: '1' }, warnings: [], blocked: false }),
      'Chat.SaveDraft': () => true,
    });
    return render(Chat, { params: { rest }, query: {} });
  }
  /** Follows the hash the page set, as the router does. */
  const follow = (view: { rerender: (p: object) => Promise<void> }) =>
    view.rerender({ params: { rest: window.location.hash.replace('#/chat/', '') }, query: {} });

  it.each([
    { how: 'New chat, another conversation open', from: '2', button: 'chat-new' },
    { how: 'New chat, no conversation open', from: '', button: 'chat-new' },
    { how: 'New chat, the blank one already open', from: '1', button: 'chat-new' },
  ])('$how: the new conversation\'s message box takes the focus', async ({ from, button }) => {
    window.location.hash = from ? `#/chat/${from}` : '#/chat';
    const view = open(from);
    if (from) await screen.findByTestId('chat-input');
    const b = await screen.findByTestId(button);
    b.focus();
    await fireEvent.click(b);
    await waitFor(() => expect(window.location.hash).toBe('#/chat/1'));
    await follow(view);
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-input')));
  });

  it('"Start a chat" on the checklist (which goes as the chat opens): the message box, not <body>', async () => {
    window.location.hash = '#/chat';
    const view = open('', { ready: true, admin: true, steps: [{ id: 'provider', done: true, optional: false, title: 't', detail: 'd' }] }, []);
    const start = await screen.findByTestId('chat-start');
    start.focus();
    await fireEvent.click(start);
    await waitFor(() => expect(window.location.hash).toBe('#/chat/1'));
    await follow(view);
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('chat-input')));
  });

  it('a conversation chosen in the list keeps the focus in the list (only New chat moves it)', async () => {
    window.location.hash = '#/chat/1';
    const view = open('1');
    await screen.findByTestId('chat-input');
    const item = (await screen.findAllByTestId('chat-list-item'))[1];
    item.focus();
    await fireEvent.click(item);
    await follow(view);
    await waitFor(() => expect(screen.getByTestId('chat-title').textContent).toBe('Earlier'));
    await new Promise((r) => setTimeout(r, 20));
    expect(focused()).toBe(item);
  });
});

describe('Chat page: a reply still being written', () => {
  const user = (uid: string, content: string) => ({ id: 1, uid, conversationId: 1, role: 'user', content, status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '' });
  const reply = (uid: string, content: string, status: string, extra: object = {}) => ({ id: 2, uid, conversationId: 1, role: 'assistant', content, status, provider: 'fake', model: 'gpt-4o', error: '', createdAt: '', ...extra });
  const open = (view: { rerender: (p: object) => Promise<void> }, id: number) => view.rerender({ params: { rest: String(id) }, query: {} });

  it('is adopted when its conversation is opened again: Stop, the text so far and the rest; the stored reply when it is done', async () => {
    let resolveSend: (v: unknown) => void = () => {};
    const stored: any[] = [];
    const { rt, f, view } = setup(() => new Promise((r) => (resolveSend = r)), stored);
    Object.assign(f.handlers, fakeMessages((id) => (id === 1 ? stored : [])));
    f.handlers['Chat.Conversation'] = (id: number) => ({ ...conv, id, title: id === 1 ? storedTitle : 'Other' });
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Hi' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(f.calls.some((c) => c.method === 'StartSend')).toBe(true));
    const { messageId } = f.calls.find((c) => c.method === 'StartSend')!.args[0] as { messageId: string };
    rt.emit('chat:delta', { conversationId: 1, messageId, text: 'Hello' });
    // The backend has stored the turn; the reply's text is written when it ends.
    stored.push(user(`${messageId}:user`, 'Hi'), reply(messageId, '', 'streaming'));

    await open(view, 2);
    await waitFor(() => expect(screen.getByTestId('chat-title').textContent).toBe('Other'));
    rt.emit('chat:delta', { conversationId: 1, messageId, text: ' world' });
    await open(view, 1);
    await waitFor(() => expect(screen.getByTestId('chat-markdown').textContent!.trim()).toBe('Hello world'));
    expect(screen.getByTestId('chat-stop')).toBeTruthy();
    expect(screen.queryByTestId('chat-send')).toBeNull();
    expect(screen.queryByTestId('chat-regenerate')).toBeNull();
    expect(screen.queryByTestId('chat-edit')).toBeNull();
    rt.emit('chat:delta', { conversationId: 1, messageId, text: ' again' });
    await waitFor(() => expect(screen.getByTestId('chat-markdown').textContent!.trim()).toBe('Hello world again'));
    await fireEvent.click(screen.getByTestId('chat-stop'));
    expect(f.calls.filter((c) => c.method === 'Stop').map((c) => c.args)).toEqual([[messageId]]);

    stored[1] = reply(messageId, 'Hello world again', 'stopped', { charge });
    rt.emit('chat:done', { conversationId: 1, messageId, message: stored[1] });
    resolveSend({ message: stored[1], error: null }); // to the view that sent it, closed since
    await waitFor(() => expect(screen.getByTestId('chat-breakdown').textContent).toContain('total 0.034 credits'));
    expect(screen.queryByTestId('chat-stop')).toBeNull();
    expect(screen.getByTestId('chat-regenerate')).toBeTruthy();
    expect(screen.getByTestId('chat-message-assistant').dataset.status).toBe('stopped');
  });

  it('sent before the window was reloaded: Stop and no Regenerate or Edit while it is written, the reply when it is done', async () => {
    const stored: any[] = [user('u1', 'Hi'), reply('r1', '', 'streaming')];
    const { rt, f } = setup(() => null, stored);
    await screen.findByTestId('chat-stop');
    expect(screen.getByTestId('chat-message-assistant').textContent).toContain('Thinking');
    expect(screen.queryByTestId('chat-regenerate')).toBeNull();
    expect(screen.queryByTestId('chat-edit')).toBeNull();
    rt.emit('chat:delta', { conversationId: 1, messageId: 'r1', text: 'middle of it' }); // not shown out of context
    await fireEvent.click(screen.getByTestId('chat-stop'));
    expect(f.calls.filter((c) => c.method === 'Stop').map((c) => c.args)).toEqual([['r1']]);
    expect(screen.queryByTestId('chat-markdown')).toBeNull();
    stored[1] = reply('r1', 'The whole reply', 'done', { charge });
    rt.emit('chat:done', { conversationId: 1, messageId: 'r1', message: stored[1] });
    await waitFor(() => expect(screen.getByTestId('chat-markdown').textContent!.trim()).toBe('The whole reply'));
    expect(screen.getByTestId('chat-regenerate')).toBeTruthy();
    expect(screen.getByTestId('chat-send')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('chat-announce').textContent).toBe('Reply finished · 0.034 credits'));
  });

  it('written by another process (a command on this data folder): shown as being written, not adopted (no Stop that reaches nothing), Send stays', async () => {
    const elsewhere = 'being written in another window or command using this data folder';
    const stored: any[] = [user('u1', 'Hi'), reply('r1', '', 'streaming', { error: elsewhere })];
    setup(() => null, stored);
    await waitFor(() => expect(screen.getByTestId('chat-message-assistant').textContent).toContain('Thinking'));
    expect(screen.getByTestId('chat-message-assistant').dataset.status).toBe('streaming');
    expect(screen.queryByTestId('chat-stop')).toBeNull();
    expect(screen.getByTestId('chat-send')).toBeTruthy();
    expect(screen.queryByTestId('chat-regenerate')).toBeNull();
  });

  it('stopped before any text in an adopted view: the message is back in the composer and a neutral note says nothing was charged', async () => {
    const stored: any[] = [user('u1', 'Hi'), reply('r1', '', 'streaming')];
    const { rt, f } = setup(() => null, stored);
    await screen.findByTestId('chat-stop');
    stored.length = 0;
    f.handlers['Chat.Conversation'] = () => ({ ...conv, draft: 'Hi' });
    rt.emit('chat:done', { conversationId: 1, messageId: 'r1', error: { code: 'stopped', message: 'stopped before any output: context canceled', topUp: false } });
    await waitFor(() => expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('Hi'));
    const note = screen.getByTestId('chat-error');
    expect(note.getAttribute('role')).toBe('status');
    expect(note.textContent).toContain('Nothing was charged');
    expect(note.textContent).not.toContain('context canceled');
  });

  it("an adopted send's rate limit says nothing was charged only when its reply was not stored", async () => {
    const limited = { code: 'rate_limited', message: 'chat stream: provider error 429 Too Many Requests: Rate limited', topUp: false, retryAfterSec: 7 };
    for (const [kept, want] of [
      [false, 'The provider is rate limiting requests. Nothing was charged.'],
      [true, ''], // its reply was stored: the error is said under it, no box
    ] as const) {
      cleanup();
      const stored: any[] = [user('u1', 'Hi'), reply('r1', '', 'streaming')];
      const { rt } = setup(() => null, stored);
      await screen.findByTestId('chat-stop');
      if (kept) stored[1] = reply('r1', 'Hel', 'interrupted', { error: limited.message, charge, statusNote: `Interrupted: ${limited.message}` });
      else stored.length = 0;
      rt.emit('chat:done', { conversationId: 1, messageId: 'r1', error: limited });
      if (!want) {
        await waitFor(() => expect(screen.getByTestId('chat-status-note').textContent).toBe(`Interrupted: ${limited.message}`));
        expect(screen.queryByTestId('chat-error')).toBeNull();
        expect((await screen.findByTestId('chat-wait')).textContent).toBe('Send again in 7 s (the provider fake is rate limiting requests)');
        continue;
      }
      await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe('rate_limited'));
      expect(screen.getByTestId('chat-error').textContent!.replace('×', '').trim()).toBe(want);
    }
  });
});

describe('Chat page: refusals and drafts', () => {
  const insufficient = { code: 'insufficient_credits', message: 'this message may cost up to 41 credits but the workspace pool has 1 available', topUp: true };

  it('keeps a refused edit open with its text and the reason; the composer is left alone', async () => {
    const stored: any[] = [
      { id: 1, uid: 'u1', conversationId: 1, role: 'user', content: 'Hello there', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '' },
      { id: 2, uid: 'r1', conversationId: 1, role: 'assistant', content: 'Hi!', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '', charge },
    ];
    const { f } = setup(() => ({ message: null, error: insufficient }), stored);
    await fireEvent.click(await screen.findByTestId('chat-edit'));
    await fireEvent.input(screen.getByTestId('chat-edit-input'), { target: { value: 'Hello again' } });
    await fireEvent.click(screen.getByTestId('chat-edit-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe('insufficient_credits'));
    expect(f.calls.find((c) => c.method === 'StartSend')!.args[0]).toMatchObject({ text: 'Hello again', editMessageId: 'u1' });
    await waitFor(() => expect((screen.getByTestId('chat-edit-input') as HTMLTextAreaElement).value).toBe('Hello again'));
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('');
    expect(screen.getByTestId('chat-thread').textContent).toContain('Hi!'); // the reply is back
  });

  it('shows the edited text\'s estimate under the editor, priced as the edit\'s send (Chat.EstimateEdit), as a new message has one', async () => {
    const stored: any[] = [
      { id: 1, uid: 'u1', conversationId: 1, role: 'user', content: 'Hello there', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '' },
      { id: 2, uid: 'r1', conversationId: 1, role: 'assistant', content: 'Hi!', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '', charge },
    ];
    const { f } = setup(() => ({ message: null, error: null }), stored);
    f.handlers['Chat.EstimateEdit'] = (_conv: number, _uid: string, _p: string, _m: string, text: string) => ({
      estimate: { model: 'gpt-4o', low: text === 'Hello again' ? '0.0275' : '0.02', high: '40.9875', promptTokens: 11, maxOutputTokens: 4096, exact: true },
      warnings: ['This send may cost up to 40.9875 credits but the workspace pool has only 5 available.'], blocked: true });
    f.handlers['Chat.EstimateDraft'] = () => { throw new Error('an edit is not a new message'); };
    await fireEvent.click(await screen.findByTestId('chat-edit'));
    // Priced as it opens (the message's own text), then as it is edited.
    await waitFor(() => expect(screen.getByTestId('chat-edit-estimate-range').textContent?.trim()).toBe('≈ 0.02 – 40.9875 credits'));
    await fireEvent.input(screen.getByTestId('chat-edit-input'), { target: { value: 'Hello again' } });
    await waitFor(() => expect(screen.getByTestId('chat-edit-estimate-range').textContent?.trim()).toBe('≈ 0.0275 – 40.9875 credits'));
    expect(f.calls.filter((c) => c.method === 'EstimateEdit').at(-1)!.args).toEqual([1, 'u1', 'fake', 'gpt-4o', 'Hello again']);
    expect(screen.getByTestId('chat-edit-estimate-warning').textContent).toContain('has only 5 available');
    expect(f.calls.some((c) => c.method === 'EstimateDraft')).toBe(false);
    expect(screen.queryByTestId('chat-estimate')).toBeNull(); // the composer is empty: no estimate of its own
    // Cancelled, the editor and its estimate go.
    await fireEvent.click(screen.getByTestId('chat-edit-cancel'));
    expect(screen.queryByTestId('chat-edit-estimate')).toBeNull();
  });

  it('saves the draft at once when another conversation is opened before the debounce', async () => {
    const { f, view } = setup(() => null);
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'half a thought' } });
    await view.rerender({ params: { rest: '2' }, query: {} });
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'SaveDraft').map((c) => c.args)).toEqual([[1, 'half a thought']]), { timeout: 300 });
  });

  it('shows the conversation as stored after a send that was undone (the title the list shows)', async () => {
    setup(() => {
      storedTitle = 'Trip plans'; // renamed meanwhile; an undone first message leaves the title as it was
      return { message: null, error: insufficient };
    });
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Plan a trip' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error')).toBeTruthy());
    await waitFor(() => expect(screen.getByTestId('chat-title').textContent).toBe('Trip plans'));
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('Plan a trip');
  });

  it('offers the largest Max output tokens that fits beside a refused send: Use N sets it, the draft kept, and the send goes', async () => {
    let refuse = true;
    const settings = { temperature: 0.3, topP: null, maxOutput: 0, reasoning: 'default', history: 4 };
    const { f } = setup(() => (refuse
      ? { message: null, error: { ...insufficient, message: 'not enough credits: this message to gpt-4o may cost up to 41 credits but the workspace pool has 1 available; top up credits to send it (nothing was sent or charged). The prompt costs 0.01; the rest is the room held for up to 4,096 output tokens, so a smaller output budget may let it through', maxTokens: 98 } }
      : { message: null, error: null }), [], (_id, input) => ({ ...conv, settings: input.settings ?? settings }));
    f.handlers['Chat.Conversation'] = () => ({ ...conv, settings });
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'A long question' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    const err = await screen.findByTestId('chat-error');
    await waitFor(() => expect(screen.getByTestId('chat-error-offer-text').textContent).toBe('Max output tokens of 98 or less fits now.'));
    expect(screen.getByTestId('chat-topup')).toBeTruthy(); // the top-up is still offered beside it
    expect(err.contains(screen.getByTestId('chat-error-offer-use'))).toBe(true);
    expect(screen.queryByTestId('chat-estimate-offer')).toBeNull(); // one offer, not two
    await fireEvent.click(screen.getByTestId('chat-error-offer-use'));
    await waitFor(() => expect(f.calls.some((c) => c.method === 'UpdateConversation')).toBe(true));
    // Only the output budget changes; the other settings are kept.
    expect(f.calls.find((c) => c.method === 'UpdateConversation')!.args).toEqual([1, { settings: { ...settings, maxOutput: 98 } }]);
    await waitFor(() => expect(screen.queryByTestId('chat-error')).toBeNull());
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('A long question');
    expect(screen.getByTestId('chat-settings-edit').textContent).toContain('98');
    refuse = false;
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'StartSend').length).toBe(2));
  });

  it('says, in the backend\'s words, that turning Reasoning off would fit a send refused for credits (Gemini 2.5 Flash at Default)', async () => {
    // backend/chat's refusal, as TestRefusalSaysReasoningOffWhereItFits and the CLI's test have it.
    const message = 'not enough credits: this message to gemini-2.5-flash may cost up to 4.02 credits but the workspace pool has 3.02 available; ' +
      'top up credits to send it (nothing was sent or charged). The prompt costs 0.02; the rest is the room held for up to 1,000 output tokens, ' +
      'so a smaller output budget may let it through, or turn Reasoning off (it may then cost up to 3.02 credits, its output held at the output rate, not the reasoning rate): hold h-1: insufficient funds';
    setup(() => ({ message: null, error: { ...insufficient, message, maxTokens: 750 } }));
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'A question' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    const err = await screen.findByTestId('chat-error');
    await waitFor(() => expect(err.textContent).toContain('so a smaller output budget may let it through, or turn Reasoning off (it may then cost up to 3.02 credits, ' +
      'its output held at the output rate, not the reasoning rate).'));
    expect(err.textContent).not.toContain('insufficient funds'); // the ledger's cause left out, as before
    expect(screen.getByTestId('chat-error-offer-text').textContent).toBe('Max output tokens of 750 or less fits now.');
  });

  it('clears a limit refusal once a change lets the text through (an admin raised the limit): checked on balance and data changes', async () => {
    const limit = { code: 'limit_exceeded', topUp: false, message: 'daily limit of 5 credits reached (used 5); it resets 2026-11-25 00:00 (UTC)',
      resetsAt: '2026-11-25T00:00:00Z', retryAt: '2026-11-25T00:00:00Z' };
    const { rt, f } = setup(() => ({ message: null, error: limit }));
    let refused = true;
    f.handlers['Chat.EstimateDraft'] = () => ({ estimate: { model: 'gpt-4o', low: '0.0275', high: '40.9875', promptTokens: 11, maxOutputTokens: 4096, exact: true },
      warnings: [], blocked: refused, refusal: refused ? limit : null });
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Over my limit' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe('limit_exceeded'));
    const checks = () => f.calls.filter((c) => c.method === 'EstimateDraft' && c.args[3] === 'Over my limit').length;
    // A change that does not lift the limit: checked, still refused, still said.
    const before = checks();
    rt.emit('balance:changed');
    await waitFor(() => expect(checks()).toBeGreaterThan(before));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByTestId('chat-error').dataset.code).toBe('limit_exceeded');
    // The admin raised it in another process: data:changed, checked again, and it goes.
    refused = false;
    rt.emit('data:changed');
    await waitFor(() => expect(screen.queryByTestId('chat-error')).toBeNull());
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('Over my limit');
  });

  it('checks a limit refusal once more when a change comes while a check is under way (it may have read before it)', async () => {
    const limit = { code: 'limit_exceeded', topUp: false, message: 'daily limit of 5 credits reached (used 5); it resets 2026-11-25 00:00 (UTC)',
      resetsAt: '2026-11-25T00:00:00Z', retryAt: '2026-11-25T00:00:00Z' };
    const { rt, f } = setup(() => ({ message: null, error: limit }));
    let refused = true;
    let gate: Promise<void> | null = null;
    let open = () => {};
    f.handlers['Chat.EstimateDraft'] = async () => {
      const r = refused; // what the backend read when the check began
      if (gate) await gate;
      return { estimate: { model: 'gpt-4o', low: '0.0275', high: '40.9875', promptTokens: 11, maxOutputTokens: 4096, exact: true },
        warnings: [], blocked: r, refusal: r ? limit : null };
    };
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Over my limit' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe('limit_exceeded'));
    const checks = () => f.calls.filter((c) => c.method === 'EstimateDraft' && c.args[3] === 'Over my limit').length;
    // A top-up's balance:changed starts a check, which reads the limit as it was...
    gate = new Promise<void>((r) => (open = r));
    const before = checks();
    rt.emit('balance:changed');
    await waitFor(() => expect(checks()).toBeGreaterThan(before));
    // ...and the admin raises the limit while it is under way: its data:changed is not lost.
    refused = false;
    rt.emit('data:changed');
    await new Promise((r) => setTimeout(r, 20));
    gate = null;
    open();
    await waitFor(() => expect(screen.queryByTestId('chat-error')).toBeNull());
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('Over my limit');
  });

  it('checks a limit refusal again when the limit resets (the day rolled over), with no event', async () => {
    const resets = new Date(Date.now() + 300).toISOString();
    const limit = { code: 'limit_exceeded', topUp: false, message: 'daily limit of 5 credits reached (used 5); it resets soon', resetsAt: resets, retryAt: resets };
    const { f } = setup(() => ({ message: null, error: limit }));
    f.handlers['Chat.EstimateDraft'] = () => ({ estimate: { model: 'gpt-4o', low: '0.0275', high: '40.9875', promptTokens: 11, maxOutputTokens: 4096, exact: true },
      warnings: [], blocked: Date.now() < Date.parse(resets), refusal: Date.now() < Date.parse(resets) ? limit : null });
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Tomorrow then' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe('limit_exceeded'));
    await waitFor(() => expect(screen.queryByTestId('chat-error')).toBeNull(), { timeout: 4000 });
  });

  // A monthly limit's reset can be more than 24.8 days away (setTimeout's 2^31 ms): the timer fired at once-ish, at
  // 2^31 ms, found the send still refused, and set none for the reset itself (the same refusal stayed), so the banner
  // stayed past it; a computer asleep across the reset kept it up as long again. The wait is the wall clock's.
  it('checks a limit refusal again when a reset over 24.8 days away comes, and after a sleep across a reset', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      for (const sleep of [false, true]) {
        const resets = new Date(Date.now() + 30 * 86_400_000).toISOString();
        const limit = { code: 'limit_exceeded', topUp: false, message: 'monthly limit of 5 credits reached (used 5); it resets …', resetsAt: resets, retryAt: resets };
        const { f } = setup(() => ({ message: null, error: limit }));
        let checks = 0;
        f.handlers['Chat.EstimateDraft'] = () => {
          checks++;
          return { estimate: { model: 'gpt-4o', low: '0.0275', high: '40.9875', promptTokens: 11, maxOutputTokens: 4096, exact: true },
            warnings: [], blocked: Date.now() < Date.parse(resets), refusal: Date.now() < Date.parse(resets) ? limit : null };
        };
        await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Next month then' } });
        await fireEvent.click(screen.getByTestId('chat-send'));
        await waitFor(() => expect(screen.getByTestId('chat-error').dataset.code).toBe('limit_exceeded'));
        await vi.advanceTimersByTimeAsync(2_000); // the estimate of the draft left after the send
        const before = checks;
        if (sleep) {
          vi.setSystemTime(Date.parse(resets) + 5_000); // asleep across the reset: no timer ran meanwhile
          await vi.advanceTimersByTimeAsync(61_000);
        } else {
          vi.advanceTimersByTime(2 ** 31 + 1000);
          await vi.advanceTimersByTimeAsync(100);
          expect(checks).toBe(before); // nothing read early
          vi.advanceTimersByTime(Date.parse(resets) - Date.now() + 500);
          await vi.advanceTimersByTimeAsync(61_000);
        }
        await waitFor(() => expect(screen.queryByTestId('chat-error')).toBeNull());
        cleanup();
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('says when a send refused by a limit can go once, in its words, when no smaller budget helps', async () => {
    session.set({ signedIn: true, actor: { userId: 0, name: 'alice', role: 'admin' }, timeZone: 'America/New_York' } as never);
    setup(() => ({ message: null, error: { code: 'limit_exceeded', topUp: false,
      message: 'daily limit of 5 credits reached (used 5); it resets 2026-11-24 00:00 (America/New_York)',
      resetsAt: '2026-11-24T05:00:00Z', retryAt: '2026-11-24T05:00:00Z' } }));
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Over my limit' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').textContent).toContain('it resets 2026-11-24 00:00 (America/New_York).'));
    // Said once: no offer repeats the time beside the limit's words.
    expect(screen.queryByTestId('chat-error-offer')).toBeNull();
    expect(screen.getByTestId('chat-error').textContent!.split('2026-11-24').length - 1).toBe(1);
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('Over my limit');
    session.set(null);
  });

  it('says a refused send once: the estimate under the error does not repeat the limit warning', async () => {
    session.set({ signedIn: true, actor: { userId: 0, name: 'alice', role: 'admin' }, timeZone: 'UTC' } as never);
    const warning = 'this send may cost up to 40.9875 credits, more than the 5 left of the daily limit of 5 credits (used 0); ' +
      'a smaller output budget (max tokens) may let it through, or the limit resets 2026-11-24 00:00 (UTC)';
    const { f } = setup(() => ({ message: null, error: { code: 'limit_exceeded', topUp: false, message: warning, maxTokens: 497,
      resetsAt: '2026-11-24T00:00:00Z', retryAt: '2026-11-24T00:00:00Z' } }));
    f.handlers['Chat.EstimateDraft'] = () => ({ estimate: { low: '0.0275', high: '40.9875', promptTokens: 11, maxOutputTokens: 4096, exact: true },
      warnings: [warning], blocked: true,
      refusal: { code: 'limit_exceeded', topUp: false, message: warning, maxTokens: 497, resetsAt: '2026-11-24T00:00:00Z', retryAt: '2026-11-24T00:00:00Z' } });
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Over my limit?' } });
    // Before the send: the warning alone, as a sentence.
    await waitFor(() => expect(screen.getByTestId('chat-estimate-warning').textContent).toBe(
      'This send may cost up to 40.9875 credits, more than the 5 left of the daily limit of 5 credits (used 0); ' +
      'a smaller output budget (max tokens) may let it through, or the limit resets 2026-11-24 00:00 (UTC).'));
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').textContent).toContain(`Spending limit: ${warning}.`));
    // After it: the error says it; the estimate keeps its range, not the same sentence again.
    await waitFor(() => expect(screen.getByTestId('chat-estimate-range').textContent).toContain('40.9875'));
    expect((screen.getByTestId('chat-input') as HTMLTextAreaElement).value).toBe('Over my limit?');
    expect(screen.queryByTestId('chat-estimate-warning')).toBeNull();
    expect(screen.getByTestId('chat-error').textContent!.split('this send may cost').length).toBe(2);
    // When it can be sent is said once, in the limit's words: the offer beside them names only the budget.
    expect(screen.getByTestId('chat-error-offer-text').textContent).toBe('Max output tokens of 497 or less fits now.');
    expect(screen.getByTestId('chat-error').textContent!.split('2026-11-24').length).toBe(2);
    // Dismissed, the estimate says it again.
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    await screen.findByTestId('chat-estimate-warning');
    session.set(null);
  });

  it('says a send refused for credits once: the estimate drops its warning of the same refusal, told by the backend', async () => {
    session.set({ signedIn: true, actor: { userId: 0, name: 'alice', role: 'admin' }, timeZone: 'UTC' } as never);
    // The same refusal in two wordings, which no text match relates: the send's and the estimate's.
    const refusal = 'not enough credits: This message may cost up to 4100 credits but the workspace pool has 1000 available.';
    const warning = 'This send may cost up to 4100 credits but the workspace pool has only 1000 available.';
    const note = 'gpt-4o has no rate of its own, so the default rate applies (1 credit per token); you can set one in Settings → Rates.';
    const { f } = setup(() => ({ message: null, error: { code: 'insufficient_credits', topUp: true, message: refusal } }));
    f.handlers['Chat.EstimateDraft'] = () => ({ estimate: { model: 'gpt-4o', low: '10', high: '4100', promptTokens: 10, maxOutputTokens: 4096, exact: true },
      warnings: [note, warning], blocked: true, refusalWarning: warning,
      refusal: { code: 'insufficient_credits', topUp: true, message: refusal } });
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Too dear?' } });
    const shown = () => screen.queryAllByTestId('chat-estimate-warning').map((w) => w.textContent);
    await waitFor(() => expect(shown()).toEqual([note, warning]));
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').textContent).toContain('has 1000 available'));
    // The error says the refusal; the estimate keeps its other warning, not the refusal again.
    await waitFor(() => expect(shown()).toEqual([note]));
    expect(screen.getByTestId('chat-estimate-live').textContent).toBe(note);
    // The draft grows while the error stays up: its figures are out of date, and the estimate's own are shown.
    const dearer = 'This send may cost up to 8000 credits but the workspace pool has only 1000 available.';
    f.handlers['Chat.EstimateDraft'] = () => ({ estimate: { model: 'gpt-4o', low: '20', high: '8000', promptTokens: 20, maxOutputTokens: 4096, exact: true },
      warnings: [note, dearer], blocked: true, refusalWarning: dearer,
      refusal: { code: 'insufficient_credits', topUp: true, message: 'not enough credits: This message may cost up to 8000 credits but the workspace pool has 1000 available.' } });
    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Too dear? Much longer now.' } });
    await waitFor(() => expect(shown()).toEqual([note, dearer]));
    f.handlers['Chat.EstimateDraft'] = () => ({ estimate: { model: 'gpt-4o', low: '10', high: '4100', promptTokens: 10, maxOutputTokens: 4096, exact: true },
      warnings: [note, warning], blocked: true, refusalWarning: warning,
      refusal: { code: 'insufficient_credits', topUp: true, message: refusal } });
    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Too dear?' } });
    await waitFor(() => expect(shown()).toEqual([note]));
    // Dismissed, the estimate says it again.
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(shown()).toEqual([note, warning]));
    session.set(null);
  });

  it('says in words that a reply is still being written (a send, a delete), not the Go error', async () => {
    const { f } = setup(() => ({ message: null, error: { code: 'busy', message: 'send: a reply is already being generated for this message', topUp: false } }));
    render(Dialog);
    await fireEvent.input(await screen.findByTestId('chat-input'), { target: { value: 'Hi' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(screen.getByTestId('chat-error').textContent).toContain('A reply is still being written in this chat; stop it or wait for it.'));
    f.handlers['Chat.DeleteConversation'] = () => { throw coded('busy', 'delete conversation 1: a reply is already being generated for this message'); };
    await fireEvent.click(await screen.findByTestId('chat-delete'));
    await fireEvent.click(await screen.findByTestId('dialog-ok'));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('A reply is still being written in this chat; stop it or wait for it.'));
    expect(screen.queryByTestId('chat-error-banner')).toBeNull();
  });

  it('cuts a long system prompt in the header, with the whole of it in the tooltip', async () => {
    const long = 'You are a meticulous assistant. '.repeat(40).trim();
    installFakeRuntime();
    installFakeBridge({
      'Chat.Conversations': () => [conv],
      'Chat.Conversation': () => ({ ...conv, systemPrompt: long }),
      ...fakeMessages(() => []),
      'Chat.Models': () => [model],
      'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '5', threshold: '1', low: false }),
    });
    render(Chat, { params: { rest: '1' }, query: {} });
    const button = await screen.findByTestId('chat-system-edit');
    expect(button.getAttribute('title')).toBe(long);
    expect(button.querySelector('.system-text')!.textContent!.startsWith('System: You are a meticulous assistant.')).toBe(true);
  });

  it('words errors', () => {
    expect(describeError({ code: 'busy', message: 'send: a reply is already being generated for this message', topUp: false })).toBe('A reply is still being written in this chat; stop it or wait for it.');
    expect(describeError({ code: 'stopped', message: 'stopped before any output: context canceled', topUp: false })).toBe('Stopped before any reply was written. Nothing was charged.');
    const busy = BackendError.from('Chat.DeleteConversation', coded('busy', 'delete conversation 1: a reply is already being generated for this message'));
    expect(describeFailure(busy)).toBe('A reply is still being written in this chat; stop it or wait for it.');
    // Told by its code (app.RefusalError's "busy"), not its words.
    expect(describeFailure('delete conversation 1: a reply is already being generated for this message')).toBe('delete conversation 1: a reply is already being generated for this message');
    expect(describeFailure('disk full')).toBe('disk full');
    // Another process (a command on the data folder) writes the reply: this window cannot stop it.
    const elsewhere = 'a reply is already being generated for this message (in another window or command using this data folder)';
    const wait = 'A reply is still being written in this chat in another window or command using this data folder; wait for it to finish.';
    expect(describeError({ code: 'busy', message: `send: ${elsewhere}`, topUp: false })).toBe(wait);
    expect(describeFailure(BackendError.from('Chat.DeleteConversation', coded('busy', `delete conversation 1: ${elsewhere}`)))).toBe(wait);
  });
});

// Another member's conversation opened by its URL (#/chat/ID) said "Something went wrong: conversation 7: not
// found" with a Retry that could never help. Go's refusal (app/testdata/refusal_words.json's "missing
// conversation", code notfound) says what is missing; the page offers the way back, no Retry.
describe('Chat page: a conversation that is not there', () => {
  it('says what is missing, with New chat and the list, and no Retry', async () => {
    const gone = refusal('conversation 7: not found', 'This conversation does not exist or is not yours');
    installFakeRuntime();
    installFakeBridge({
      'Chat.Conversations': () => [conv],
      'Chat.Conversation': () => { throw { ...gone, code: 'notfound' }; },
      'Chat.MessagesPage': () => { throw { ...gone, code: 'notfound' }; },
      'Chat.MessagesState': () => { throw { ...gone, code: 'notfound' }; },
      'Chat.Models': () => [],
      'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '500', threshold: '100', low: false }),
      'Chat.Readiness': () => ({ ready: true, admin: false, steps: [] }),
    });
    render(Chat, { params: { rest: '7' }, query: {} });
    const card = await screen.findByTestId('chat-not-found');
    expect(card.querySelector('h2')!.textContent).toBe('Not found');
    expect(card.textContent).toContain('This conversation does not exist or is not yours');
    expect(card.textContent).not.toContain('Something went wrong');
    expect(screen.getByTestId('chat-not-found-new').getAttribute('href')).toBe('#/chat/new');
    expect(screen.getByTestId('chat-not-found-list').getAttribute('href')).toBe('#/chat');
    expect(screen.queryByText(/Retry/)).toBeNull();
    expect(screen.queryByTestId('chat-load-error')).toBeNull();
  });

  it('still offers Retry for a failure to read (not a not-found)', async () => {
    installFakeRuntime();
    installFakeBridge({
      'Chat.Conversations': () => [conv],
      'Chat.Conversation': () => { throw 'conversation 1: database is locked (5) (SQLITE_BUSY)'; },
      ...fakeMessages(() => []),
      'Chat.Models': () => [],
      'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '500', threshold: '100', low: false }),
      'Chat.Readiness': () => ({ ready: true, admin: false, steps: [] }),
    });
    render(Chat, { params: { rest: '1' }, query: {} });
    expect((await screen.findByTestId('chat-load-error')).textContent).toContain('Something went wrong');
    expect(screen.getByTestId('chat-load-error-retry')).toBeTruthy();
    expect(screen.queryByTestId('chat-not-found')).toBeNull();
  });
});
