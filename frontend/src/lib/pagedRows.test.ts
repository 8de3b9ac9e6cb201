import { describe, expect, it } from 'vitest';
import { PagedRows, type RowPage } from './pagedRows.svelte';

interface F { q: string; before?: number; limit?: number }

interface R { id: number; read?: boolean }

/**
 * A fake history of rows 1..n (newest = n), read newest first with a keyset
 * cursor as the backends do (ids below before; limit of them; the id of the
 * last as the next page's cursor when there are more). Filter "unread"
 * lists the rows not marked read.
 */
function history(n: number) {
  const reads: F[] = [];
  let rows: R[] = Array.from({ length: n }, (_, i) => ({ id: n - i }));
  const read = async (f: F): Promise<RowPage<R>> => {
    reads.push({ ...f });
    if (f.q === 'fail') throw 'read history: disk I/O error';
    const all = rows.filter((r) => (!f.before || r.id < f.before) && (f.q !== 'unread' || !r.read));
    const items = all.slice(0, f.limit ?? 0).map((r) => ({ ...r }));
    return { items, next: all.length > items.length && items.length ? items[items.length - 1].id : 0 };
  };
  return {
    read,
    reads,
    add: (k = 1) => {
      for (let i = 0; i < k; i++) rows = [{ id: rows.length + 1 }, ...rows];
    },
    mark: (id: number) => (rows = rows.map((r) => (r.id === id ? { ...r, read: true } : r))),
  };
}
const ids = (rows: { items: R[] }) => rows.items.map((r) => r.id);

describe('PagedRows', () => {
  it('loads a page, the next page, and refreshes what is shown with the filter it was read with', async () => {
    const h = history(6);
    const rows = new PagedRows<F, R>(h.read, 2, 3, { q: '' });
    await rows.load({ q: 'a', limit: 99 });
    expect(ids(rows)).toEqual([6, 5]);
    expect(h.reads[0]).toEqual({ q: 'a', before: 0, limit: 2 }); // the page size wins
    await rows.load();
    expect(ids(rows)).toEqual([6, 5, 4, 3]);
    expect(h.reads[1]).toEqual({ q: 'a', before: 5, limit: 2 });
    h.add();
    await rows.refresh();
    // Every row shown and the new one on top, with filter "a", at most max
    // rows (3) a read: from the newest, then on from the cursor.
    expect(h.reads.slice(2)).toEqual([{ q: 'a', before: 0, limit: 3 }, { q: 'a', before: 5, limit: 2 }]);
    expect(ids(rows)).toEqual([7, 6, 5, 4, 3]);
    expect(rows.next).toBe(3);
  });

  // A refresh re-read at most max rows: with more shown (pages added by
  // "Load more"), a Mark read cut the list back to max, the row clicked
  // gone with the cut if it was further down, and "Load more" came back.
  it.each([
    { what: 'a row marked read (within the first max)', mark: 7 },
    { what: 'a row marked read (beyond the first max)', mark: 2 },
    { what: 'nothing changed', mark: 0 },
  ])('keeps every page shown beyond max on refresh: $what', async ({ mark }) => {
    const h = history(13);
    const rows = new PagedRows<F, R>(h.read, 3, 5, { q: '' });
    await rows.load({ q: '' });
    for (let i = 0; i < 3; i++) await rows.load();
    expect(ids(rows)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]); // 12 shown, max 5
    expect(rows.next).toBe(2);
    if (mark) h.mark(mark);
    h.reads.length = 0;
    await rows.refresh();
    expect(ids(rows)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    expect(rows.next).toBe(2); // row 1 is still one "Load more" away
    expect(h.reads.map((r) => [r.before, r.limit])).toEqual([[0, 5], [9, 5], [4, 2]]);
    if (mark) expect(rows.items.find((r) => r.id === mark)?.read).toBe(true);
  });

  it('keeps every row shown when new ones arrive on top, however many pages', async () => {
    const h = history(10);
    const rows = new PagedRows<F, R>(h.read, 4, 5, { q: '' });
    await rows.load({ q: '' });
    await rows.load();
    expect(ids(rows)).toEqual([10, 9, 8, 7, 6, 5, 4, 3]);
    h.add(4);
    await rows.refresh();
    expect(ids(rows)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(rows.next).toBe(3);
    // More new ones than max in one go: max of them are added (a bound on
    // what one refresh reads), the oldest rows shown go below "Load more".
    h.add(7);
    await rows.refresh();
    expect(ids(rows)).toEqual([21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
    expect(rows.next).toBe(5);
  });

  it('fills the room of rows no longer listed with older ones, and stops at the end', async () => {
    const h = history(8);
    const rows = new PagedRows<F, R>(h.read, 3, 5, { q: 'unread' });
    await rows.load({ q: 'unread' });
    await rows.load();
    expect(ids(rows)).toEqual([8, 7, 6, 5, 4, 3]);
    h.mark(8);
    h.mark(5);
    await rows.refresh();
    expect(ids(rows)).toEqual([7, 6, 4, 3, 2, 1]);
    expect(rows.next).toBe(0);
  });

  it('keeps the rows when a read fails and says why', async () => {
    const h = history(3);
    const rows = new PagedRows<F, R>(h.read, 2, 10, { q: '' });
    await rows.load({ q: '' });
    await rows.load({ q: 'fail' });
    expect(rows.error).toBe('read history: disk I/O error');
    expect(ids(rows)).toEqual([3, 2]);
    expect(rows.loading).toBe(false);
  });

  it('shows the answer of the latest read: a late "Load more" of the old filter is dropped', async () => {
    let release: () => void = () => {};
    const reads: F[] = [];
    const read = async (f: F): Promise<RowPage<{ id: number; label: string }>> => {
      reads.push({ ...f });
      if (f.q === 'old' && f.before) await new Promise<void>((r) => (release = r)); // the slow "Load more"
      return { items: [{ id: 1, label: `${f.q}:${f.before ?? 0}` }], next: f.q === 'old' ? 7 : 0 };
    };
    const rows = new PagedRows<F, { id: number; label: string }>(read, 1, 10, { q: '' });
    await rows.load({ q: 'old' });
    const more = rows.load(); // Load more, still reading...
    await rows.load({ q: 'new' }); // ...when Filter is pressed with another filter
    release();
    await more;
    expect(rows.items.map((r) => r.label)).toEqual(['new:0']);
    expect(rows.next).toBe(0);
    expect(rows.loading).toBe(false);
  });
});

// A refresh asked for while "Load more" read (a notification event while
// "Show more" loaded older ones) was dropped: the new rows stayed out of the
// list until the next event, while the unread count read beside it already
// counted them. A "Load more" begun while a refresh read dropped the
// refresh's answer the same way. The refresh now runs once the read is done.
describe('PagedRows: a refresh and a "Load more" at once', () => {
  /** history(n) whose reads with a cursor wait for release() (a slow "Load more"). */
  function slow(n: number) {
    const h = history(n);
    let gate: Promise<void> | null = null;
    let open: () => void = () => {};
    const read = async (f: F): Promise<RowPage<R>> => {
      const answer = h.read(f); // read now: what the rows were when asked
      if (gate && f.before) await gate;
      return answer;
    };
    return {
      ...h,
      read,
      hold: () => (gate = new Promise<void>((r) => (open = r))),
      release: () => {
        gate = null;
        open();
      },
    };
  }
  it.each([
    { what: 'the refresh asked for during "Load more"', refreshFirst: false },
    { what: '"Load more" begun during the refresh', refreshFirst: true },
  ])('shows the new rows and the older page: $what', async ({ refreshFirst }) => {
    const h = slow(10);
    const rows = new PagedRows<F, R>(h.read, 3, 5, { q: '' });
    await rows.load({ q: '' });
    expect(ids(rows)).toEqual([10, 9, 8]);
    let more: Promise<void>, refreshed: Promise<void>;
    if (refreshFirst) {
      await rows.load(); // 7, 6, 5 shown too: a refresh reads two pages
      h.add(3); // 11, 12, 13: new on top
      h.hold();
      refreshed = rows.refresh(); // its second page (with a cursor) waits...
      await new Promise((r) => setTimeout(r, 0));
      more = rows.load(); // ...while "Show more" begins
    } else {
      h.add(2); // 11, 12: new on top
      h.hold();
      more = rows.load(); // "Show more" waits...
      refreshed = rows.refresh(); // ...while a notification event asks for a refresh
    }
    h.release();
    await Promise.all([more, refreshed]);
    const shown = ids(rows);
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown[0]).toBe(refreshFirst ? 13 : 12);
    // Contiguous from the newest: none missing between.
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => shown[0] - i));
    expect(shown.length).toBeGreaterThan(refreshFirst ? 7 : 5);
  });

  it('shows the new rows once "Load more" is done, without another refresh', async () => {
    const h = slow(10);
    const rows = new PagedRows<F, R>(h.read, 3, 5, { q: '' });
    await rows.load({ q: '' });
    h.add(2);
    h.hold();
    const more = rows.load();
    await rows.refresh(); // dropped before: "Load more" is reading
    h.release();
    await more;
    expect(ids(rows)).toEqual([12, 11, 10, 9, 8, 7, 6, 5]);
    expect(rows.loading).toBe(false);
  });
});

// More new rows between two refreshes than one read returns (max): the
// newest are shown, the rest and the rows shown before are below "Load
// more", each exactly once (keyset cursor: no row skipped or repeated).
describe('PagedRows: more than max new rows between two refreshes', () => {
  it.each([
    { pages: 1, fresh: 1500 },
    { pages: 6, fresh: 1500 },
    { pages: 1, fresh: 999 },
    { pages: 3, fresh: 2500 },
    { pages: 5, fresh: 1001 },
  ])('$pages page(s) shown, $fresh new', async ({ pages, fresh }) => {
    const h = history(3000);
    const rows = new PagedRows<F, R>(h.read, 200, 1000, { q: '' });
    await rows.load({ q: '' });
    for (let i = 1; i < pages; i++) await rows.load();
    h.add(fresh);
    await rows.refresh();
    expect(ids(rows)[0]).toBe(3000 + fresh);
    expect(rows.items.length).toBeLessThanOrEqual(pages * 200 + 1000);
    while (rows.next) await rows.load();
    const all = ids(rows);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(Array.from({ length: 3000 + fresh }, (_, i) => 3000 + fresh - i));
  });
});
