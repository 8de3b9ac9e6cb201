import { describe, expect, it } from 'vitest';
import { PagedRows, type RowPage } from './pagedRows.svelte';

interface F { q: string; before?: number; limit?: number }

/** A fake history of rows 1..n (newest = n), read newest first with a keyset cursor. */
function history(n: number) {
  const reads: F[] = [];
  let total = n;
  const read = async (f: F): Promise<RowPage<number>> => {
    reads.push({ ...f });
    if (f.q === 'fail') throw 'read history: disk I/O error';
    const top = f.before ? f.before - 1 : total;
    const items = Array.from({ length: Math.max(0, Math.min(f.limit ?? 0, top)) }, (_, i) => top - i);
    const last = items[items.length - 1];
    return { items, next: last && last > 1 ? last : 0 };
  };
  return { read, reads, add: () => total++ };
}

describe('PagedRows', () => {
  it('loads a page, the next page, and refreshes what is shown with the filter it was read with', async () => {
    const h = history(5);
    const rows = new PagedRows<F, number>(h.read, 2, 3, { q: '' });
    await rows.load({ q: 'a', limit: 99 });
    expect(rows.items).toEqual([5, 4]);
    expect(h.reads[0]).toEqual({ q: 'a', before: 0, limit: 2 }); // the page size wins
    await rows.load();
    expect(rows.items).toEqual([5, 4, 3, 2]);
    expect(h.reads[1]).toEqual({ q: 'a', before: 4, limit: 2 });
    h.add();
    await rows.refresh();
    // At most max rows (3) re-read, from the newest, with filter "a".
    expect(h.reads[2]).toEqual({ q: 'a', before: 0, limit: 3 });
    expect(rows.items).toEqual([6, 5, 4]);
    expect(rows.next).toBe(4);
  });

  it('keeps the rows when a read fails and says why', async () => {
    const h = history(3);
    const rows = new PagedRows<F, number>(h.read, 2, 10, { q: '' });
    await rows.load({ q: '' });
    await rows.load({ q: 'fail' });
    expect(rows.error).toBe('read history: disk I/O error');
    expect(rows.items).toEqual([3, 2]);
    expect(rows.loading).toBe(false);
  });

  it('shows the answer of the latest read: a late "Load more" of the old filter is dropped', async () => {
    let release: () => void = () => {};
    const reads: F[] = [];
    const read = async (f: F): Promise<RowPage<string>> => {
      reads.push({ ...f });
      if (f.q === 'old' && f.before) await new Promise<void>((r) => (release = r)); // the slow "Load more"
      return { items: [`${f.q}:${f.before ?? 0}`], next: f.q === 'old' ? 7 : 0 };
    };
    const rows = new PagedRows<F, string>(read, 1, 10, { q: '' });
    await rows.load({ q: 'old' });
    const more = rows.load(); // Load more, still reading...
    await rows.load({ q: 'new' }); // ...when Filter is pressed with another filter
    release();
    await more;
    expect(rows.items).toEqual(['new:0']);
    expect(rows.next).toBe(0);
    expect(rows.loading).toBe(false);
  });
});
