import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Statements from './Statements.svelte';
import Dialog from '../components/Dialog.svelte';
import { installFakeBridge, installFakeRuntime, refusal } from '../test/fakeBridge';
import { session } from '../lib/session.svelte';
import { toast } from '../lib/toast.svelte';
import { formatCredits } from '../lib/money';
// Statements as Go's Statements.Preview answers them (backend/statements/table_words_test.go writes and checks the file).
import statementTables from '../../../backend/statements/testdata/statement_tables.json?raw';

const party = (name = '') => ({ name, address: '', taxId: '', email: '' });
const invoice = { id: 1, number: 'INV-000001', kind: 'invoice', transferId: 7, issueDate: '2026-11-20', seller: party('Acme GmbH'), buyer: party(),
  description: '1,000 credits for the workspace pool', credits: '1000', net: '19.99', taxRate: '19', tax: '3.80', gross: '23.79', currency: 'EUR' };
const statement = { month: '2026-11', scope: 'workspace', scopeName: 'Acme', accountName: '', account: 'pool', opening: '0', topUps: '0', usage: '0', refunds: '0',
  transfersIn: '0', transfersOut: '0', adjustments: '0', expiry: '0', closing: '0', lines: 0, usageByModel: [], usageByCostCentre: [], breakdowns: breakdowns('', '0'), generated: '' };

/**
 * The usage tables Go sends with a statement (statements.Breakdown), in its words: "Usage by model" for the
 * workspace, "Paid from <account>, by model" for a member's or department's account; by department has no words
 * for none (by model's say it once).
 */
function breakdowns(accountName: string, usage: string, byModel: any[] = [], byDept: any[] = []) {
  const head = (by: string) => (accountName ? `Paid from ${accountName}, by ${by}` : `Usage by ${by}`);
  const none = accountName ? `No usage was paid from ${accountName} this month.` : 'No usage this month.';
  return [
    { by: 'model', heading: head('model'), columns: ['Model', 'Messages', 'Credits'], lines: byModel, totalLabel: 'Total', total: usage, none },
    { by: 'department', heading: head('department'), columns: ['Department', 'Messages', 'Credits'], lines: byDept, totalLabel: 'Total', total: usage, none: '' },
  ];
}

/**
 * A statement's balance summary as Go sends it (statements.SummaryRow, summaryRows): nine rows in the PDF's order and
 * words, amounts signed as they move the balance; for a member or department the usage row names the account.
 * Added by setup to a mock statement that has none.
 */
function summaryRows(st: any) {
  const neg = (v: string) => (v === '0' || v.startsWith('-') ? v.replace(/^-/, '') : `-${v}`);
  const row = (key: string, label: string, amount: string, balance = false) => ({ key, label, amount, balance });
  return [
    row('opening', 'Opening balance', st.opening, true), row('topUps', 'Top-ups', st.topUps),
    row('usage', st.accountName ? `Usage paid from ${st.accountName}` : 'Usage', neg(st.usage)), row('refunds', 'Refunds', st.refunds),
    row('transfersIn', 'Transfers in', st.transfersIn), row('transfersOut', 'Transfers out', neg(st.transfersOut)),
    row('adjustments', 'Adjustments', st.adjustments), row('expiry', 'Expired', neg(st.expiry)), row('closing', 'Closing balance', st.closing, true),
  ];
}

/** A member's or department's attributed usage as Go sends it (Statement.attributedUsage), with attributed. */
function attributed(scopeName: string, lines: any[], total: string) {
  return { attributed: lines, attributedTotal: total, attributedUsage: { by: 'model', heading: `Usage attributed to ${scopeName} (any payer)`,
    columns: ['Model', 'Messages', 'Credits'], lines, totalLabel: 'Total', total, none: 'No usage this month.' } };
}

/**
 * Statements.InvoicesPage and InvoicesState over list (newest first, read at
 * each call), as the backend pages it: limit (0: 50) below id before.
 */
function invoiceHandlers(list: any[]) {
  return {
    'Statements.InvoicesPage': (before: number, limit: number) => {
      const rest = list.filter((i) => !before || i.id < before);
      const items = rest.slice(0, limit || 50);
      return { items, next: rest.length > items.length ? items.at(-1).id : 0 };
    },
    'Statements.InvoicesState': () => ({ lastId: Math.max(0, ...list.map((i) => i.id)), pending: 0 }),
  };
}

function setup(extra: Record<string, (...args: any[]) => unknown> = {}, role: 'admin' | 'member' = 'admin') {
  session.set({ signedIn: true, actor: { userId: role === 'admin' ? 1 : 2, name: role === 'admin' ? 'alice' : 'bob', role } } as never);
  const rt = installFakeRuntime();
  const list = [invoice];
  const handlers: Record<string, (...args: any[]) => unknown> = {
    'Statements.Preview': () => statement,
    ...invoiceHandlers(list),
    'Statements.Parties': () => ({ seller: party('Acme GmbH'), buyer: party() }),
    'Team.Departments': () => [],
    'Team.Members': () => [],
    'Team.Workspace': () => ({ name: 'Acme', currency: 'EUR', creditValue: '0.01', taxId: '', address: '', timeZone: 'UTC', idleLockMinutes: 15 }),
    'Statements.ChooseFile': (_kind: string, name: string) => `/tmp/${name}`,
    'Statements.Export': () => 'job-1',
    'Statements.CreditNote': (number: string, reason: string) => {
      const cn = { ...invoice, id: 2, number: 'CN-000001', kind: 'credit_note', corrects: number, reason, gross: '-23.79' };
      list.unshift(cn);
      return cn;
    },
    ...extra,
  };
  // Go sends every statement with its summary rows: a mock statement without them gets Go's (summaryRows).
  const preview = handlers['Statements.Preview'];
  handlers['Statements.Preview'] = (...args: any[]) => {
    const st = preview(...args) as any;
    return st && !st.summary ? { ...st, summary: summaryRows(st) } : st;
  };
  const f = installFakeBridge(handlers);
  render(Statements, { params: {}, query: {} });
  render(Dialog);
  return { f, rt };
}

describe('Statements page: month', () => {
  it("opens on the current month in the workspace zone, not this computer's", async () => {
    // 30 Nov 23:30 in Los Angeles (where the tests run) is already December in Berlin.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.UTC(2026, 11, 1, 7, 30)));
    try {
      const { f } = setup({
        'Team.Workspace': () => ({ name: 'Acme', currency: 'EUR', creditValue: '0.01', taxId: '', address: '', timeZone: 'Europe/Berlin', idleLockMinutes: 15 }),
      });
      await waitFor(() => expect(f.calls.some((c) => c.method === 'Preview')).toBe(true));
      expect(f.calls.find((c) => c.method === 'Preview')!.args[0]).toMatchObject({ month: '2026-12' });
      expect((screen.getByTestId('statements-month') as HTMLInputElement).value).toBe('2026-12');
    } finally {
      vi.useRealTimers();
    }
  });

  it("marks a month Go refused, by the field its refusal names, in Go's words without the operation", async () => {
    // app/testdata/refusal_words.json's "statement month" (the window itself says "Choose a month" for a cleared
    // picker and never sends it; a month Go refuses otherwise is shown in Go's words, as here).
    const refused = refusal('statement: invalid month "": want YYYY-MM, e.g. 2025-03', 'Invalid month "": want YYYY-MM, e.g. 2025-03', 'month');
    let refuse = true;
    setup({ 'Statements.Preview': () => { if (refuse) throw refused; return statement; } });
    const month = screen.getByTestId('statements-month');
    await waitFor(() => expect(screen.getByTestId('statements-error-message').textContent).toBe('Invalid month "": want YYYY-MM, e.g. 2025-03'));
    expect(month.getAttribute('aria-invalid')).toBe('true');
    expect(month.getAttribute('aria-describedby')).toBe('statements-error');
    refuse = false;
    await fireEvent.click(screen.getByTestId('statements-preview'));
    await waitFor(() => expect(screen.queryByTestId('statements-error')).toBeNull());
    expect([month.getAttribute('aria-invalid'), month.getAttribute('aria-describedby')]).toEqual(['false', null]);
  });

  it('says "Choose a month" for a cleared month picker, marked on it, and asks Go nothing (the CLI keeps Go\'s "want YYYY-MM")', async () => {
    const { f } = setup();
    await waitFor(() => expect(screen.getByTestId('statements-summary')).toBeTruthy());
    const month = screen.getByTestId('statements-month') as HTMLInputElement;
    await fireEvent.input(month, { target: { value: '' } });
    const before = f.calls.length;
    // An export of the month shown, the picker cleared meanwhile: the same words, no file asked for.
    await fireEvent.click(screen.getByTestId('statements-save-pdf'));
    await waitFor(() => expect(screen.getByTestId('statements-error-message').textContent).toBe('Choose a month'));
    await fireEvent.click(screen.getByTestId('statements-preview'));
    await waitFor(() => expect(screen.queryByTestId('statements-summary')).toBeNull());
    expect(screen.getByTestId('statements-error-message').textContent).toBe('Choose a month');
    expect([month.getAttribute('aria-invalid'), month.getAttribute('aria-describedby')]).toEqual(['true', 'statements-error']);
    expect(f.calls.slice(before).filter((c) => ['Preview', 'ChooseFile', 'Export'].includes(c.method))).toEqual([]);
    expect(screen.getByTestId('statements-error').textContent).not.toContain('YYYY-MM');
    await fireEvent.input(month, { target: { value: '2026-10' } });
    await fireEvent.click(screen.getByTestId('statements-preview'));
    await waitFor(() => expect(screen.queryByTestId('statements-error')).toBeNull());
    expect(f.calls.filter((c) => c.method === 'Preview').at(-1)!.args[0]).toMatchObject({ month: '2026-10' });
  });

  it("keeps this computer's month when the workspace cannot be read", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.UTC(2026, 11, 1, 7, 30)));
    try {
      const { f } = setup({ 'Team.Workspace': () => { throw 'not signed in'; } });
      await waitFor(() => expect(f.calls.some((c) => c.method === 'Preview')).toBe(true));
      expect(f.calls.find((c) => c.method === 'Preview')!.args[0]).toMatchObject({ month: '2026-11' });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Statements page: invoices', () => {
  it("shows each invoice's amounts in its currency's own places, never re-rounded", async () => {
    const jpy = { ...invoice, id: 12, number: 'INV-000002', net: '10', tax: '1', gross: '11', currency: 'JPY' };
    const bhd = { ...invoice, id: 13, number: 'INV-000003', net: '1121.122', tax: '0.112', gross: '1121.234', currency: 'BHD' };
    setup(invoiceHandlers([bhd, jpy, invoice]));
    const row = async (n: string) => (await screen.findByTestId(`statements-invoice-pdf-${n}`)).closest('tr')!.textContent!;
    expect(await row('INV-000002')).toContain('11 JPY');
    expect(await row('INV-000002')).not.toContain('11.00');
    expect(await row('INV-000003')).toContain('1,121.234 BHD');
    expect(await row('INV-000001')).toContain('23.79 EUR');
  });

  it.each([
    ['INV-000001', ['19.99 EUR', '3.80 EUR', '23.79 EUR']],
    ['INV-000002', ['10 JPY', '1 JPY', '11 JPY']],
    ['INV-000003', ['1,121.122 BHD', '0.112 BHD', '1,121.234 BHD']],
  ])('in a list of several currencies, says the currency of every amount of %s (Net, Tax and Gross), as its PDF does', async (number, want) => {
    const jpy = { ...invoice, id: 12, number: 'INV-000002', net: '10', tax: '1', gross: '11', currency: 'JPY' };
    const bhd = { ...invoice, id: 13, number: 'INV-000003', net: '1121.122', tax: '0.112', gross: '1121.234', currency: 'BHD' };
    setup(invoiceHandlers([bhd, jpy, invoice]));
    await screen.findByTestId(`statements-invoice-${number}`);
    expect(['net', 'tax', 'gross'].map((c) => screen.getByTestId(`statements-invoice-${c}-${number}`).textContent!.trim())).toEqual(want);
  });

  it('in a list of one currency, says it in the Net, Tax and Gross headers, as the PDF heads its lines "Net (EUR)"', async () => {
    setup(invoiceHandlers([{ ...invoice, id: 2, number: 'INV-000002', net: '1000.00', tax: '190.00', gross: '1190.00' }, invoice]));
    await screen.findByTestId('statements-invoice-INV-000002');
    const heads = [...screen.getByTestId('statements-invoices').querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    expect(heads.slice(3, 6)).toEqual(['Net (EUR)', 'Tax (EUR)', 'Gross (EUR)']);
    expect(['net', 'tax', 'gross'].map((c) => screen.getByTestId(`statements-invoice-${c}-INV-000002`).textContent!.trim())).toEqual(['1,000.00', '190.00', '1,190.00']);
    expect(screen.getByTestId('statements-invoice-tax-INV-000001').getAttribute('title')).toBe('Tax 19 %');
  });

  it('saves an invoice as a PDF where the save dialog says', async () => {
    const { f } = setup();
    await fireEvent.click(await screen.findByTestId('statements-invoice-pdf-INV-000001'));
    await waitFor(() => expect(f.calls.some((c) => c.method === 'Export')).toBe(true));
    expect(f.calls.find((c) => c.method === 'ChooseFile')!.args).toEqual(['invoice-pdf', 'INV-000001.pdf']);
    expect(f.calls.find((c) => c.method === 'Export')!.args[0]).toMatchObject({ kind: 'invoice-pdf', invoice: 'INV-000001', path: '/tmp/INV-000001.pdf' });
  });

  it('an invoice PDF that is saved before its export id comes back shows as saved, not running with a Cancel', async () => {
    const saved = { id: 'job-1', kind: 'invoice-pdf', path: '/tmp/INV-000001.pdf', state: 'done', done: 1, total: 1 };
    let rt!: ReturnType<typeof installFakeRuntime>;
    ({ rt } = setup({
      // The job ends, and says so, before the call's answer reaches the page.
      'Statements.Export': () => {
        rt.emit('export:progress', saved);
        return 'job-1';
      },
      'Statements.Status': () => saved,
    }));
    await fireEvent.click(await screen.findByTestId('statements-invoice-pdf-INV-000001'));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Saved /tmp/INV-000001.pdf'));
    expect(screen.queryByTestId('statements-cancel')).toBeNull();
  });

  it.each(['data:changed', 'balance:changed'])('on %s re-reads the invoices only when the list changed (a top-up adds an invoice)', async (event) => {
    const list = [invoice];
    const { f, rt } = setup(invoiceHandlers(list));
    await screen.findByTestId('statements-invoice-INV-000001');
    const count = (m: string) => f.calls.filter((c) => c.method === m).length;
    const pages = count('InvoicesPage');
    // A chat charge, another process's write: one cheap read each, nothing re-read.
    for (let i = 0; i < 5; i++) rt.emit(event);
    await waitFor(() => expect(count('InvoicesState')).toBe(6)); // and the one before the first page
    await new Promise((r) => setTimeout(r, 20));
    expect(count('InvoicesPage')).toBe(pages);
    // A top-up: its invoice is listed.
    list.unshift({ ...invoice, id: 2, number: 'INV-000002' });
    rt.emit(event);
    await screen.findByTestId('statements-invoice-INV-000002');
    expect(count('InvoicesPage')).toBe(pages + 1);
    expect(f.calls.filter((c) => c.method === 'InvoicesPage').at(-1)!.args).toEqual([0, 50]);
  });

  it('a top-up while the list is still being read is listed once that read is in', async () => {
    const list = [invoice];
    const pages = invoiceHandlers(list);
    let release: () => void = () => {};
    let slow = true;
    const { rt, f } = setup({
      ...pages,
      'Statements.InvoicesPage': async (before: number, limit: number) => {
        const page = pages['Statements.InvoicesPage'](before, limit); // read before the top-up lands
        if (slow) {
          slow = false;
          await new Promise<void>((r) => (release = r));
        }
        return page;
      },
    });
    await waitFor(() => expect(f.calls.some((c) => c.method === 'InvoicesPage')).toBe(true));
    list.unshift({ ...invoice, id: 2, number: 'INV-000002' });
    rt.emit('balance:changed'); // the top-up's event, while the first page is read
    await new Promise((r) => setTimeout(r, 20));
    release();
    await screen.findByTestId('statements-invoice-INV-000001');
    await screen.findByTestId('statements-invoice-INV-000002', undefined, { timeout: 3000 });
  });

  it('lists the newest 50 invoices and loads older ones; the focus goes on to them', async () => {
    const list = Array.from({ length: 120 }, (_, k) => ({ ...invoice, id: 120 - k, number: `INV-${String(120 - k).padStart(6, '0')}` }));
    const { f } = setup(invoiceHandlers(list));
    await screen.findByTestId('statements-invoice-INV-000120');
    const shown = () => screen.getByTestId('statements-invoices').querySelectorAll('tbody tr').length;
    expect(shown()).toBe(50);
    expect(screen.getByTestId('statements-invoices-count').textContent!.trim()).toBe('The newest 50 are shown.');
    const more = screen.getByTestId('statements-invoices-more');
    more.focus();
    await fireEvent.click(more);
    await waitFor(() => expect(shown()).toBe(100));
    expect(document.activeElement).toBe(screen.getByTestId('statements-invoices-more'));
    await fireEvent.click(screen.getByTestId('statements-invoices-more'));
    await waitFor(() => expect(shown()).toBe(120));
    expect(screen.queryByTestId('statements-invoices-more')).toBeNull();
    expect(screen.getByTestId('statements-invoices-count').textContent!.trim()).toBe('120 in all.');
    expect(document.activeElement).toBe(screen.getByTestId('statements-invoice-pdf-INV-000020'));
    expect(f.calls.filter((c) => c.method === 'InvoicesPage').map((c) => c.args)).toEqual([[0, 50], [71, 50], [21, 50]]);
  });

  it('issues a credit note with a reason from the dialog, once', async () => {
    const { f } = setup();
    await fireEvent.click(await screen.findByTestId('statements-invoice-credit-INV-000001'));
    expect((await screen.findByTestId('dialog-title')).textContent).toBe('Credit note for INV-000001');
    await fireEvent.click(screen.getByTestId('dialog-cancel'));
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
    expect(f.calls.some((c) => c.method === 'CreditNote')).toBe(false);
    await fireEvent.click(screen.getByTestId('statements-invoice-credit-INV-000001'));
    // Without a reason the dialog stays open and says why.
    expect((await screen.findByTestId('dialog-invalid')).textContent).toContain('Give the reason');
    expect((screen.getByTestId('dialog-ok') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.submit(screen.getByTestId('dialog-form'));
    expect(screen.getByTestId('dialog')).toBeTruthy();
    await fireEvent.input(await screen.findByTestId('dialog-input'), { target: { value: 'wrong buyer' } });
    expect(screen.queryByTestId('dialog-invalid')).toBeNull();
    await fireEvent.click(screen.getByTestId('dialog-ok'));
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'CreditNote').map((c) => c.args)).toEqual([['INV-000001', 'wrong buyer']]));
    // The new credit note is listed; the invoice offers no second one.
    await screen.findByTestId('statements-invoice-CN-000001');
    expect(screen.queryByTestId('statements-invoice-credit-INV-000001')).toBeNull();
    expect(screen.queryByTestId('statements-invoice-credit-CN-000001')).toBeNull();
  });

  it('saves the invoice details and shows a refusal plainly', async () => {
    let refuse = true;
    const saved: unknown[] = [];
    const { f } = setup({
      'Statements.SetParties': (seller: unknown, buyer: unknown) => {
        if (refuse) throw refusal('set invoice parties: invalid invoice party: the seller needs a name', 'The seller needs a name');
        saved.push([seller, buyer]);
      },
    });
    await fireEvent.input(await screen.findByTestId('statements-seller-address'), { target: { value: 'Street 1\n10115 Berlin' } });
    await fireEvent.input(screen.getByTestId('statements-buyer-name'), { target: { value: 'Research' } });
    await fireEvent.input(screen.getByTestId('statements-buyer-email'), { target: { value: 'team@example.org' } });
    await fireEvent.click(screen.getByTestId('statements-parties-save'));
    expect((await screen.findByTestId('statements-parties-error')).textContent).toBe('The seller needs a name');
    refuse = false;
    await fireEvent.click(screen.getByTestId('statements-parties-save'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual([{ name: 'Acme GmbH', address: 'Street 1\n10115 Berlin', taxId: '', email: '' }, { name: 'Research', address: '', taxId: '', email: 'team@example.org' }]);
    await waitFor(() => expect(screen.queryByTestId('statements-parties-error')).toBeNull());
    expect(f.calls.filter((c) => c.method === 'Parties').length).toBe(2); // read again after saving
  });

  it('shows no invoice details to a member (the backend refuses them)', async () => {
    setup({ 'Statements.Parties': () => { throw 'invoice parties: forbidden: admins only'; }, 'Statements.InvoicesPage': () => { throw 'forbidden'; },
      'Statements.InvoicesState': () => { throw 'forbidden'; } });
    await screen.findByTestId('statements-summary');
    expect(screen.queryByTestId('statements-parties')).toBeNull();
    expect(screen.queryByTestId('statements-invoices')).toBeNull();
  });
});

describe('Statements page: scope lists', () => {
  const member = (id: number, name: string, status: string, displayName = '') => ({ id, name, displayName, status, role: 'member' });
  const dept = (id: number, name: string, archived: boolean) => ({ id, name, archived, account: `dept:${id}` });

  it('lists removed members and archived departments after the current ones, marked so, and previews theirs', async () => {
    const { f } = setup({
      'Team.Members': () => [member(4, 'dave', 'removed'), member(1, 'alice', 'active'), member(2, 'bob', 'disabled', 'Bob B.'), member(5, 'erin', 'removed', 'Erin E.')],
      'Team.Departments': () => [dept(3, 'Legal', true), dept(1, 'Research', false)],
      'Statements.Preview': (req: any) => ({ ...statement, month: req.month }),
    });
    await waitFor(() => expect(f.calls.some((c) => c.method === 'Members')).toBe(true));
    // Asked with the removed and archived ones.
    expect(f.calls.find((c) => c.method === 'Members')!.args).toEqual([true]);
    expect(f.calls.find((c) => c.method === 'Departments')!.args).toEqual([true]);
    const scope = screen.getByTestId('statements-scope') as HTMLSelectElement;
    await fireEvent.change(scope, { target: { value: 'member' } });
    const pick = (await screen.findByTestId('statements-scope-pick')) as HTMLSelectElement;
    expect(Array.from(pick.options).map((o) => o.textContent)).toEqual(['alice', 'Bob B.', 'dave (removed)', 'Erin E. (removed)']);
    expect(screen.queryByTestId('statements-scope-id')).toBeNull();
    await fireEvent.change(pick, { target: { value: '4' } });
    await fireEvent.click(screen.getByTestId('statements-preview'));
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'Preview').at(-1)!.args[0]).toMatchObject({ userId: 4, departmentId: 0 }));

    await fireEvent.change(scope, { target: { value: 'department' } });
    const depts = (await screen.findByTestId('statements-scope-pick')) as HTMLSelectElement;
    await waitFor(() => expect(Array.from(depts.options).map((o) => o.textContent)).toEqual(['Research', 'Legal (archived)']));
  });
});

describe('Statements page: a member', () => {
  it('opens on their own statement, offers no other scope and asks for no admin data', async () => {
    const { f } = setup({ 'Statements.Preview': (req: any) => ({ ...statement, scope: 'member', scopeName: 'bob', accountName: "bob's wallet", account: 'user:2', month: req.month }) }, 'member');
    await screen.findByTestId('statements-own');
    await waitFor(() => expect(f.calls.some((c) => c.method === 'Preview')).toBe(true));
    expect(f.calls.find((c) => c.method === 'Preview')!.args[0]).toMatchObject({ departmentId: 0, userId: 2 });
    expect(screen.queryByTestId('statements-scope')).toBeNull();
    expect(screen.queryByTestId('statements-error')?.textContent ?? '').not.toContain('admin only');
    for (const m of ['InvoicesPage', 'InvoicesState', 'Parties', 'Departments', 'Members']) expect(f.calls.some((c) => c.method === m)).toBe(false);
    expect(screen.queryByTestId('statements-parties')).toBeNull();
  });

  it('shows the usage the pool paid for them, not just "no usage"', async () => {
    setup({ 'Statements.Preview': (req: any) => ({ ...statement, scope: 'member', scopeName: 'bob', accountName: "bob's wallet", account: 'user:2', month: req.month,
      ...attributed('bob', [{ name: 'gpt-4o', count: 3, amount: '62' }], '62') }) }, 'member');
    const table = await screen.findByTestId('statements-attributed');
    expect(table.textContent).toContain('gpt-4o');
    expect(table.textContent).toContain('62');
    expect(screen.getByTestId('statements-summary').textContent).toContain('Usage attributed to bob (any payer)');
  });

  it("leads a pool-funded member's statement with what they used, and names the wallet the balance table is about", async () => {
    setup({ 'Statements.Preview': (req: any) => ({ ...statement, scope: 'member', scopeName: 'Sam Member', accountName: "Sam Member's wallet", account: 'user:3', month: req.month,
      usage: '0', usageByModel: [], breakdowns: breakdowns("Sam Member's wallet", '0'), ...attributed('Sam Member', [{ name: 'acme-chat-1', count: 1, amount: '0.36' }], '0.36') }) }, 'member');
    const summary = await screen.findByTestId('statements-summary');
    await screen.findByTestId('statements-attributed');
    const text = summary.textContent ?? '';
    // The attributed usage comes first; the zero usage below is the wallet's, and says so.
    expect(text.indexOf('Usage attributed to Sam Member (any payer)')).toBeLessThan(text.indexOf("Sam Member's wallet"));
    expect(screen.getByTestId('statements-account').textContent).toBe("Sam Member's wallet");
    expect(text).toContain("Usage paid from Sam Member's wallet");
    expect(screen.getByTestId('statements-no-usage').textContent).toBe("No usage was paid from Sam Member's wallet this month.");
    expect(text).not.toContain('No usage this month.');
  });

  it("leaves out a pool-paid member's wallet section of zeros when the backend says so (accountLeftOut)", async () => {
    const msg = "No movements in Sam Member's wallet; their usage was paid from the workspace pool.";
    setup({ 'Statements.Preview': (req: any) => ({ ...statement, scope: 'member', scopeName: 'Sam Member', accountName: "Sam Member's wallet", account: 'user:3', month: req.month,
      opening: '0', topUps: '0', usage: '0', closing: '0', lines: 0, usageByModel: [], usageByCostCentre: [], accountLeftOut: true,
      message: msg, ...attributed('Sam Member', [{ name: 'acme-chat-1', count: 1, amount: '0.36' }], '0.36') }) }, 'member');
    const summary = await screen.findByTestId('statements-summary');
    await screen.findByTestId('statements-attributed');
    const text = summary.textContent ?? '';
    expect(screen.getByTestId('statements-message').textContent).toBe(msg);
    expect(screen.queryByTestId('statements-account')).toBeNull();
    expect(screen.queryByTestId('statements-closing')).toBeNull();
    expect(screen.queryByTestId('statements-no-usage')).toBeNull();
    for (const gone of ['Opening balance', 'Closing balance', "Usage paid from Sam Member's wallet", 'Movements in']) expect(text).not.toContain(gone);
    // The exports stay.
    expect(screen.getByTestId('statements-save-pdf')).toBeTruthy();
  });

  // Its closing balance (pool 4,000 + Research 985 = 4,985) read as a disagreement with the header's pool (4,000).
  it.each([
    ['workspace', true],
    ['department', false],
  ] as const)('says what a %s statement covers when it is every account together: %s', async (scope, says) => {
    setup({ 'Statements.Preview': (req: any) => ({ ...statement, scope, month: req.month }) });
    await screen.findByTestId('statements-summary');
    const covers = screen.queryByTestId('statements-covers');
    expect(covers?.textContent?.replace(/\s+/g, ' ') ?? null).toBe(says
      ? "The workspace pool, each department's credits and each member's wallet together: its balances are their sum, not the pool's alone."
      : null);
  });

  it("names a department's account its credits, never its budget (the alert budget is another thing)", async () => {
    setup({ 'Statements.Preview': (req: any) => ({ ...statement, scope: 'department', scopeName: 'Research', accountName: "Research department's credits", account: 'dept:1', month: req.month,
      usage: '0', usageByModel: [], breakdowns: breakdowns("Research department's credits", '0'), ...attributed('Research', [{ name: 'acme-chat-1', count: 1, amount: '0.36' }], '0.36') }) });
    const summary = await screen.findByTestId('statements-summary');
    await screen.findByTestId('statements-attributed');
    // The backend's name for the account (statements.Statement.AccountName), as the PDF heads it.
    expect(screen.getByTestId('statements-account').textContent).toBe("Research department's credits");
    expect(summary.textContent).toContain("Movements in Research department's credits only: usage another account paid for is not in it.");
    expect(summary.textContent).toContain("Usage paid from Research department's credits");
    expect(screen.getByTestId('statements-no-usage').textContent).toBe("No usage was paid from Research department's credits this month.");
    expect(summary.textContent).not.toMatch(/budget/i);
  });
});

describe('Statements page: amounts', () => {
  it('shows credit amounts exactly, as the PDF and CSV have them, and invoice prices in the currency\'s places', async () => {
    // Sub-cent usage must not read "0.00 credits"; 27,637.137529327 must not read 27,637.14.
    setup({ 'Statements.Preview': (req: any) => ({ ...statement, month: req.month, opening: '27637.137529327', topUps: '250.000000000',
      usage: '0.001257492', closing: '27887.136271835', expiry: '0',
      usageByModel: [{ name: 'gpt-4o-mini', count: 3, amount: '0.001257492' }, { name: 'gpt-4o', count: 1, amount: '3.333333333' }],
      breakdowns: breakdowns('', '0.001257492', [{ name: 'gpt-4o-mini', count: 3, amount: '0.001257492' }, { name: 'gpt-4o', count: 1, amount: '3.333333333' }]),
      ...attributed('Acme', [{ name: 'gpt-4o-mini', count: 3, amount: '0.001257492' }], '0.001257492') }) });
    const summary = await screen.findByTestId('statements-summary');
    await waitFor(() => expect(summary.textContent).toContain('27,637.137529327 credits'));
    expect(summary.textContent).toContain('250.00 credits');
    expect(summary.textContent).toContain('−0.001257492 credits');
    const expired = Array.from(summary.querySelectorAll('tr')).find((tr) => tr.textContent!.startsWith('Expired'))!;
    expect(expired.textContent).toBe('Expired0.00 credits'); // a zero out-going amount: no "−0.00"
    expect(screen.getByTestId('statements-closing').textContent).toBe('27,887.136271835 credits');
    const byModel = screen.getByTestId('statements-by-model').textContent;
    expect(byModel).toContain('0.001257492 credits');
    expect(byModel).toContain('3.333333333 credits');
    expect(screen.getByTestId('statements-attributed').textContent).toContain('Total0.001257492 credits');
    // Currency amounts keep 2 places.
    const inv = await screen.findByTestId('statements-invoice-INV-000001');
    expect(inv.textContent).toContain('19.99');
    expect(screen.getByTestId('statements-invoice-gross-INV-000001').textContent).toBe('23.79');
    expect(screen.getByTestId('statements-invoices').querySelector('thead')!.textContent).toContain('Gross (EUR)');
  });
});

describe('Statements page: usage tables', () => {
  // The page showed a workspace statement's usage by model only, without a total, while the PDF also splits it by
  // department: the walk's workspace statement (alice paid by the pool, bob by Research) read
  // "gpt-4o-mini · Local fake 2 10.506" in the window and had "(no department) 5.253, Research 5.253" in the PDF only.
  it("shows each usage table Go sends, by model and by department, with its heading and total, as the PDF", async () => {
    const byModel = [{ name: 'gpt-4o-mini · Local fake', count: 2, amount: '10.506' }];
    const byDept = [{ name: '(no department)', count: 1, amount: '5.253' }, { name: 'Research', count: 1, amount: '5.253' }];
    setup({ 'Statements.Preview': (req: any) => ({ ...statement, month: req.month, topUps: '1000', usage: '10.506', closing: '989.494',
      usageByModel: byModel, usageByCostCentre: byDept, breakdowns: breakdowns('', '10.506', byModel, byDept) }) });
    const summary = await screen.findByTestId('statements-summary');
    const dept = await screen.findByTestId('statements-by-department');
    expect(summary.textContent).toContain('Usage by department');
    expect(Array.from(dept.querySelectorAll('tbody tr')).map((tr) => tr.textContent)).toEqual([
      '(no department)15.253 credits', 'Research15.253 credits', 'Total10.506 credits']);
    expect(screen.getByTestId('statements-by-model').querySelector('tr.total')!.textContent).toBe('Total10.506 credits');
    expect(screen.queryByTestId('statements-no-usage')).toBeNull();
  });

  // Two departments may share a name: only a current department's name is unique, so two archived "Eng"s both read
  // "Eng (archived)" (and a department may be called "(no department)"). The page keyed its rows by name and the
  // workspace statement of a month both were used in did not show (Svelte refuses duplicate keys).
  it('shows every line of a table, two departments of the same name too', async () => {
    const byModel = [{ name: 'gpt-4o-mini · Lab', count: 3, amount: '3' }];
    const byDept = [{ name: 'Eng (archived)', count: 2, amount: '2' }, { name: 'Eng (archived)', count: 1, amount: '1' }];
    setup({ 'Statements.Preview': (req: any) => ({ ...statement, month: req.month, usage: '3',
      usageByModel: byModel, usageByCostCentre: byDept, breakdowns: breakdowns('', '3', byModel, byDept) }) });
    const dept = await screen.findByTestId('statements-by-department');
    expect(Array.from(dept.querySelectorAll('tbody tr')).map((tr) => tr.textContent)).toEqual([
      'Eng (archived)22.00 credits', 'Eng (archived)11.00 credits', 'Total3.00 credits']);
  });

  // Go gives by department no words for none (both tables split the same charges): the page says it once, as the PDF.
  it("says once that no usage was paid, in Go's words, not once per table", async () => {
    setup({ 'Statements.Preview': (req: any) => ({ ...statement, month: req.month, breakdowns: [
      { by: 'model', heading: 'Usage by model', columns: ['Model', 'Messages', 'Credits'], lines: [], totalLabel: 'Total', total: '0', none: 'Nothing used (from Go).' },
      { by: 'department', heading: 'Usage by department', columns: ['Department', 'Messages', 'Credits'], lines: [], totalLabel: 'Total', total: '0', none: '' }] }) });
    await screen.findByTestId('statements-summary');
    expect((await screen.findAllByTestId('statements-no-usage')).map((p) => p.textContent)).toEqual(['Nothing used (from Go).']);
    expect(screen.queryByTestId('statements-by-department')).toBeNull();
  });

  // The page wrote the tables' column names, total label and the attributed table's heading itself (the PDF printed
  // "Name" over every table), and showed nothing for a department with no usage attributed to it, where the PDF
  // said "No usage this month." under "Usage attributed to … (any payer)". Every word now comes from Go.
  it.each(Object.entries(JSON.parse(statementTables).statements as Record<string, any>))(
    "shows Go's words for the %s statement's usage tables, as the PDF prints them", async (_name, st) => {
      setup({ 'Statements.Preview': (req: any) => ({ ...st, month: req.month }) });
      const summary = await screen.findByTestId('statements-summary');
      const tables = [...(st.attributedUsage ? [st.attributedUsage] : []), ...(st.accountLeftOut ? [] : st.breakdowns)];
      const headings = Array.from(summary.querySelectorAll('h3')).map((h) => h.textContent);
      const nones = Array.from(summary.querySelectorAll('p.muted')).map((p) => p.textContent);
      let shown = 0;
      for (const b of tables) {
        if (b.lines.length === 0 && !b.none) {
          expect(headings).not.toContain(b.heading);
          continue;
        }
        shown++;
        expect(headings).toContain(b.heading);
        if (b.lines.length === 0) {
          expect(nones).toContain(b.none);
          continue;
        }
        const table = screen.getByTestId(b === st.attributedUsage ? 'statements-attributed' : `statements-by-${b.by}`);
        expect(Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent)).toEqual(b.columns);
        expect(table.querySelector('tr.total th')!.textContent).toBe(b.totalLabel);
      }
      expect(shown).toBeGreaterThan(0);
      // Words for none only where Go gives them: with no usage, "none" once per account, not once per table.
      const said = tables.filter((b: any) => b.lines.length === 0 && b.none).map((b: any) => b.none);
      expect(nones.filter((n) => /^No usage/.test(n ?? ''))).toEqual(said);
    });

  // The page's own words matched Go's by chance: a word changed in Go (usageTable) must show as Go says it.
  it('writes no word of a usage table itself: column names, total label and headings are all as Go sends them', async () => {
    const st = JSON.parse(statementTables).statements['workspace with usage'];
    const reworded = (b: any) => ({ ...b, heading: `${b.heading} (Go)`, columns: [`${b.columns[0]} (Go)`, 'Requests', 'Credits spent'], totalLabel: 'All' });
    const lines = [{ name: 'm · provider unknown', count: 1, amount: '2' }];
    setup({ 'Statements.Preview': (req: any) => ({ ...st, month: req.month, scope: 'member', scopeName: 'bob', accountName: "bob's wallet",
      breakdowns: st.breakdowns.map(reworded), attributedUsage: reworded({ ...st.breakdowns[0], heading: 'Attributed', lines, total: '2' }) }) });
    const summary = await screen.findByTestId('statements-summary');
    const heads = (id: string) => Array.from(screen.getByTestId(id).querySelectorAll('thead th')).map((th) => th.textContent);
    expect(heads('statements-attributed')).toEqual(['Model (Go)', 'Requests', 'Credits spent']);
    expect(heads('statements-by-department')).toEqual(['Department (Go)', 'Requests', 'Credits spent']);
    expect(screen.getByTestId('statements-by-model').querySelector('tr.total th')!.textContent).toBe('All');
    expect(Array.from(summary.querySelectorAll('h3')).map((h) => h.textContent)).toEqual(
      ['Attributed (Go)', "bob's wallet", 'Usage by model (Go)', 'Usage by department (Go)']);
  });
});

describe('Statements page: balance summary', () => {
  /** The balance table's rows as the page shows them: label, amount. */
  const shownRows = () => Array.from(screen.getByTestId('statements-balances').querySelectorAll('tr')).map((tr) => [
    tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent, tr.classList.contains('total')]);
  /** A summary amount as the page writes it: Go's sign, a deduction with a typographic minus. */
  const shown = (v: string) => (v.startsWith('-') ? `−${formatCredits(v.slice(1))}` : formatCredits(v));

  // The page wrote its summary's labels itself, apart from the PDF's, and they differed: one "Transfers in / out"
  // row ("40.00 credits / −5.00 credits") where the PDF prints "Transfers in" and "Transfers out". The rows now come
  // from Go (Statement.summary), which the PDF prints (backend/statements TestStatementPDFPrintsTheWindowsSummaryRows).
  it.each(Object.entries(JSON.parse(statementTables).statements as Record<string, any>))(
    "shows Go's summary rows for the %s statement, in its order and words, as the PDF prints them", async (_name, st) => {
      expect(st.summary).toHaveLength(9);
      setup({ 'Statements.Preview': (req: any) => ({ ...st, month: req.month }) });
      await screen.findByTestId('statements-summary');
      if (st.accountLeftOut) {
        expect(screen.queryByTestId('statements-balances')).toBeNull();
        return;
      }
      expect(shownRows()).toEqual(st.summary.map((r: any) => [r.label, shown(r.amount), r.balance]));
      expect(screen.getByTestId('statements-summary').textContent).not.toContain('Transfers in / out');
    });

  // The page's own words matched Go's by chance where they matched at all: a row Go words otherwise shows as Go says it.
  it('writes no word of the summary itself: every label and row is as Go sends it', async () => {
    const summary = [
      { key: 'opening', label: 'Balance on the 1st (Go)', amount: '10', balance: true },
      { key: 'transfersIn', label: 'Moved in (Go)', amount: '40', balance: false },
      { key: 'transfersOut', label: 'Moved out (Go)', amount: '-5', balance: false },
      { key: 'closing', label: 'Balance at the end (Go)', amount: '45', balance: true },
    ];
    setup({ 'Statements.Preview': (req: any) => ({ ...statement, month: req.month, opening: '10', transfersIn: '40', transfersOut: '5', closing: '45', summary }) });
    await screen.findByTestId('statements-summary');
    expect(shownRows()).toEqual([
      ['Balance on the 1st (Go)', '10.00 credits', true], ['Moved in (Go)', '40.00 credits', false],
      ['Moved out (Go)', '−5.00 credits', false], ['Balance at the end (Go)', '45.00 credits', true]]);
    expect(screen.getByTestId('statements-closing').textContent).toBe('45.00 credits');
  });
});
