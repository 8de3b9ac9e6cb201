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
