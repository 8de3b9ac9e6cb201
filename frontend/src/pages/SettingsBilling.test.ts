import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import SettingsBilling from './SettingsBilling.svelte';
import { asRole, baseWorkspace as base, fakeWorkspace } from '../test/fakeWorkspace';
import { session } from '../lib/session.svelte';
import { toast } from '../lib/toast.svelte';
import { fieldState, usable } from '../test/a11y';
import { refusal } from '../test/fakeBridge';

/** A refusal by Go of a value the form lets through (the form checks shape, Go the rest). */
const fakeTeam = () =>
  fakeWorkspace((w) =>
    w.creditValue === '5000000'
      ? refusal(`change the workspace: invalid input: what a credit is worth: credit value "${w.creditValue}" is more than a top-up can price`,
        `What a credit is worth: credit value "${w.creditValue}" is more than a top-up can price`)
      : '',
  );

afterEach(() => {
  session.set(null);
  toast.clear();
});

describe('Settings → General, billing details', () => {
  it('an admin saves currency, credit value, tax id and address; only they are sent, with what the card read', async () => {
    asRole('admin');
    const { fake, stored } = fakeTeam();
    render(SettingsBilling);
    const tax = (await screen.findByTestId('settings-billing-tax')) as HTMLInputElement;
    const save = screen.getByTestId('settings-billing-save') as HTMLButtonElement;
    // Unchanged: nothing to save, but focusable (aria-disabled), so the focus stays on it after a save.
    expect(save.disabled).toBe(false);
    expect(save.getAttribute('aria-disabled')).toBe('true');

    stored.timeZone = 'Europe/Berlin'; // saved by the zone form meanwhile
    await fireEvent.input(screen.getByTestId('settings-billing-currency'), { target: { value: ' usd ' } });
    await fireEvent.input(screen.getByTestId('settings-billing-value-input'), { target: { value: '0.02' } });
    expect(screen.getByText('Past top-ups and issued invoices keep their prices.')).toBeTruthy();
    await fireEvent.input(tax, { target: { value: ' DE123456789 ' } });
    await fireEvent.input(screen.getByTestId('settings-billing-address'), { target: { value: 'Hauptstr. 1\n10115 Berlin' } });
    save.focus();
    await fireEvent.submit(save.form!); // Enter on the focused Save
    await screen.findByTestId('settings-billing-saved');
    const update = fake.calls.find((c) => c.method === 'PatchWorkspace');
    expect(update?.args[0]).toEqual({
      currency: 'USD', creditValue: '0.02', taxId: 'DE123456789', address: 'Hauptstr. 1\n10115 Berlin', read: base,
    });
    expect(stored.timeZone).toBe('Europe/Berlin'); // the zone card's save stays
    expect(tax.value).toBe('DE123456789');
    // Saved: nothing left to save; the focus stays on Save, and a press does nothing.
    expect(save.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(save);
    await fireEvent.submit(save.form!);
    expect(fake.calls.filter((c) => c.method === 'PatchWorkspace')).toHaveLength(1);
  });

  // Go writes and audits nothing for a workspace it had already
  // (team.PatchWorkspace answers unchanged); the card said "Saved".
  it.each([
    ['set meanwhile elsewhere', 'DE123', 'DE123', ['info', 'The billing details are unchanged: the workspace had them already (nothing saved).'], 'Unchanged (nothing saved)'],
    ['a change', '', 'DE999', ['success', 'Billing details saved.'], 'Saved'],
  ])('says whether a save changed anything: %s', async (_what, meanwhile, typed, message, hint) => {
    asRole('admin');
    const { fake, stored } = fakeTeam();
    render(SettingsBilling);
    const tax = await screen.findByTestId('settings-billing-tax');
    stored.taxId = meanwhile; // saved with the CLI meanwhile
    await fireEvent.input(tax, { target: { value: typed } });
    await fireEvent.click(screen.getByTestId('settings-billing-save'));
    expect((await screen.findByTestId('settings-billing-saved')).textContent?.trim()).toBe(hint);
    expect(toast.items.map((t) => [t.kind, t.message])).toEqual([message]);
    expect(fake.calls.find((c) => c.method === 'PatchWorkspace')?.args[0]).toEqual({ taxId: typed, read: base });
  });

  it('an admin says top-up prices include tax; saved with the rest of the workspace', async () => {
    asRole('admin');
    const { fake, stored } = fakeTeam();
    render(SettingsBilling);
    const gross = (await screen.findByTestId('settings-billing-gross')) as HTMLInputElement;
    const save = screen.getByTestId('settings-billing-save') as HTMLButtonElement;
    expect(gross.checked).toBe(false);
    expect(screen.getByText('Prices are net: an invoice adds the tax on top.')).toBeTruthy();
    await fireEvent.click(gross);
    expect(screen.getByText('An invoice splits the price paid into net and tax.')).toBeTruthy();
    expect(save.getAttribute('aria-disabled')).toBe('false');
    await fireEvent.click(save);
    await screen.findByTestId('settings-billing-saved');
    expect(fake.calls.find((c) => c.method === 'PatchWorkspace')?.args[0]).toEqual({ pricesIncludeTax: true, read: base });
    expect(stored.pricesIncludeTax).toBe(true);
    expect(save.getAttribute('aria-disabled')).toBe('true');
  });

  it('refuses a bad currency, credit value or over-long fields without calling the backend', async () => {
    asRole('admin');
    const { fake } = fakeTeam();
    render(SettingsBilling);
    await screen.findByTestId('settings-billing-tax');
    const save = screen.getByTestId('settings-billing-save') as HTMLButtonElement;
    const cases: [string, string, string][] = [
      ['settings-billing-currency', 'EURO', 'settings-billing-currency-error'],
      ['settings-billing-currency', '', 'settings-billing-currency-error'],
      ['settings-billing-value-input', '0', 'settings-billing-value-error'],
      ['settings-billing-value-input', '-1', 'settings-billing-value-error'],
      ['settings-billing-value-input', '1e3', 'settings-billing-value-error'],
      ['settings-billing-value-input', '0.0000000000001', 'settings-billing-value-error'], // 13 places: Go's rule is 12
      ['settings-billing-tax', 'x'.repeat(65), 'settings-billing-tax-error'],
      ['settings-billing-address', 'x'.repeat(1001), 'settings-billing-address-error'],
    ];
    for (const [field, bad, error] of cases) {
      const input = screen.getByTestId(field);
      const good = (input as HTMLInputElement).value;
      await fireEvent.input(input, { target: { value: bad } });
      expect(screen.getByTestId(error)).toBeTruthy();
      expect(fieldState(input)).toEqual({ invalid: 'true', description: screen.getByTestId(error).textContent!.trim() });
      expect(usable(save)).toBe(false);
      await fireEvent.submit(save.form!);
      await fireEvent.input(input, { target: { value: good } });
    }
    expect(fake.calls.some((c) => c.method === 'PatchWorkspace')).toBe(false);
  });

  it("shows the backend's refusal and keeps what was stored and what was typed", async () => {
    asRole('admin');
    const { stored } = fakeTeam();
    render(SettingsBilling);
    const value = (await screen.findByTestId('settings-billing-value-input')) as HTMLInputElement;
    await fireEvent.input(value, { target: { value: '5000000' } });
    await fireEvent.click(screen.getByTestId('settings-billing-save'));
    expect((await screen.findByTestId('settings-billing-error')).textContent).toContain('more than a top-up can price');
    expect(stored.creditValue).toBe('0.01');
    expect(value.value).toBe('5000000');
  });

  // The currency and what a credit is worth are one setting: a new value
  // typed against EUR is not applied to the USD someone else chose meanwhile.
  it('a credit value typed while the currency changed elsewhere: refused, edits kept, Reload shows the new currency', async () => {
    asRole('admin');
    const { fake, stored } = fakeTeam();
    render(SettingsBilling);
    const value = (await screen.findByTestId('settings-billing-value-input')) as HTMLInputElement;
    const currency = screen.getByTestId('settings-billing-currency') as HTMLInputElement;
    stored.currency = 'USD'; // `meterdesk workspace update --currency USD` meanwhile
    await fireEvent.input(value, { target: { value: '0.02' } });
    await fireEvent.click(screen.getByTestId('settings-billing-save'));
    expect((await screen.findByTestId('settings-billing-error')).textContent).toBe(
      'What a credit is worth was changed by someone else since you opened it (now 0.01 USD): reload and try again',
    );
    expect(stored).toEqual({ ...base, currency: 'USD' });
    expect([currency.value, value.value]).toEqual(['EUR', '0.02']);
    // Reload pressed from the keyboard goes with the refusal: the focus moves to Save, not to <body>.
    const reload = screen.getByTestId('settings-billing-reload');
    reload.focus();
    await fireEvent.click(reload);
    await screen.findByTestId('settings-billing-reloaded');
    expect([currency.value, value.value]).toEqual(['USD', '0.02']);
    expect(reload.isConnected).toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('settings-billing-save')));
    await fireEvent.click(screen.getByTestId('settings-billing-save'));
    await screen.findByTestId('settings-billing-saved');
    expect(fake.calls.filter((c) => c.method === 'PatchWorkspace').at(-1)?.args[0]).toEqual({
      creditValue: '0.02', read: { ...base, currency: 'USD' },
    });
    expect(stored).toEqual({ ...base, currency: 'USD', creditValue: '0.02' });
  });

  it('a member sees the details read-only', async () => {
    asRole('member');
    const { stored } = fakeTeam();
    stored.taxId = 'DE123456789';
    render(SettingsBilling);
    await waitFor(() => expect(screen.getByTestId('settings-billing-value').textContent).toBe('0.01 EUR'));
    expect(screen.getByText('DE123456789')).toBeTruthy();
    expect(screen.getByTestId('settings-billing-prices').textContent).toBe('net (tax is added on top)');
    expect(screen.queryByTestId('settings-billing-save')).toBeNull();
    expect(screen.queryByTestId('settings-billing-tax')).toBeNull();
  });
});
