import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FORGET_FINISHED_MS, liveReply, trackReply } from './chat';
import { installFakeRuntime } from '../test/fakeBridge';

describe('api/chat trackReply', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('follows the reply until chat:done, then forgets it a while after its send returned', () => {
    const rt = installFakeRuntime();
    const untrack = trackReply('m-1', 7);
    rt.emit('chat:delta', { messageId: 'm-1', text: 'Hel' });
    rt.emit('chat:delta', { messageId: 'other', text: 'x' });
    rt.emit('chat:delta', { messageId: 'm-1', text: 'lo' });
    expect(liveReply('m-1')).toEqual({ conversationId: 7, text: 'Hello', done: false });
    rt.emit('chat:done', { messageId: 'm-1' });
    expect(liveReply('m-1')?.done).toBe(true);

    untrack();
    expect(rt.listenerCount('chat:delta')).toBe(0);
    // A view that read the reply as streaming just before still learns it finished.
    vi.advanceTimersByTime(FORGET_FINISHED_MS - 1);
    expect(liveReply('m-1')).toEqual({ conversationId: 7, text: '', done: true });
    vi.advanceTimersByTime(1);
    expect(liveReply('m-1')).toBeUndefined();
  });

  it('does not forget a newer send that reused the id', () => {
    installFakeRuntime();
    trackReply('m-2', 1)();
    const untrack = trackReply('m-2', 1); // sent again (a retry with the same id)
    vi.advanceTimersByTime(FORGET_FINISHED_MS);
    expect(liveReply('m-2')).toEqual({ conversationId: 1, text: '', done: false });
    untrack();
  });
});
