import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FORGET_FINISHED_MS, HIGH_THINKING, asSentence, ratesNote, sameState, send, estimateWarnings, keepUnchanged, liveReply, parseTokenCount, refusalOffer, restatedWarning, sameMessage, trackReply, type Message, type RefusalOffer, type SendError } from './chat';
import maxOutputAdvice from '../../../backend/chat/testdata/max_output_advice.json?raw';
import estimateWords from '../../../backend/chat/testdata/estimate_words.json?raw';
import { installFakeBridge, installFakeRuntime } from '../test/fakeBridge';

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

describe('api/chat keepUnchanged', () => {
  const base: Message = {
    id: 7, uid: 'u7', conversationId: 1, role: 'assistant', content: 'Hello', status: 'done', provider: 'fake', model: 'm', error: '',
    createdAt: '2025-01-01T00:00:00Z', finishReason: 'stop', outputBudget: 100, note: '',
    charge: { requestId: 'r', transferId: 3, payer: 'pool', provider: 'fake', model: 'm', source: 'chat', conversationId: 1, rateVersion: 2,
      usage: { input: 5, output: 9 }, estimated: false, hold: '1', amount: '0.5', price: '0.005', capped: false, summary: '0.5 credits',
      breakdown: { rateVersion: 2, provider: 'fake', model: 'm', lines: [], total: '0.5', totalMinor: 50, estimated: false } },
  };
  const cases: { name: string; change: (m: Message) => Message; kept: boolean }[] = [
    { name: 'the same fields (a new object)', change: (m) => structuredClone(m), kept: true },
    { name: 'content', change: (m) => ({ ...m, content: 'Hello!' }), kept: false },
    { name: 'status', change: (m) => ({ ...m, status: 'stopped' }), kept: false },
    { name: 'error', change: (m) => ({ ...m, error: 'boom' }), kept: false },
    { name: 'note', change: (m) => ({ ...m, note: 'Cut off' }), kept: false },
    { name: 'id (the optimistic one stored)', change: (m) => ({ ...m, id: 8 }), kept: false },
    { name: 'charge added', change: (m) => ({ ...m, charge: undefined }), kept: false },
    { name: 'charge amount', change: (m) => ({ ...m, charge: { ...m.charge!, amount: '0.6' } }), kept: false },
    { name: 'charge usage', change: (m) => ({ ...m, charge: { ...m.charge!, usage: { input: 5, output: 10 } } }), kept: false },
  ];
  for (const c of cases) {
    it(`${c.kept ? 'keeps' : 'replaces'} a message whose ${c.name} ${c.kept ? 'did not change' : 'changed'}`, () => {
      const shown = [base];
      const next = c.change(structuredClone(base));
      const out = keepUnchanged(shown, [next]);
      expect(out[0]).toBe(c.kept ? base : next);
      expect(sameMessage(base, next)).toBe(c.kept);
    });
  }

  it('keeps order and takes new messages as read, matching by uid', () => {
    const a = { ...base, uid: 'a', id: 1 };
    const b = { ...base, uid: 'b', id: 2 };
    const c = { ...base, uid: 'c', id: 3 };
    const out = keepUnchanged([a, b], [structuredClone(b), c]);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(b);
    expect(out[1]).toBe(c);
    expect(keepUnchanged([a], [])).toEqual([]);
  });
});

describe('api/chat refusalOffer', () => {
  const retryAt = '2026-11-23T23:00:00Z';
  const cases: { name: string; e: Partial<SendError> | null; want: RefusalOffer | null }[] = [
    { name: 'no error', e: null, want: null },
    { name: 'another kind of error', e: { code: 'offline', maxTokens: 500 }, want: null },
    { name: 'credits, a smaller budget fits', e: { code: 'insufficient_credits', maxTokens: 12498 },
      want: { maxTokens: 12498, text: 'Max output tokens of 12,498 or less fits now.' } },
    { name: 'credits, nothing fits: the top-up says the rest', e: { code: 'insufficient_credits' }, want: null },
    { name: 'credits never say a retry time', e: { code: 'insufficient_credits', retryAt }, want: null },
    // The limit's words beside the offer say when it resets (in the workspace zone): the offer does not say it again.
    { name: 'a limit, a smaller budget fits: the budget only', e: { code: 'limit_exceeded', maxTokens: 6248, retryAt },
      want: { maxTokens: 6248, text: 'Max output tokens of 6,248 or less fits now.' } },
    { name: 'a limit no smaller budget helps: nothing (its words say when)', e: { code: 'limit_exceeded', retryAt }, want: null },
    { name: 'a limit without a time', e: { code: 'limit_exceeded' }, want: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = c.e ? ({ message: 'refused', topUp: false, ...c.e } as SendError) : null;
      expect(refusalOffer(e)).toEqual(c.want);
    });
  }
});

describe('api/chat estimateWarnings', () => {
  const limit = 'this send may cost up to 40.99 credits, more than the 5 left of the daily limit of 5 credits (used 0)';
  const balance = 'This send may cost up to 41 credits but your wallet has only 3 available.';
  it.each([
    { name: 'a warning in lower case becomes a sentence', warnings: [limit], shown: '', want: [`T${limit.slice(1)}.`] },
    { name: 'a sentence is kept as it is', warnings: [balance], shown: '', want: [balance] },
    { name: "one the send's error says is dropped", warnings: [limit, balance], shown: `Spending limit: ${limit}.`, want: [balance] },
    { name: 'the error says it in other words: kept', warnings: [balance], shown: 'Not enough credits. This message may cost up to 41 credits.', want: [balance] },
    { name: 'empty warnings are dropped', warnings: ['', '  '], shown: '', want: [] },
    { name: 'the one the backend marks as the same refusal is dropped', warnings: [limit, balance], shown: 'Not enough credits. This message may cost up to 41 credits.',
      restated: balance, want: [`T${limit.slice(1)}.`] },
    { name: 'a mark that is none of them drops nothing', warnings: [balance], shown: '', restated: 'something else', want: [balance] },
  ])('$name', ({ warnings, shown, restated, want }) => {
    expect(estimateWarnings(warnings, shown, restated)).toEqual(want);
  });
  it.each([
    { name: 'no estimate', est: null, code: 'insufficient_credits', message: 'M', want: '' },
    { name: 'no error shown', est: { refusal: { code: 'insufficient_credits', message: 'M' }, refusalWarning: 'W' }, code: '', message: '', want: '' },
    { name: 'the same refusal (code and words)', est: { refusal: { code: 'insufficient_credits', message: 'M' }, refusalWarning: 'W' },
      code: 'insufficient_credits', message: 'M', want: 'W' },
    { name: 'the same code, other figures (the draft grew since the error): the estimate says its own',
      est: { refusal: { code: 'insufficient_credits', message: 'may cost up to 8000 … has 1000' }, refusalWarning: 'W' },
      code: 'insufficient_credits', message: 'may cost up to 4100 … has 1000', want: '' },
    { name: 'an error of another code: the estimate says its own refusal', est: { refusal: { code: 'limit_exceeded', message: 'M' }, refusalWarning: 'W' },
      code: 'insufficient_credits', message: 'M', want: '' },
    { name: 'no refusal now', est: { refusal: null, refusalWarning: undefined }, code: 'limit_exceeded', message: 'M', want: '' },
  ])('restatedWarning: $name', ({ est, code, message, want }) => {
    expect(restatedWarning(est as never, code, message)).toBe(want);
  });
  it('asSentence', () => {
    expect(asSentence(' resets at 00:00 UTC ')).toBe('Resets at 00:00 UTC.');
    expect(asSentence('Done!')).toBe('Done!');
    expect(asSentence('')).toBe('');
    // A model's name keeps its spelling.
    expect(asSentence('gpt-4o has no rate of its own', 'gpt-4o')).toBe('gpt-4o has no rate of its own.');
    expect(asSentence('this send may cost', 'gpt-4o')).toBe('This send may cost.');
    expect(estimateWarnings(['gpt-4o has no rate of its own'], '', '', 'gpt-4o')).toEqual(['gpt-4o has no rate of its own.']);
  });
});

describe('api/chat parseTokenCount', () => {
  it('reads what an output-ceiling refusal suggests as it is written (the Go test pins the same table)', () => {
    const rows = (JSON.parse(maxOutputAdvice) as { rows: { suggests: string; tokens: number }[] }).rows;
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const r of rows) expect(parseTokenCount(r.suggests), r.suggests).toBe(r.tokens);
  });

  it.each([
    ['4096', 4096], ['0', 0], ['999', 999], ['1,000', 1000], [' 15,616 ', 15616], ['1,048,576', 1048576], ['100,000', 100000],
  ])('takes %j as %d', (typed, want) => {
    expect(parseTokenCount(typed)).toBe(want);
  });

  it.each(['0,616', '000,000', '01,000', '0,000', '1,0000', '15,61', ',616', '15,616,', '1000,000', '15 616', '15.616', '+5', '-5', ''])(
    'refuses %j (a group led by a zero, or a comma out of place), never reading a number from it',
    (typed) => {
      expect(parseTokenCount(typed)).toBeNull();
    },
  );
});

describe('api/chat ratesNote', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const charge = { rateVersion: 3, ratesAt: '2026-11-03T09:30:00Z' } as never;
  it.each([
    ['the table changed since: the day the rates took effect', charge, 4, 'UTC', 'priced at the rates of 3 Nov'],
    ['the day in the workspace zone', { rateVersion: 3, ratesAt: '2026-11-03T23:30:00Z' }, 4, 'Asia/Tokyo', 'priced at the rates of 4 Nov'],
    ['another year: with its year', { rateVersion: 3, ratesAt: '2025-12-31T10:00:00Z' }, 9, 'UTC', 'priced at the rates of 31 Dec 2025'],
    ['an unknown zone: this computer\'s day', charge, 4, 'Mars/Olympus', 'priced at the rates of 3 Nov'],
    ['priced at the current rates', charge, 3, 'UTC', ''],
    ['the current version not known', charge, 0, 'UTC', ''],
    ['no charge', undefined, 4, 'UTC', ''],
    ['the rates\' time not known (Go\'s zero time)', { rateVersion: 3, ratesAt: '0001-01-01T00:00:00Z' }, 4, 'UTC', ''],
    ['an older charge without it', { rateVersion: 3 }, 4, 'UTC', ''],
  ])('%s', (_name, ch, current, zone, want) => {
    expect(ratesNote(ch as never, current as number, zone as string, now)).toBe(want);
  });

  it('a change of the rate version alone is a change of state (the page is read again)', () => {
    const st = { updatedAt: 'x', count: 2, lastId: 5, lastStatus: 'done', rateVersion: 3 };
    expect(sameState(st, { ...st })).toBe(true);
    expect(sameState(st, { ...st, rateVersion: 4 })).toBe(false);
  });
});

describe('api/chat send', () => {
  it('starts the send (Chat.StartSend returns at once) and resolves to the outcome chat:sent brings for its message id', async () => {
    const rt = installFakeRuntime();
    const f = installFakeBridge({ 'Chat.StartSend': () => true });
    let done: unknown = null;
    const sending = send({ conversationId: 1, messageId: 'm-1', text: 'Hi' }).then((o) => (done = o));
    await Promise.resolve();
    expect(f.calls).toEqual([{ struct: 'Chat', method: 'StartSend', args: [{ conversationId: 1, messageId: 'm-1', text: 'Hi' }] }]);
    // Stop is not held behind it: the call has returned while the reply is written.
    await new Promise((r) => setTimeout(r, 0));
    expect(done).toBeNull();
    rt.emit('chat:sent', { messageId: 'other', outcome: { message: null, error: { code: 'busy' } } });
    await new Promise((r) => setTimeout(r, 0));
    expect(done).toBeNull();
    const outcome = { message: { uid: 'm-1' }, error: null };
    rt.emit('chat:sent', { messageId: 'm-1', outcome });
    await sending;
    expect(done).toEqual(outcome);
    expect(rt.listenerCount('chat:sent')).toBe(0);
  });

  it('rejects when the start is refused, leaving no listener', async () => {
    const rt = installFakeRuntime();
    installFakeBridge({ 'Chat.StartSend': () => { throw 'send: a started send needs its message id'; } });
    await expect(send({ conversationId: 1, messageId: '' })).rejects.toThrow('a started send needs its message id');
    expect(rt.listenerCount('chat:sent')).toBe(0);
  });
});

describe('HIGH_THINKING', () => {
  it('says what meterdesk chat --estimate says (Go chat.HighThinkingWords, checked against the same file)', () => {
    expect(HIGH_THINKING).toBe(JSON.parse(estimateWords).highThinking);
  });
});
