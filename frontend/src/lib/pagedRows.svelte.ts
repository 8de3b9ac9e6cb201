/**
 * Rows read page by page, newest first, with a keyset cursor ("Load more"),
 * for the paged lists (usage and credit history, the audit log, invoices,
 * notifications). The filter the rows were read with is kept apart from the
 * form, so refresh() re-reads the rows shown (new ones appear on top, the
 * pages loaded stay) even while the form is being edited. A refresh asked
 * for while "Load more" reads, or interrupted by one, runs when it is done.
 */

/** What a history read answers: a page of rows and the cursor of the next (0 = none). */
export interface RowPage<R> {
  items?: R[] | null;
  next: number;
}

/** The paging fields every history filter has. */
interface Paging {
  before?: number;
  limit?: number;
}

/** A row of a paged list: its id tells a row already shown from a new one. */
interface Row {
  id: number;
}

export class PagedRows<F extends Paging, R extends Row> {
  items = $state<R[]>([]);
  next = $state(0);
  loading = $state(false);
  error = $state<unknown>(null);
  private shown: F;
  /**
   * Counts reads: an answer is shown only if no read began after it
   * (bound calls run concurrently in the window, so a "Load more" of the
   * old filter can answer after the new filter's first page).
   */
  private seq = 0;
  /** A refresh is reading (its answer is dropped if a read begins meanwhile). */
  private refreshing = false;
  /**
   * A refresh was asked for while a "Load more" read, or a "Load more"
   * began while a refresh read (and dropped its answer): the refresh runs
   * once that read is done. Otherwise rows that came or changed meanwhile
   * (a new notification, one marked read elsewhere) stayed out of the list
   * until the next change, while a count read beside it (the unread badge)
   * already had them.
   */
  private again = false;

  /**
   * read fetches one page; page is the rows per page and max the most one
   * read may return (the backend's limit); initial is the filter before the
   * first load.
   */
  constructor(
    private readonly read: (f: F) => Promise<RowPage<R>>,
    private readonly page: number,
    private readonly max: number,
    initial: F,
  ) {
    this.shown = initial;
  }

  /** Reads the first page with filter (it becomes the rows' filter), or with none the next page of the rows shown. */
  async load(filter?: F): Promise<void> {
    this.error = null;
    this.loading = true;
    const mine = ++this.seq;
    const more = !filter;
    // A first page reads the newest rows anyway; "Load more" drops the
    // answer of a refresh reading now, which is then read again.
    if (filter) this.again = this.refreshing = false;
    else if (this.refreshing) this.again = true;
    try {
      if (filter) this.shown = { ...filter, limit: this.page };
      const page = await this.read({ ...this.shown, before: more ? this.next : 0 });
      if (mine !== this.seq) return; // a later read decides what is shown
      this.items = more ? [...this.items, ...(page.items ?? [])] : (page.items ?? []);
      this.next = page.next;
    } catch (err) {
      if (mine === this.seq) this.error = err;
    } finally {
      if (mine === this.seq) this.loading = false;
    }
    if (mine === this.seq && this.again) {
      this.again = false;
      await this.refresh();
    }
  }

  /**
   * Re-reads the rows shown with the filter they were read with: as many
   * as are shown (at least a page) plus the new ones above the newest row
   * shown, page by page with the cursor, at most max rows a read. So every
   * page loaded stays, however many "Load more" added (a re-read of at most
   * max rows cut 1,200 shown back to 1,000); a row no longer listed (read,
   * with "unread only") leaves room for the next older one.
   */
  async refresh(): Promise<void> {
    if (this.loading) {
      this.again = true; // run when the read in progress is done
      return;
    }
    const mine = ++this.seq;
    this.refreshing = true;
    const had = new Set(this.items.map((r) => r.id));
    let want = Math.max(this.page, this.items.length);
    // The rows above the first one shown before are new: they add to want,
    // up to max of them (a bound, should none of the rows shown be left).
    let fresh = had.size > 0;
    const items: R[] = [];
    let next = 0;
    let got = 0;
    try {
      do {
        const limit = Math.min(this.max, want - items.length);
        const page = await this.read({ ...this.shown, before: next, limit });
        if (mine !== this.seq) return;
        got = page.items?.length ?? 0;
        for (const r of page.items ?? []) {
          items.push(r);
          if (fresh && had.has(r.id)) fresh = false;
          else if (fresh && want < this.items.length + this.max) want++;
        }
        next = page.next;
      } while (next && got > 0 && items.length < want);
      this.items = items;
      this.next = next;
      this.error = null;
    } catch (err) {
      if (mine === this.seq) this.error = err;
    } finally {
      if (mine === this.seq) this.refreshing = false;
    }
  }
}
