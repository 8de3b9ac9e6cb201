import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import BalanceBadge from './BalanceBadge.svelte';
import ErrorBanner from './ErrorBanner.svelte';
import EmptyState from './EmptyState.svelte';
import Markdown from './Markdown.svelte';
import Toasts from './Toasts.svelte';
import { BackendError } from '../api/errors';
import { toast, TOAST_TIMEOUT } from '../lib/toast.svelte';
import { installFakeRuntime } from '../test/fakeBridge';
import { TOAST_GAP } from '../lib/toastPlace';
import toastsSource from './Toasts.svelte?raw';
import { flushSync } from 'svelte';

describe('BalanceBadge', () => {
  it.each([
    ['1234567.891', '1,234,567.891', false],
    ['7', '7.00', false],
    ['-12.5', '-12.50', true],
    ['0.000000001', '0.000000001', false],
    [null, '—', false],
    ['garbage', '—', false],
  ])('%s shows %s', (balance, text, negative) => {
    render(BalanceBadge, { balance });
    expect(screen.getByTestId('balance-amount').textContent).toBe(text);
    expect(screen.getByTestId('balance-badge').classList.contains('negative')).toBe(negative);
  });

  it('puts the exact amount in the tooltip too', () => {
    render(BalanceBadge, { balance: '10.123456789' });
    expect(screen.getByTestId('balance-badge').title).toBe('Balance: 10.123456789 credits');
  });

  it('explains errors', () => {
    render(BalanceBadge, { balance: null, error: 'offline' });
    expect(screen.getByTestId('balance-badge').title).toBe('Balance unavailable: offline');
    expect(screen.getByRole('button', { name: 'Balance — credits (unavailable: offline)' })).toBeTruthy();
  });

  it('is named by what it shows ("Balance 7.00 cr" is in its name), "cr" read as credits', () => {
    render(BalanceBadge, { balance: '7', onclick: () => {} });
    const badge = screen.getByRole('button', { name: 'Balance 7.00 credits' });
    expect(badge).toBe(screen.getByTestId('balance-badge'));
    expect(badge.hasAttribute('aria-label')).toBe(false); // no name that differs from the text on screen
  });

  // The account that pays for the member's sends, as Credits.MyBalance names it.
  it.each([
    ['the pool', { account: 'pool', kind: 'pool', name: '' }, '123', 'Workspace pool', '123.00',
      "The workspace pool's credits, which pay for your messages"],
    ['a department', { account: 'dept:3', kind: 'department', name: 'Research', accountName: "Research department's credits" }, '45', 'Research', '45.00',
      "Research department's credits, which pay for your messages"],
    ['a department named so', { account: 'dept:4', kind: 'department', name: 'Legal Department', accountName: "Legal Department's credits" }, '1', 'Legal Department', '1.00',
      "Legal Department's credits, which pay for your messages"],
    ['a department whose name is not readable', { account: 'dept:5', kind: 'department', name: '' }, '2', 'Department', '2.00',
      "Your department's credits, which pay for your messages"],
    ['the wallet', { account: 'user:2', kind: 'wallet', name: '' }, '10', 'Your wallet', '10.00',
      "Your wallet's credits, which pay for your messages"],
  ] as const)('names %s: "%s"', (_, payer, balance, label, amount, full) => {
    render(BalanceBadge, { balance, payer, onclick: () => {} });
    const badge = screen.getByTestId('balance-badge');
    expect(screen.getByTestId('balance-label').textContent).toBe(label);
    expect(badge.textContent).not.toContain('Balance');
    expect(badge.title).toBe(`${label}: ${amount} credits\n${full}`);
    // Named by what it shows first (speech input), then whose credits they are.
    expect(screen.getByRole('button', { name: `${label} ${amount} credits: ${full}` })).toBe(badge);
    expect(badge.hasAttribute('aria-label')).toBe(false);
  });

  it('names the account when the balance cannot be read', () => {
    render(BalanceBadge, { balance: '45', payer: { account: 'dept:3', kind: 'department', name: 'Research', accountName: "Research department's credits" }, error: 'offline' });
    expect(screen.getByTestId('balance-badge').title)
      .toBe("Research unavailable: offline\nResearch department's credits, which pay for your messages");
    expect(screen.getByRole('button', {
      name: "Research 45.00 credits (unavailable: offline): Research department's credits, which pay for your messages",
    })).toBeTruthy();
  });

  it('follows a change of payer (the member moved, or paid by their wallet)', async () => {
    const { rerender } = render(BalanceBadge, { balance: '45', payer: { account: 'dept:3', kind: 'department', name: 'Research', accountName: "Research department's credits" } });
    expect(screen.getByTestId('balance-label').textContent).toBe('Research');
    await rerender({ balance: '10', payer: { account: 'user:2', kind: 'wallet', name: '' } });
    expect(screen.getByTestId('balance-label').textContent).toBe('Your wallet');
    expect(screen.getByTestId('balance-badge').title).toContain("Your wallet's credits");
  });
});

describe('ErrorBanner', () => {
  it('renders nothing without an error', () => {
    render(ErrorBanner, { error: null });
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('shows the backend message and retries', async () => {
    let retried = 0;
    render(ErrorBanner, { error: new BackendError('X.Y', 'top up pool: insufficient funds'), onretry: () => retried++ });
    expect(screen.getByRole('alert').textContent).toContain('top up pool: insufficient funds');
    expect(screen.getByRole('alert').textContent).toContain('Something went wrong');
    await fireEvent.click(screen.getByTestId('error-banner-retry'));
    expect(retried).toBe(1);
  });

  it('says when the backend is not connected', () => {
    render(ErrorBanner, { error: new BackendError('X.Y', 'The Meterdesk backend is not connected.', 'unavailable') });
    expect(screen.getByRole('alert').textContent).toContain('Backend not connected');
  });
});

describe('EmptyState', () => {
  it('shows title and description', () => {
    render(EmptyState, { title: 'Nothing here', description: 'Add something.', testid: 'empty-x' });
    const el = screen.getByTestId('empty-x');
    expect(el.querySelector('h2')?.textContent).toBe('Nothing here');
    expect(el.textContent).toContain('Add something.');
  });
});

describe('Markdown', () => {
  it('opens links externally without navigating the window', async () => {
    const rt = installFakeRuntime();
    render(Markdown, { source: 'see [docs](https://example.com/docs) and [bad](javascript:alert(1))' });
    const links = screen.getByTestId('markdown').querySelectorAll('a');
    const before = window.location.href;
    const ev = new MouseEvent('click', { bubbles: true, cancelable: true });
    links[0].dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(true);
    expect(rt.opened).toEqual(['https://example.com/docs']);
    await fireEvent.click(links[1]);
    expect(rt.opened).toHaveLength(1);
    expect(window.location.href).toBe(before);
  });

  it('never renders script', () => {
    render(Markdown, { source: '<script>window.pwned = 1</script><img src=x onerror="window.pwned=1">' });
    expect(screen.getByTestId('markdown').querySelector('script,[onerror]')).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });
});

describe('Toasts', () => {
  it('shows and dismisses toasts', async () => {
    render(Toasts);
    toast.success('Saved it');
    toast.error(new BackendError('A.B', 'nope'));
    flushSync();
    expect(screen.getByTestId('toast-success').textContent).toContain('Saved it');
    expect(screen.getByRole('alert').textContent).toContain('nope');
    await fireEvent.click(screen.getByTestId('toast-success').querySelector('button')!);
    expect(screen.queryByTestId('toast-success')).toBeNull();
    toast.clear();
  });

  it('sit bottom-right, clear of the sidebar, and rise above a control at the foot marked data-toast-above', () => {
    // Tests load no component CSS: the side is read from the component.
    expect(toastsSource).toMatch(/\.toasts\s*\{[^}]*\bright:\s*var\(--space-3\)/);
    expect(toastsSource).not.toMatch(/\.toasts\s*\{[^}]*\bleft:/);
    const composer = document.createElement('form');
    composer.dataset.toastAbove = '';
    document.body.append(composer);
    const h = window.innerHeight;
    composer.getBoundingClientRect = () => ({ top: h - 100, bottom: h - 10, left: 240, right: 1270, width: 1030, height: 90 }) as DOMRect;
    try {
      render(Toasts);
      const region = screen.getByTestId('toasts');
      expect(region.getAttribute('aria-live')).toBe('polite'); // still announced
      toast.info('Saved');
      flushSync();
      expect(region.style.bottom).toBe(`calc(var(--space-3) + ${100 + TOAST_GAP}px)`);
    } finally {
      composer.remove();
      toast.clear();
    }
  });

  it('measures again while a toast is up: a marked bar appearing or going, and a route change', async () => {
    const h = window.innerHeight;
    const bar = (top: number) => {
      const el = document.createElement('div');
      el.setAttribute('data-toast-above', '');
      el.getBoundingClientRect = () => ({ top, bottom: h, left: 240, right: 1270, width: 1030, height: h - top }) as DOMRect;
      return el;
    };
    const page = document.createElement('main');
    document.body.append(page);
    try {
      render(Toasts);
      const region = screen.getByTestId('toasts');
      toast.info('Imported');
      flushSync();
      expect(region.style.bottom).toBe('calc(var(--space-3) + 0px)');
      // The Rates Save bar appears (a first edit) while the toast is up: the toast rises above it.
      const savebar = bar(h - 60);
      page.append(savebar);
      await waitFor(() => expect(region.style.bottom).toBe(`calc(var(--space-3) + ${60 + TOAST_GAP}px)`));
      // Saved: the bar goes, the toast comes back down.
      savebar.remove();
      await waitFor(() => expect(region.style.bottom).toBe('calc(var(--space-3) + 0px)'));
      // Marked inside something added (a page's section holding its composer).
      const section = document.createElement('section');
      section.append(bar(h - 120));
      page.append(section);
      await waitFor(() => expect(region.style.bottom).toBe(`calc(var(--space-3) + ${120 + TOAST_GAP}px)`));
      // A route change: the same element lies lower once the new route has rendered (another page's layout).
      // As the app's router does, a hashchange listener registered after the toast's changes the route, and
      // the page renders in a microtask (Svelte's flush): the toast measures after that, not when the event comes.
      const route = () => queueMicrotask(() => {
        (section.firstElementChild as HTMLElement).getBoundingClientRect = () =>
          ({ top: h - 80, bottom: h, left: 240, right: 1270, width: 1030, height: 80 }) as DOMRect;
      });
      window.addEventListener('hashchange', route);
      try {
        window.dispatchEvent(new HashChangeEvent('hashchange'));
        flushSync();
        await waitFor(() => expect(region.style.bottom).toBe(`calc(var(--space-3) + ${80 + TOAST_GAP}px)`));
      } finally {
        window.removeEventListener('hashchange', route);
      }
      // A change that adds no marked control measures nothing (a reply streaming in): the lift stays.
      (section.firstElementChild as HTMLElement).getBoundingClientRect = () =>
        ({ top: h - 200, bottom: h, left: 240, right: 1270, width: 1030, height: 200 }) as DOMRect;
      page.append(document.createElement('p'));
      await new Promise((r) => setTimeout(r, 0));
      flushSync();
      expect(region.style.bottom).toBe(`calc(var(--space-3) + ${80 + TOAST_GAP}px)`);
    } finally {
      page.remove();
      toast.clear();
    }
  });

  it('measures again when a marked control changes size while a toast is up (a composer growing as one types)', async () => {
    const h = window.innerHeight;
    const observers: { cb: ResizeObserverCallback; watched: Element[] }[] = [];
    vi.stubGlobal('ResizeObserver', class {
      watched: Element[] = [];
      constructor(cb: ResizeObserverCallback) { observers.push({ cb, watched: this.watched }); }
      observe(el: Element) { this.watched.push(el); }
      unobserve() {}
      disconnect() { this.watched.length = 0; }
    });
    const composer = document.createElement('form');
    composer.dataset.toastAbove = '';
    let top = h - 100;
    composer.getBoundingClientRect = () => ({ top, bottom: h, left: 240, right: 1270, width: 1030, height: h - top }) as DOMRect;
    document.body.append(composer);
    try {
      render(Toasts);
      const region = screen.getByTestId('toasts');
      toast.info('Saved');
      flushSync();
      expect(region.style.bottom).toBe(`calc(var(--space-3) + ${100 + TOAST_GAP}px)`);
      const watching = observers.filter((o) => o.watched.includes(composer));
      expect(watching).toHaveLength(1); // the marked control is watched, once
      // The composer grows by two lines: no node is added or removed, only its size changes.
      top = h - 160;
      watching[0].cb([], {} as ResizeObserver);
      flushSync();
      expect(region.style.bottom).toBe(`calc(var(--space-3) + ${160 + TOAST_GAP}px)`);
      // Nothing is watched once the toast has gone.
      toast.clear();
      flushSync();
      expect(observers.every((o) => o.watched.length === 0)).toBe(true);
    } finally {
      composer.remove();
      toast.clear();
      vi.unstubAllGlobals();
    }
  });

  it('rise above a marked control that appears after the toast came (a send refused under a low-balance warning)', async () => {
    const h = window.innerHeight;
    let refusal: HTMLElement | undefined;
    try {
      render(Toasts);
      const region = screen.getByTestId('toasts');
      toast.warning('Research has 4.00 credits left', 'Department Research is running low');
      flushSync();
      expect(region.style.bottom).toBe('calc(var(--space-3) + 0px)'); // nothing marked in view yet
      refusal = document.createElement('div');
      refusal.dataset.toastAbove = '';
      refusal.getBoundingClientRect = () => ({ top: h - 220, bottom: h - 140, left: 240, right: 1270, width: 1030, height: 80 }) as DOMRect;
      document.body.append(refusal);
      await waitFor(() => expect(region.style.bottom).toBe(`calc(var(--space-3) + ${220 + TOAST_GAP}px)`));
    } finally {
      refusal?.remove();
      toast.clear();
    }
  });

  it('keeps a toast while the pointer is on it', async () => {
    vi.useFakeTimers();
    try {
      render(Toasts);
      toast.info('Read me');
      flushSync();
      const el = screen.getByTestId('toast-info');
      await fireEvent.mouseEnter(el);
      vi.advanceTimersByTime(60_000);
      flushSync();
      expect(screen.getByTestId('toast-info').textContent).toContain('Read me');
      await fireEvent.mouseLeave(el); // the countdown goes on from where it stopped
      vi.advanceTimersByTime(TOAST_TIMEOUT.info - 1);
      flushSync();
      expect(screen.getByTestId('toast-info')).toBeTruthy();
      vi.advanceTimersByTime(1);
      flushSync();
      expect(screen.queryByTestId('toast-info')).toBeNull();
    } finally {
      toast.clear();
      vi.useRealTimers();
    }
  });
});
