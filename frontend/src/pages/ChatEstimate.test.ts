import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import ChatEstimate from './ChatEstimate.svelte';
import { installFakeBridge, installFakeRuntime } from '../test/fakeBridge';
import { session } from '../lib/session.svelte';

const estimate = (over: Record<string, unknown> = {}) => ({
  provider: 'openai', model: 'gpt-4o', rateVersion: 2, promptTokens: 1234, maxOutputTokens: 4096,
  encoding: 'o200k_base', family: 'openai', exact: true, low: '0.0024680', high: '40.9784680',
  lowMinor: 2468000, highMinor: 40978468000, highThinking: false, free: false, ...over,
});

describe('ChatEstimate', () => {
  it('shows the exact range from Go and passes the draft through unchanged', async () => {
    const f = installFakeBridge({ 'Chat.EstimateDraft': () => ({ estimate: estimate(), warnings: [], blocked: false }) });
    render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hello ', delay: 0 });
    const range = await screen.findByTestId('chat-estimate-range');
    expect(range.textContent?.trim()).toBe('≈ 0.002468 – 40.978468 credits');
    expect(screen.getByTestId('chat-estimate').textContent).toContain('1,234 prompt tokens');
    // Token counts are read, so grouped as the rest of the window writes them (typed ones, Max output tokens, are not).
    expect(range.title).toBe('1,234 prompt tokens (exact), up to 4,096 output tokens');
    expect(f.calls).toContainEqual({ struct: 'Chat', method: 'EstimateDraft', args: [7, '', 'gpt-4o', 'Hello '] });
    // Not read out on every pause in typing: only a warning is.
    expect(screen.getByTestId('chat-estimate').closest('[aria-live], [role=status], [role=alert]')).toBeNull();
    expect(screen.getByTestId('chat-estimate').hasAttribute('data-toast-above')).toBe(true); // no toast covers it
    expect(screen.getByTestId('chat-estimate-live').textContent).toBe('');
  });

  it('says why the upper end prices the whole output budget at the reasoning rate, and says nothing more otherwise', async () => {
    // o3 at out 3,000 and reasoning 4,000 credits / 1M: 3,000 output tokens at 0.004 = 12, not the 9 the picker's rate gives.
    installFakeBridge({ 'Chat.EstimateDraft': (_c: number, _p: string, model: string) => ({
      estimate: estimate(model === 'o3' ? { model, maxOutputTokens: 3000, low: '0.01', high: '12.01', highThinking: true } : {}), warnings: [], blocked: false }) });
    render(ChatEstimate, { conversationId: 7, provider: '', model: 'o3', draft: 'Hi', delay: 0 });
    expect((await screen.findByTestId('chat-estimate-thinking')).textContent).toBe('the upper end if it thinks for the whole budget (its reasoning rate is above its output rate)');
    expect(screen.getByTestId('chat-estimate-range').textContent?.trim()).toBe('≈ 0.01 – 12.01 credits');
    render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hi', delay: 0, testid: 'other' });
    await screen.findByTestId('other-range');
    expect(screen.queryByTestId('other-thinking')).toBeNull();
  });

  it('prices the draft again when the spending limit that refuses it resets (no event says so)', async () => {
    const resets = new Date(Date.now() + 300).toISOString();
    const warning = 'this send may cost up to 40.978468 credits, more than the 0 left of the daily limit of 5 credits (used 5)';
    const f = installFakeBridge({
      'Chat.EstimateDraft': () => (Date.now() < Date.parse(resets)
        ? { estimate: estimate(), warnings: [warning], blocked: true, refusal: { code: 'limit_exceeded', topUp: false, message: warning, resetsAt: resets, retryAt: resets } }
        : { estimate: estimate(), warnings: [], blocked: false }),
    });
    render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hi', delay: 0 });
    await screen.findByTestId('chat-estimate-warning');
    await waitFor(() => expect(screen.queryByTestId('chat-estimate-warning')).toBeNull(), { timeout: 4000 });
    expect(screen.getByTestId('chat-estimate').classList.contains('blocked')).toBe(false);
    expect(f.calls.filter((c) => c.method === 'EstimateDraft').length).toBe(2);
  });

  it('shows the backend warning and marks a send that would be refused', async () => {
    installFakeBridge({
      'Chat.EstimateDraft': () => ({ estimate: estimate(), warnings: ['This send may cost up to 40.978468 credits but your wallet has only 3 available.'], blocked: true }),
    });
    render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hi', delay: 0 });
    const w = await screen.findByTestId('chat-estimate-warning');
    expect(w.textContent).toContain('has only 3 available');
    expect(screen.getByTestId('chat-estimate').classList.contains('blocked')).toBe(true);
    const live = screen.getByTestId('chat-estimate-live');
    expect(live.getAttribute('role')).toBe('status');
    expect(live.textContent).toBe('This send may cost up to 40.978468 credits but your wallet has only 3 available.');
  });

  // As the rest of the window shows credits (the header's "1,000.00"): at least 2 places, exact, grouped.
  it.each([
    { low: '0.3', high: '0.7', want: '≈ 0.30 – 0.70 credits' },
    { low: '10', high: '4100', want: '≈ 10.00 – 4,100.00 credits' },
    { low: '0.0000025', high: '1234.5', want: '≈ 0.0000025 – 1,234.50 credits' },
  ])('shows the range as the window shows credits: $want', async ({ low, high, want }) => {
    installFakeBridge({ 'Chat.EstimateDraft': () => ({ estimate: estimate({ low, high }), warnings: [], blocked: false }) });
    render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hi', delay: 0 });
    expect((await screen.findByTestId('chat-estimate-range')).textContent?.trim()).toBe(want);
  });

  it('says when a model is free', async () => {
    installFakeBridge({ 'Chat.EstimateDraft': () => ({ estimate: estimate({ low: '0', high: '0', free: true, model: 'llama3' }), warnings: [], blocked: false }) });
    render(ChatEstimate, { conversationId: 7, provider: '', model: 'llama3', draft: 'Hi', delay: 0 });
    expect((await screen.findByTestId('chat-estimate-range')).textContent).toContain('Free');
  });

  it('asks nothing for an empty draft and shows a backend error in words', async () => {
    const f = installFakeBridge({ 'Chat.EstimateDraft': () => { throw 'no provider configured for this model'; } });
    const { rerender } = render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: '   ', delay: 0 });
    await new Promise((r) => setTimeout(r, 20));
    expect(f.calls.length).toBe(0);
    expect(screen.queryByTestId('chat-estimate')).toBeNull();
    await rerender({ conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hi', delay: 0 });
    await waitFor(() => expect(screen.getByTestId('chat-estimate-error').textContent).toContain('no provider configured'));
  });

  it('prices the draft again when the rates or balances change, here or in another process', async () => {
    const rt = installFakeRuntime();
    let high = '40.9784680';
    const f = installFakeBridge({ 'Chat.EstimateDraft': () => ({ estimate: estimate({ high }), warnings: [], blocked: false }) });
    render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hello', delay: 0 });
    const range = () => screen.getByTestId('chat-estimate-range').textContent?.trim();
    await waitFor(() => expect(range()).toBe('≈ 0.002468 – 40.978468 credits'));
    for (const [event, next, shown] of [['rates:changed', '40978.468', '40,978.468'], ['data:changed', '81956.936', '81,956.936'], ['balance:changed', '1', '1.00']]) {
      const calls = f.calls.length;
      high = next;
      rt.emit(event, 3);
      await waitFor(() => expect(range()).toBe(`≈ 0.002468 – ${shown} credits`));
      expect(f.calls.length).toBe(calls + 1);
    }
  });

  it('offers the largest Max output tokens that fits beside a refusal; when it can be sent, only the warning says', async () => {
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' }, timeZone: 'Europe/Berlin' } as never);
    const warning = 'this send may cost up to 40.99 credits, more than the 5 left of the daily limit of 5 credits (used 0); a smaller output budget (max tokens) may let it through, or the limit resets 2026-11-24 00:00 (Europe/Berlin)';
    let refusal: Record<string, unknown> = { code: 'limit_exceeded', message: warning, topUp: false, maxTokens: 498,
      resetsAt: '2026-11-23T23:00:00Z', retryAt: '2026-11-23T23:00:00Z' };
    installFakeBridge({ 'Chat.EstimateDraft': () => ({ estimate: estimate(), warnings: [warning], blocked: true, refusal }) });
    const used: number[] = [];
    const { unmount } = render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hi', delay: 0, onuse: (n: number) => void used.push(n) });
    const use = await screen.findByTestId('chat-estimate-offer-use');
    expect(use.textContent?.trim()).toBe('Use 498');
    expect(screen.getByTestId('chat-estimate-offer-text').textContent).toBe('Max output tokens of 498 or less fits now.');
    // The reset time once, in the limit's words.
    expect(screen.getByTestId('chat-estimate').textContent!.split('2026-11-24').length).toBe(2);
    await fireEvent.click(use);
    expect(used).toEqual([498]);
    // A screen reader hears the offer with the warning.
    expect(screen.getByTestId('chat-estimate-live').textContent).toContain('Max output tokens of 498 or less fits now');
    unmount();

    // No smaller budget helps: no offer; the warning says when.
    refusal = { ...refusal, maxTokens: undefined };
    const second = render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hi', delay: 0, onuse: () => {} });
    await waitFor(() => expect(screen.getByTestId('chat-estimate-warning').textContent).toContain('resets 2026-11-24 00:00 (Europe/Berlin)'));
    expect(screen.queryByTestId('chat-estimate-offer')).toBeNull();
    second.unmount();

    // Without onuse (the send's error shows the offer), none here.
    refusal = { ...refusal, maxTokens: 498 };
    const third = render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hi', delay: 0 });
    expect((await screen.findByTestId('chat-estimate-warning')).textContent).toBe(`T${warning.slice(1)}.`);
    expect(screen.queryByTestId('chat-estimate-offer')).toBeNull();
    third.unmount();

    // The send's error on screen says the warning: it is not repeated, nor read out again.
    render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hi', delay: 0, shown: `Spending limit: ${warning}.` });
    await screen.findByTestId('chat-estimate-range');
    expect(screen.queryByTestId('chat-estimate-warning')).toBeNull();
    expect(screen.getByTestId('chat-estimate-live').textContent).toBe('');
    session.set(null);
  });

  it("leaves out the warning the backend marks as the refusal while the send's error of that code is shown", async () => {
    const balance = 'This send may cost up to 4100 credits but the workspace pool has only 1000 available.';
    const note = 'gpt-4o has no rate of its own, so the default rate applies (1 credit per token); you can set one in Settings → Rates.';
    const refusal = { code: 'insufficient_credits', topUp: true, message: 'not enough credits: This message may cost up to 4100 credits but the workspace pool has 1000 available.' };
    installFakeBridge({ 'Chat.EstimateDraft': () => ({ estimate: estimate(), warnings: [note, balance], blocked: true, refusal, refusalWarning: balance }) });
    const shownText = 'Not enough credits. This message may cost up to 4100 credits but the workspace pool has 1000 available.';
    const warnings = () => screen.queryAllByTestId('chat-estimate-warning').map((w) => w.textContent);
    const older = 'not enough credits: This message may cost up to 2000 credits but the workspace pool has 1000 available.';
    for (const [shownCode, shownMessage, want] of [
      ['', '', [note, balance]],
      ['limit_exceeded', refusal.message, [note, balance]],
      ['insufficient_credits', refusal.message, [note]],
      // The error on screen is of an earlier draft (other figures): the estimate's own figures are the ones to read.
      ['insufficient_credits', older, [note, balance]],
    ] as const) {
      const r = render(ChatEstimate, { conversationId: 7, provider: '', model: 'gpt-4o', draft: 'Hi', delay: 0, shown: shownCode ? shownText : '', shownCode, shownMessage });
      await screen.findByTestId('chat-estimate-range');
      await waitFor(() => expect(warnings()).toEqual(want));
      r.unmount();
    }
  });
});
