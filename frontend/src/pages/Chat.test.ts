import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Chat from './Chat.svelte';
import { installFakeBridge, installFakeRuntime } from '../test/fakeBridge';
import { perMillion, describeError, plainSnippet } from '../api/chat';

const conv = { id: 1, userId: 0, title: 'New chat', systemPrompt: '', provider: 'fake', model: 'gpt-4o', draft: '', createdAt: '', updatedAt: '', messages: 0, snippet: '' };
const model = { provider: 'fake', rateProvider: 'openai', local: false, model: 'gpt-4o', input: '0.0000025', output: '0.00001', cacheRead: '', reasoning: '', free: false };
const charge = { summary: 'gpt-4o · input 9 tokens (0.018 credits) · output 2 tokens (0.016 credits) · total 0.034 credits', amount: '0.034', rateVersion: 2, hold: '1' };

function setup(send: (input: any) => unknown, stored: any[] = []) {
  const rt = installFakeRuntime();
  const f = installFakeBridge({
    'Chat.Conversations': () => [conv],
    'Chat.Conversation': () => conv,
    'Chat.Messages': () => stored,
    'Chat.Models': () => [model],
    'Chat.Status': () => ({ payer: 'pool', payerName: 'the workspace pool', available: '5', threshold: '100', low: true }),
    'Chat.Send': send,
    'Chat.Stop': () => true,
    'Chat.SaveDraft': () => true,
    'Chat.UpdateConversation': () => conv,
  });
  render(Chat, { params: { rest: '1' }, query: {} });
  return { rt, f };
}

describe('Chat page', () => {
  it('streams a reply, renders it as safe Markdown and shows its charge', async () => {
    let resolveSend: (v: unknown) => void = () => {};
    const stored: any[] = [];
    const { rt, f } = setup((input) => new Promise((r) => (resolveSend = r)), stored);
    await waitFor(() => expect((screen.getByTestId('chat-model-select') as HTMLSelectElement).textContent).toContain('in 2.5 · out 10 credits / 1M tokens'));
    expect(screen.getByTestId('chat-low-balance').textContent).toContain('5.00');
    await fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'Hi' } });
    await fireEvent.click(screen.getByTestId('chat-send'));
    await waitFor(() => expect(f.calls.some((c) => c.method === 'Send')).toBe(true));
    const input = f.calls.find((c) => c.method === 'Send')!.args[0] as { messageId: string; text: string; model: string };
    expect(input.text).toBe('Hi');
    expect(input.model).toBe('gpt-4o');
    rt.emit('chat:delta', { conversationId: 1, messageId: input.messageId, text: '**bold** <img src=x onerror=alert(1)>' });
    await waitFor(() => expect(screen.getByTestId('chat-markdown').innerHTML).toContain('<strong>bold</strong>'));
    expect(screen.getByTestId('chat-markdown').innerHTML).not.toContain('onerror');
    expect(screen.getByTestId('chat-stop')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('chat-stop'));
    expect(f.calls.some((c) => c.method === 'Stop' && c.args[0] === input.messageId)).toBe(true);
    stored.push({ id: 1, uid: 'u', conversationId: 1, role: 'user', content: 'Hi', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '' },
      { id: 2, uid: input.messageId, conversationId: 1, role: 'assistant', content: '**bold**', status: 'done', provider: 'fake', model: 'gpt-4o', error: '', createdAt: '', charge });
    resolveSend({ message: stored[1], error: null });
    await waitFor(() => expect(screen.getByTestId('chat-breakdown').textContent).toContain('total 0.034 credits'));
    expect(screen.getByTestId('chat-regenerate')).toBeTruthy();
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

  it('formats rates and errors', () => {
    expect(perMillion('0.0000025')).toBe('2.5');
    expect(perMillion('0.002')).toBe('2000');
    expect(perMillion('0')).toBe('0');
    expect(plainSnippet('Sure! Here is a **short** answer with `code`:\n\n```go\nfmt.Println("hi")\n```\n- one\n- [two](https://x.y)')).toBe(
      'Sure! Here is a short answer with code: fmt.Println("hi") one two');
    expect(plainSnippet('2 * 3 * 4 and snake_case_name')).toBe('2 * 3 * 4 and snake_case_name');
    expect(plainSnippet(undefined)).toBe('');
    expect(describeError({ code: 'offline', message: 'x', topUp: false })).toContain('kept as a draft');
    expect(describeError({
      code: 'insufficient_credits', topUp: true,
      message: 'not enough credits: this message to gpt-4o may cost up to 40.99 credits but your wallet has 0.5 available; top up credits to send it (nothing was sent or charged): hold hold:02e0: insufficient funds: user:2 is short by 40.49 credits',
    })).toBe('Not enough credits. This message to gpt-4o may cost up to 40.99 credits but your wallet has 0.5 available; top up credits to send it (nothing was sent or charged).');
    expect(describeError({ code: 'insufficient_credits', message: 'balance too low', topUp: true })).toBe('Not enough credits. Balance too low.');
    expect(describeError({ code: 'rate_limited', message: 'x', topUp: false, retryAfterSec: 7 })).toContain('7 s');
  });
});
