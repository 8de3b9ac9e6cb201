import { describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import ChatMessage from './ChatMessage.svelte';
import chatMessageSource from './ChatMessage.svelte?raw';

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

describe('ChatMessage: a reply that ran out of output budget', () => {
  const charge = { summary: 'o3-mini · input 8 tokens (0.008 credits) · reasoning 16,384 tokens (65.536 credits) · total 65.544 credits', rateVersion: 1, hold: '65.544', amount: '65.544' };
  const spent = 'The model used its whole output budget (16,384 tokens) thinking and wrote no answer; raise Max output tokens in Model settings.';
  const reply = { ...message, uid: 'r2', role: 'assistant', content: '', status: 'done', model: 'o3-mini', charge, finishReason: 'length', outputBudget: 16384, note: spent };

  it('says the model spent it all thinking, above the charge, instead of showing only the charge', () => {
    render(ChatMessage, { message: reply as never });
    const note = screen.getByTestId('chat-reply-note');
    expect(note.textContent).toBe(spent);
    expect(note.compareDocumentPosition(screen.getByTestId('chat-breakdown')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.queryByTestId('chat-status-note')).toBeNull();
    expect(screen.queryByTestId('chat-copy')).toBeNull(); // nothing to copy
  });

  it('says a reply with text was cut off at its budget, under the text', () => {
    render(ChatMessage, { message: { ...reply, content: 'The first part', outputBudget: 4096, note: 'Cut off at the output budget (4,096 tokens).' } as never });
    expect(screen.getByTestId('chat-markdown').textContent).toContain('The first part');
    expect(screen.getByTestId('chat-reply-note').textContent).toBe('Cut off at the output budget (4,096 tokens).');
  });

  it('shows no note for a finished reply, a user message, or while the reply is written', () => {
    render(ChatMessage, { message: { ...reply, content: 'Done.', finishReason: 'stop', note: '' } as never });
    render(ChatMessage, { message: { ...message, note: '' } as never });
    render(ChatMessage, { message: reply as never, streaming: true });
    expect(screen.queryByTestId('chat-reply-note')).toBeNull();
  });
});

describe('ChatMessage: a reply cut off while the model only thought', () => {
  it('shows the error and the charge for the reasoning, not "Thinking…"', () => {
    const charge = { summary: 'deepseek-chat · input 10 tokens (0.005 credits) · reasoning 9 tokens (0.018 credits) · total 0.023 credits · estimated (the provider reported no usage)', rateVersion: 1, hold: '8.2', amount: '0.023' };
    const error = 'chat stream: the reply was cut off before it finished: unexpected EOF';
    render(ChatMessage, { message: { ...message, uid: 'r3', role: 'assistant', content: '', status: 'interrupted', error, charge, note: '', statusNote: `Interrupted: ${error}` } as never });
    expect(screen.getByTestId('chat-status-note').textContent).toBe(`Interrupted: ${error}`);
    expect(screen.getByTestId('chat-breakdown').textContent?.trim()).toBe(charge.summary);
    // What was set aside in its tooltip as the window shows credits ("8.20", not "8.2"), not the jargon "hold".
    expect(screen.getByTestId('chat-breakdown').getAttribute('title')).toBe('Rate version 1; 8.20 credits set aside for this reply');
    expect(screen.queryByTestId('chat-thinking')).toBeNull();
    expect(screen.queryByTestId('chat-copy')).toBeNull();
  });
});

describe('ChatMessage: the rates that priced a reply', () => {
  const charge = { summary: 'gpt-4o · input 8 tokens (0.016 credits) · total 0.016 credits', rateVersion: 3, ratesAt: '2026-11-03T09:30:00Z', hold: '1', amount: '0.016' };
  const reply = { ...message, uid: 'r9', role: 'assistant', content: 'Hi', status: 'done', charge, note: '' };

  it('says "priced at the rates of 3 Nov" once the rate table changed since, and the rates\' time in the tooltip', () => {
    render(ChatMessage, { message: reply as never, rateVersion: 4 });
    expect(screen.getByTestId('chat-rates-note').textContent).toBe('priced at the rates of 3 Nov'); // its " ·" ends the item before it
    expect(screen.getByTestId('chat-breakdown').textContent?.trim()).toBe(`${charge.summary} · priced at the rates of 3 Nov`);
    expect(screen.getByTestId('chat-breakdown').getAttribute('title')).toMatch(/^Rate version 3 \(rates of 2026-11-0[34] \d\d:\d\d\); 1\.00 credits set aside for this reply$/);
  });

  it('says nothing more when it was priced at the current rates, or the current version is not known', () => {
    render(ChatMessage, { message: reply as never, rateVersion: 3 });
    render(ChatMessage, { message: { ...reply, uid: 'r10' } as never });
    expect(screen.queryByTestId('chat-rates-note')).toBeNull();
  });
});

describe('ChatMessage: a turn someone other than the owner wrote', () => {
  const alice = { id: 1, name: 'alice' };

  it('labels a user turn "written by NAME" (a removed member by the people rule), above its text', () => {
    render(ChatMessage, { message: { ...message, content: 'Admin here', writtenBy: { id: 3, name: 'Dave (removed)' } } as never });
    const label = screen.getByTestId('chat-written-by');
    expect(label.textContent).toBe('written by Dave (removed)');
    expect(label.compareDocumentPosition(screen.getByText('Admin here')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('labels a reply "sent by NAME", unless the turn above names the same writer', () => {
    const reply = { ...message, uid: 'r4', role: 'assistant', content: 'Hello.', writtenBy: alice };
    const first = render(ChatMessage, { message: reply as never });
    expect(screen.getByTestId('chat-written-by').textContent).toBe('sent by alice');
    first.unmount();
    render(ChatMessage, { message: reply as never, sameSender: true });
    expect(screen.queryByTestId('chat-written-by')).toBeNull();
  });

  it("names no one on the owner's own messages", () => {
    render(ChatMessage, { message: message as never });
    render(ChatMessage, { message: { ...message, uid: 'r5', role: 'assistant', content: 'Hi' } as never });
    expect(screen.queryByTestId('chat-written-by')).toBeNull();
  });
});

describe('ChatMessage: the charges of the replies a reply replaced', () => {
  const charge = { summary: 'gpt-4o · input 8 tokens (0.016 credits) · total 0.032 credits', rateVersion: 3, hold: '1', amount: '0.032' };
  // Each one's line is Go's (chat.ReplacedReplyLine): the window shows it as it comes, and makes none of its own.
  const stopped = { uid: 'old1', status: 'stopped', model: 'gpt-4o', createdAt: '', charge: { ...charge, summary: 'gpt-4o · output 9 tokens (0.072 credits) · total 0.088 credits', amount: '0.088' },
    line: 'Stopped reply · gpt-4o · output 9 tokens (0.072 credits) · total 0.088 credits' };
  const edited = { uid: 'old2', status: 'done', model: 'gpt-4o', createdAt: '', writtenBy: { id: 2, name: 'Dave' }, charge,
    line: 'Reply sent by Dave · gpt-4o · input 8 tokens (0.016 credits) · total 0.032 credits' };

  it('shows a collapsed line with their count and cost, which opens to each one\'s breakdown', async () => {
    const reply = { ...message, uid: 'r20', role: 'assistant', content: 'Again', charge, note: '', replaced: { amount: '0.12', replies: [stopped, edited], summary: '2 earlier replies replaced · 0.12 credits' } };
    render(ChatMessage, { message: reply as never });
    const details = screen.getByTestId('chat-replaced') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(screen.getByTestId('chat-replaced-summary').textContent).toBe('2 earlier replies replaced · 0.12 credits');
    await fireEvent.click(screen.getByTestId('chat-replaced-summary'));
    expect(details.open).toBe(true);
    expect(screen.getAllByTestId('chat-replaced-reply').map((li) => li.textContent)).toEqual([
      'Stopped reply · gpt-4o · output 9 tokens (0.072 credits) · total 0.088 credits',
      'Reply sent by Dave · gpt-4o · input 8 tokens (0.016 credits) · total 0.032 credits',
    ]);
  });

  it('says "1 earlier reply", and nothing on a reply that replaced none', () => {
    render(ChatMessage, { message: { ...message, uid: 'r21', role: 'assistant', content: 'A', charge, note: '', replaced: { amount: '0.088', replies: [stopped], summary: '1 earlier reply replaced · 0.088 credits' } } as never });
    expect(screen.getByTestId('chat-replaced-summary').textContent).toBe('1 earlier reply replaced · 0.088 credits');
    render(ChatMessage, { message: { ...message, uid: 'r22', role: 'assistant', content: 'B', charge, note: '' } as never });
    expect(screen.getAllByTestId('chat-replaced')).toHaveLength(1);
  });
});

describe("ChatMessage: the replaced replies' line is Go's", () => {
  // Free replies replaced (a regenerate of a free model's reply): the window said "· 0.00 credits" under their own
  // lines ending "free"; Go's line (chat.ReplacedLine, which `conversations show` prints) says "free".
  it('shows a free one as free', () => {
    const free = { summary: 'llama3 · input 8 tokens · output 2 tokens · free', rateVersion: 1, hold: '0', amount: '0', free: true };
    const old = { uid: 'old9', status: 'done', model: 'llama3', createdAt: '', charge: free };
    render(ChatMessage, { message: { ...message, uid: 'r40', role: 'assistant', content: 'A', charge: free, note: '',
      replaced: { amount: '0', count: 1, replies: [old], summary: '1 earlier reply replaced · free' } } as never });
    expect(screen.getByTestId('chat-replaced-summary').textContent).toBe('1 earlier reply replaced · free');
  });
});

describe('ChatMessage: a page lists the newest replaced replies only', () => {
  const charge = { summary: 'gpt-4o · total 0.032 credits', rateVersion: 3, hold: '1', amount: '0.032' };
  const one = (i: number) => ({ uid: `old${i}`, status: 'done', model: 'gpt-4o', createdAt: '', charge, line: `Reply · gpt-4o · total 0.032 credits` });

  it('counts all of them in its line, and says how many more are not listed', async () => {
    // A reply that replaced 1,000 (an edit of a long conversation's first message): the page lists the newest 10.
    const replies = Array.from({ length: 10 }, (_, i) => one(i));
    const reply = { ...message, uid: 'r30', role: 'assistant', content: 'Again', charge, note: '', replaced: { amount: '32', count: 1000, replies, summary: '1,000 earlier replies replaced · 32.00 credits',
      notListed: 'and 990 earlier ones, not listed here (meterdesk conversations show lists them)' } };
    render(ChatMessage, { message: reply as never });
    expect(screen.getByTestId('chat-replaced-summary').textContent).toBe('1,000 earlier replies replaced · 32.00 credits');
    await fireEvent.click(screen.getByTestId('chat-replaced-summary'));
    expect(screen.getAllByTestId('chat-replaced-reply')).toHaveLength(10);
    expect(screen.getByTestId('chat-replaced-more').textContent).toBe('and 990 earlier ones, not listed here (meterdesk conversations show lists them)');
  });

  it("shows Go's words for each one and for those not listed, making none of its own", async () => {
    // Go makes them (chat.ReplacedReplyLine, chat.ReplacedNotListed), as `conversations show` prints them; the
    // window built its own from status, writtenBy and the charge, which `conversations show` did not print.
    const goes = { ...one(1), status: 'stopped', line: 'Stopped reply · the words Go made' };
    render(ChatMessage, { message: { ...message, uid: 'r32', role: 'assistant', content: 'A', charge, note: '', replaced: { amount: '0.064', count: 2,
      replies: [goes], summary: '2 earlier replies replaced · 0.064 credits', notListed: 'and the words Go made for 1 more' } } as never });
    await fireEvent.click(screen.getByTestId('chat-replaced-summary'));
    expect(screen.getAllByTestId('chat-replaced-reply').map((li) => li.textContent)).toEqual(['Stopped reply · the words Go made']);
    expect(screen.getByTestId('chat-replaced-more').textContent).toBe('and the words Go made for 1 more');
  });

  it('says nothing more when all are listed', () => {
    render(ChatMessage, { message: { ...message, uid: 'r31', role: 'assistant', content: 'A', charge, note: '', replaced: { amount: '0.032', count: 1, replies: [one(1)], summary: '1 earlier reply replaced · 0.032 credits' } } as never });
    expect(screen.queryByTestId('chat-replaced-more')).toBeNull();
  });
});

describe('ChatMessage: a cost line that wraps', () => {
  it('keeps each separator at the end of its item, so no wrapped line starts with "·"', () => {
    const summary = 'gpt-4o · input 1,523 tokens (3.05 credits) · cached input 200 tokens (0.1 credits) · output 1,247 tokens (12.47 credits) · total 15.62 credits';
    const charge = { summary, rateVersion: 3, ratesAt: '2026-11-03T09:30:00Z', hold: '20', amount: '15.62' };
    for (const rateVersion of [3, 4]) {
      cleanup();
      render(ChatMessage, { message: { ...message, uid: 'r1', role: 'assistant', content: 'Hi', status: 'done', charge, note: '' } as never, rateVersion });
      const line = screen.getByTestId('chat-breakdown');
      const items = [...line.querySelectorAll(':scope > .item')];
      const want = [...summary.split(' · '), ...(rateVersion === 4 ? ['priced at the rates of 3 Nov'] : [])];
      expect(items.map((el) => el.firstChild?.textContent)).toEqual(want);
      // Every item but the last ends with its separator, " ·", inside it (the break after it is the plain space
      // between items); nothing in the line starts with the dot.
      items.forEach((el, i) => {
        const sep = el.querySelector('.sep');
        if (i === items.length - 1) expect(sep).toBeNull();
        else {
          expect(el.lastElementChild === sep).toBe(true);
          expect(el.textContent!.endsWith(' ·')).toBe(true); // nothing after it in the item
          expect(sep!.textContent).toBe(' ·');
        }
        expect(el.textContent!.trimStart().startsWith('·')).toBe(false);
      });
      for (const node of line.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) expect(['', ' ']).toContain(node.textContent); // the break is the space between items
      }
      expect(line.textContent).toBe(want.join(' · ')); // read (and copied) as the summary
    }
    // No break inside a separator: its space and its dot stay on the item's line.
    expect(chatMessageSource).toMatch(/\.breakdown \.sep \{ white-space: nowrap; \}/);
  });
});

describe('ChatMessage: a reply whose code holds bidi controls', () => {
  it('shows them as markers under a note, and Copy copies the reply exactly, controls included', async () => {
    const content = 'Try:\n\n```js\nif (ok) { /* \u202e } \u2066if (admin)\u2069 \u2066 begin admins only */\n```\n';
    const copied: string[] = [];
    const clipboard = navigator.clipboard;
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void copied.push(t) } });
    try {
      render(ChatMessage, { message: { ...message, role: 'assistant', content } as never });
      const shown = screen.getByTestId('chat-message-assistant');
      expect(shown.textContent).toContain('This code contains hidden bidirectional characters');
      expect(shown.querySelector('pre')!.textContent).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      expect(shown.querySelector('pre')!.textContent).toContain('⟪RLO⟫');
      await fireEvent.click(screen.getByTestId('chat-copy'));
      await waitFor(() => expect(copied).toEqual([content]));
    } finally {
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: clipboard });
      cleanup();
    }
  });
});

// A stopped free reply said "Stopped — charged for what was generated." over a cost line that ends "free" (the
// window made the words itself); they are now Go's (chat.StatusNote, which `conversations show` prints), which
// tell a free reply apart (backend/chat TestStatusNoteOfAStoppedReply).
describe('ChatMessage: how a reply that did not finish ended, in Go\'s words', () => {
  const free = { summary: 'llama3 · input 311 tokens · output 14 tokens · free · token counts estimated (the provider reported no usage)',
    rateVersion: 1, hold: '0', amount: '0', free: true };
  const paid = { summary: 'gpt-4o · input 8 tokens (0.016 credits) · output 9 tokens (0.072 credits) · total 0.088 credits', rateVersion: 1, hold: '33', amount: '0.088' };
  for (const [name, charge, said] of [
    ['free', free, 'Stopped — free, nothing charged.'],
    ['paid', paid, 'Stopped — charged for what was generated.'],
  ] as const) {
    it(`says a stopped ${name} as Go words it`, () => {
      render(ChatMessage, { message: { ...message, uid: 'r9', role: 'assistant', content: 'w0 w1', status: 'stopped', charge, note: '', statusNote: said } as never });
      expect(screen.getByTestId('chat-status-note').textContent).toBe(said);
      cleanup();
    });
  }
});

// A free reply's cost line ends "free" (Go chat.Summary), but its tooltip said "0.00 credits set aside for this
// reply", the words the line no longer uses; Go's charge.free (chat.Free: nothing was set aside for it) says it is
// free. A paid reply's tooltip keeps its amount, "0.00" included (backend/chat TestNoOutputOfAPaidModelIsNotFree).
describe('ChatMessage: the tooltip of a free reply', () => {
  it('says nothing was set aside, not "0.00 credits"', () => {
    const free = { summary: 'llama3 · input 8 tokens · output 2 tokens · free', rateVersion: 1, hold: '0', amount: '0', free: true };
    render(ChatMessage, { message: { ...message, uid: 'r50', role: 'assistant', content: 'Hi', status: 'done', charge: free, note: '' } as never });
    expect(screen.getByTestId('chat-breakdown').getAttribute('title')).toBe('Rate version 1; free: nothing set aside for this reply');
    cleanup();
    const paid = { summary: 'half · input 8 tokens (0.00 credits) · total 0.00 credits', rateVersion: 1, hold: '0.08', amount: '0', free: false };
    render(ChatMessage, { message: { ...message, uid: 'r51', role: 'assistant', content: '', status: 'done', charge: paid, note: '' } as never });
    expect(screen.getByTestId('chat-breakdown').getAttribute('title')).toBe('Rate version 1; 0.08 credits set aside for this reply');
  });
});
