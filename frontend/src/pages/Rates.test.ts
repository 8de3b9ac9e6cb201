import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Rates from './Rates.svelte';
import { coded, installFakeBridge, installFakeRuntime, refusal } from '../test/fakeBridge';
import { fieldState, usable } from '../test/a11y';
import { toast } from '../lib/toast.svelte';
import type { Change, Row, Table } from '../api/rates';
import { FIELDS, compactRate } from '../api/rates';

const props = { params: {}, query: {} };

function row(provider: string, model: string, over: Partial<Row> = {}): Row {
  return { provider, model, input: '', output: '', cacheRead: '', cacheWrite: '', reasoning: '', perRequest: '', perToolCall: '', ...over };
}

function makeTable(rates: Row[], version = 1, defaults = { input: '1', output: '1' }, by = 'Ada', local: string[] = []): Table {
  const get = (p: string, m: string) => rates.find((r) => r.provider === p && r.model === m) ?? row(p, m);
  // As Go (Rate.UsesDefaults): no input or no output rate of its own.
  const model = (p: string, m: string) => ({
    provider: p, model: m, source: 'builtin' as const, rates: get(p, m), effective: get(p, m),
    defaultRate: get(p, m).input === '' || get(p, m).output === '',
  });
  return {
    version: { id: version, effectiveAt: '2025-03-01T12:00:00Z', createdBy: by, reason: 'test' },
    defaults,
    providers: [
      { provider: { id: 'openai', label: 'OpenAI' }, models: [model('openai', 'gpt-4o'), model('openai', 'gpt-4-turbo')] },
      { provider: { id: 'local', label: 'Local' }, models: local.map((m) => ({ ...model('local', m), source: 'custom' as const })) },
    ],
  };
}

/**
 * A fake Rates backend that applies changes like backend/rates: rows replace
 * rows, then edits set single fields; a change against a version that is no
 * longer the latest is refused. `elsewhere` saves a change as another admin.
 * `local`: the models the local server lists (and the Local table shows).
 */
function fakeRates(initial: Row[] = [], local: string[] = []) {
  let rates = [...initial];
  let version = 1;
  let by = 'Ada';
  let defaults = { input: '1', output: '1' };
  const applied: Change[] = [];
  const prop = (csv: string) => FIELDS.find((f) => f.csv === csv)!.id;
  const change = (c: Change) => {
    for (const r of c.rows ?? []) rates = [...rates.filter((x) => !(x.provider === r.provider && x.model === r.model)), r];
    for (const e of c.edits ?? []) {
      if (!e.provider) {
        defaults = { ...defaults, [e.field]: e.value };
        continue;
      }
      const old = rates.find((x) => x.provider === e.provider && x.model === e.model) ?? row(e.provider, e.model ?? '');
      rates = [...rates.filter((x) => x !== old), { ...old, [prop(e.field)]: e.value }];
    }
    if (c.defaults) defaults = c.defaults;
    version++;
  };
  const fake = installFakeBridge({
    'Rates.Table': () => makeTable(rates, version, defaults, by, local),
    'Rates.Apply': (c: Change) => {
      applied.push(c);
      if (c.baseVersion && c.baseVersion !== version) {
        throw coded('changed', `the rates changed since you opened them (version ${version} by ${by}); review and save again`);
      }
      change(c);
      by = 'Ada';
      // As rates.Service.TableAfter: the version this save made, in force at the read.
      return { ...makeTable(rates, version, defaults, 'Ada', local), appliedVersion: version, appliedInForce: true };
    },
    'Rates.Calculate': () => ({ perToken: '0.0003', display: '300', exact: true }),
    // As Go's Preview of a change it takes (what it lists is not shown: the card lists the edits itself).
    'Rates.Preview': () => [],
  });
  const elsewhere = (c: Change, who = 'Bob') => {
    change(c);
    by = who;
  };
  return { fake, applied, elsewhere };
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const saveButton = () => screen.getByTestId('rates-save') as HTMLButtonElement;

describe('Settings → Rates', () => {
  it('opened on rows (the chat checklist\'s Set rates), highlights them, names them and scrolls to the first', async () => {
    fakeRates();
    const scrolled: string[] = [];
    const orig = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this.getAttribute('data-testid') ?? '');
    };
    try {
      render(Rates, { params: {}, query: { rows: 'openai/gpt-4-turbo\nlocal/gone' } });
      await screen.findByTestId('rates-provider-openai');
      expect(screen.getByTestId('rates-row-openai-gpt-4-turbo').dataset.highlight).toBe('true');
      expect(screen.getByTestId('rates-row-openai-gpt-4o').dataset.highlight).toBe('false');
      expect(screen.getByTestId('rates-wanted').textContent).toContain('Highlighted below: openai/gpt-4-turbo, charged');
      expect(screen.getByTestId('rates-wanted-missing').textContent).toContain('Not in the table: local/gone');
      await waitFor(() => expect(scrolled).toEqual(['rates-row-openai-gpt-4-turbo']));
      // Its input rate has the focus: the banner says to type it.
      expect(document.activeElement).toBe(input('rate-openai-gpt-4-turbo-input'));
    } finally {
      Element.prototype.scrollIntoView = orig;
    }
  });

  it('opened on rows with the focus already on the page (a field the user went to): leaves it there', async () => {
    fakeRates();
    const elsewhere = document.createElement('input');
    document.body.append(elsewhere);
    elsewhere.focus();
    try {
      render(Rates, { params: {}, query: { rows: 'openai/gpt-4-turbo' } });
      await screen.findByTestId('rates-provider-openai');
      await new Promise((r) => setTimeout(r, 20));
      expect(document.activeElement).toBe(elsewhere);
    } finally {
      elsewhere.remove();
    }
  });

  // The readiness step sends every row the default prices; the banner names
  // five, and a row saved with rates of its own is no longer "charged the
  // default rate": it leaves the banner and the highlight.
  it('opened on many rows, names five and how many more; a row saved with its own rates drops out', async () => {
    const { applied } = fakeRates([], ['m1', 'm2', 'm3', 'm4', 'm5']);
    const rows = ['openai/gpt-4-turbo', 'openai/gpt-4o', 'local/m1', 'local/m2', 'local/m3', 'local/m4', 'local/m5'];
    render(Rates, { params: {}, query: { rows: rows.join('\n') } });
    await screen.findByTestId('rates-provider-openai');
    const banner = () => screen.getByTestId('rates-wanted').textContent!.replace(/\s+/g, ' ').trim();
    expect(banner()).toBe(
      'Highlighted below: openai/gpt-4-turbo, openai/gpt-4o, local/m1, local/m2, local/m3 and 2 more, charged the default rate until you set theirs. Type an input and an output rate, then Save.',
    );
    await fireEvent.input(input('rate-openai-gpt-4-turbo-input'), { target: { value: '10' } });
    await fireEvent.input(input('rate-openai-gpt-4-turbo-output'), { target: { value: '30' } });
    expect(screen.getByTestId('rates-row-openai-gpt-4-turbo').dataset.highlight).toBe('true'); // not saved yet
    await fireEvent.click(saveButton());
    await waitFor(() => expect(applied).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId('rates-row-openai-gpt-4-turbo').dataset.highlight).toBe('false'));
    expect(screen.getByTestId('rates-row-openai-gpt-4o').dataset.highlight).toBe('true');
    expect(banner()).toContain('Highlighted below: openai/gpt-4o, local/m1, local/m2, local/m3, local/m4 and 1 more, charged');
    // Only an input rate of its own: the default still prices its output.
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '5' } });
    await fireEvent.click(saveButton());
    await waitFor(() => expect(applied).toHaveLength(2));
    expect(screen.getByTestId('rates-row-openai-gpt-4o').dataset.highlight).toBe('true');
    await fireEvent.input(input('rate-openai-gpt-4o-output'), { target: { value: '15' } });
    await fireEvent.click(saveButton());
    await waitFor(() => expect(screen.getByTestId('rates-row-openai-gpt-4o').dataset.highlight).toBe('false'));
    expect(banner()).toContain('Highlighted below: local/m1, local/m2, local/m3, local/m4, local/m5, charged the default rate until you set theirs.');
  });

  it('opened on one row, drops the banner once it is saved with its own rates', async () => {
    fakeRates();
    render(Rates, { params: {}, query: { rows: 'openai/gpt-4o' } });
    await screen.findByTestId('rates-provider-openai');
    expect(screen.getByTestId('rates-wanted').textContent).toContain('until you set its own');
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '5' } });
    await fireEvent.input(input('rate-openai-gpt-4o-output'), { target: { value: '15' } });
    await fireEvent.click(saveButton());
    await waitFor(() => expect(screen.queryByTestId('rates-wanted')).toBeNull());
    expect(screen.getByTestId('rates-row-openai-gpt-4o').dataset.highlight).toBe('false');
  });

  // The row asked for first has gone since (removed here or elsewhere, or
  // no longer listed): the page says it is not there and scrolls to the
  // first one that is; with none there, it scrolls to nothing.
  it('opened on rows that are gone: says they are not there, and scrolls only to a row that is', async () => {
    const { fake } = fakeRates([], ['llama3']);
    fake.handlers['Rates.RemoveModel'] = () => makeTable([], 1);
    const scrolled: string[] = [];
    const orig = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this.getAttribute('data-testid') ?? '');
    };
    try {
      const { unmount } = render(Rates, { params: {}, query: { rows: 'local/gone\nlocal/llama3' } });
      await screen.findByTestId('rates-provider-openai');
      expect(screen.getByTestId('rates-wanted-missing').textContent!.replace(/\s+/g, ' ')).toContain(
        'Not in the table: local/gone (it was removed, or its provider no longer lists it). To price it, add it under "Add a custom model" below.',
      );
      expect(screen.getByTestId('rates-wanted').textContent).toContain('Highlighted below: local/llama3, charged');
      await waitFor(() => expect(scrolled).toEqual(['rates-row-local-llama3']));

      // Removed while shown: named as not there, no longer highlighted.
      await fireEvent.click(screen.getByTestId('rates-remove-local-llama3'));
      await waitFor(() => expect(screen.queryByTestId('rates-row-local-llama3')).toBeNull());
      expect(screen.queryByTestId('rates-wanted')).toBeNull();
      expect(screen.getByTestId('rates-wanted-missing').textContent).toContain('Not in the table: local/gone, local/llama3 (they were removed');
      unmount();
      toast.clear();

      // None of them there: nothing is scrolled to.
      scrolled.length = 0;
      render(Rates, { params: {}, query: { rows: 'local/gone\nopenai/old' } });
      await screen.findByTestId('rates-provider-openai');
      expect(screen.getByTestId('rates-wanted-missing').textContent).toContain('Not in the table: local/gone, openai/old');
      expect(screen.queryByTestId('rates-wanted')).toBeNull();
      await new Promise((r) => setTimeout(r, 20));
      expect(scrolled).toEqual([]);
    } finally {
      Element.prototype.scrollIntoView = orig;
    }
  });

  it('opened plainly, highlights nothing', async () => {
    fakeRates();
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    expect(screen.queryByTestId('rates-wanted')).toBeNull();
    expect(screen.getByTestId('rates-row-openai-gpt-4o').dataset.highlight).toBe('false');
  });

  it('shows stored rates and the effective default as placeholder', async () => {
    fakeRates([row('openai', 'gpt-4-turbo', { input: '10', output: '10' })]);
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    expect(input('rate-openai-gpt-4-turbo-input').value).toBe('10');
    expect(input('rate-openai-gpt-4-turbo-cacheRead').value).toBe('');
    expect(input('rate-openai-gpt-4-turbo-cacheRead').placeholder).toBe('10'); // falls back to input
    expect(input('rate-openai-gpt-4o-input').placeholder).toBe('1'); // blank → default 1 credit per token
    expect(input('rate-openai-gpt-4o-perRequest').placeholder).toBe('0');
    expect(screen.getByTestId('rates-version').textContent).toContain('Version 1');
    expect(usable(saveButton())).toBe(false); // nothing to save
  });

  it('shows a large placeholder short and exact (1M, not a clipped 100000), with the full value as title', async () => {
    fakeRates();
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.change(screen.getByTestId('rates-unit'), { target: { value: '1m' } });
    const blank = input('rate-openai-gpt-4o-input');
    expect(blank.placeholder).toBe('1M'); // the default 1 credit per token
    expect(blank.title).toBe('Blank: 1000000 credits per 1M tokens (the default or fallback)');
    expect(input('rate-openai-gpt-4o-perRequest').placeholder).toBe('0');
    expect(input('rate-openai-gpt-4o-perRequest').title).toBe('Blank: 0 credits per request (the default or fallback)');
    await fireEvent.input(blank, { target: { value: '2.5' } });
    expect(blank.title).toBe('2.5 credits per 1M tokens');
  });

  it.each([
    ['1000000', '1M'], ['2500000', '2.5M'], ['10000', '10K'], ['1000000000', '1B'], ['1234567', '1234567'],
    ['1000', '1000'], ['1000000.5', '1000000.5'], ['0.0000025', '0.0000025'], ['', ''],
  ])('compactRate(%s) = %s', (v, want) => {
    expect(compactRate(v)).toBe(want);
  });

  it('validates as you type, previews, and saves exact per-token values', async () => {
    const { applied } = fakeRates();
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.change(screen.getByTestId('rates-unit'), { target: { value: '1m' } });

    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '-1' } });
    expect(input('rate-openai-gpt-4o-input').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('rates-invalid-count').textContent).toContain('1 field is not valid');
    expect(usable(saveButton())).toBe(false);

    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '2.5' } });
    await fireEvent.input(input('rate-openai-gpt-4o-output'), { target: { value: '0.0000001' } }); // 1e-13 per token
    expect(usable(saveButton())).toBe(false);
    expect(screen.getByText(/Too precise/)).toBeTruthy();
    await fireEvent.input(input('rate-openai-gpt-4o-output'), { target: { value: '10' } });
    expect(usable(saveButton())).toBe(true);
    // Placeholders follow the edits: cached input falls back to the new input rate.
    expect(input('rate-openai-gpt-4o-cacheRead').placeholder).toBe('2.5');

    const preview = screen.getByTestId('rates-preview').textContent ?? '';
    expect(preview).toContain('openai/gpt-4o');
    expect(preview).toMatch(/Input:\s*default\s*→\s*2\.5/);
    expect(preview).toMatch(/Output:\s*default\s*→\s*10/);

    await fireEvent.click(saveButton());
    await waitFor(() => expect(applied).toHaveLength(1));
    // Only the fields edited, against the version shown.
    expect(applied[0]).toEqual({
      baseVersion: 1,
      edits: [
        { provider: 'openai', model: 'gpt-4o', field: 'input', value: '0.0000025' },
        { provider: 'openai', model: 'gpt-4o', field: 'output', value: '0.00001' },
      ],
    });
    await waitFor(() => expect(screen.getByTestId('rates-version').textContent).toContain('Version 2'));
    expect(input('rate-openai-gpt-4o-input').value).toBe('2.5'); // shown per 1M
    expect(usable(saveButton())).toBe(false);
    toast.clear();
  });

  // A save whose rates were in force already (the same saved elsewhere
  // meanwhile): the backend's table says unchanged, and so does the toast,
  // not "Rate version N was saved".
  it('says a save that changed nothing is unchanged', async () => {
    const { fake } = fakeRates();
    const apply = fake.handlers['Rates.Apply'];
    fake.handlers['Rates.Apply'] = (c: Change) => ({ ...(apply(c) as Table), unchanged: true });
    toast.clear();
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '2' } });
    await fireEvent.click(saveButton());
    await waitFor(() => expect(toast.items.map((t) => t.title)).toEqual(['Unchanged']));
    expect(toast.items[0].message).toMatch(/^The rates were these already: rate version \d+ stays in force\.$/);
    toast.clear();
  });

  // The toast names the version this save made or found (appliedVersion),
  // and says it is in force only when the backend says it still is
  // (appliedInForce): when another save came between this one and the
  // table's read, it names that newer one as the one in force.
  it.each([
    [false, true, 40, 'Rates saved', 'Rate version 40 is now in force.'],
    [false, false, 41, 'Rates saved', 'Rate version 40 was saved; version 41, saved since, is in force.'],
    [true, true, 40, 'Unchanged', 'The rates were these already: rate version 40 stays in force.'],
    [true, false, 41, 'Unchanged', 'The rates were these already (rate version 40); version 41, saved since, is in force.'],
  ])('says of a save (unchanged %s, in force %s, table at %i) what is true', async (unchanged, appliedInForce, tableAt, title, message) => {
    const { fake } = fakeRates();
    const apply = fake.handlers['Rates.Apply'];
    fake.handlers['Rates.Apply'] = (c: Change) => {
      const t = apply(c) as Table;
      return { ...t, version: { ...t.version, id: tableAt }, appliedVersion: 40, appliedInForce, unchanged };
    };
    toast.clear();
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '2' } });
    await fireEvent.click(saveButton());
    await waitFor(() => expect(toast.items).toHaveLength(1));
    expect([toast.items[0].title, toast.items[0].message]).toEqual([title, message]);
    toast.clear();
  });

  // An import names the version the file made, "in force" only while the
  // backend says it is; a file with the rates as they are says so and keeps
  // the edits; a cancelled dialog (no appliedVersion) says nothing. It
  // said "rate version N is now in force" of the table's version, whoever
  // saved it, and nothing when the file changed nothing.
  it.each([
    [{ appliedVersion: 7, appliedInForce: true }, 7, 'Imported: rate version 7 is now in force.', ''],
    [{ appliedVersion: 7, appliedInForce: false }, 8, 'Imported as rate version 7; version 8, saved since, is in force.', ''],
    [{ appliedVersion: 1, appliedInForce: true, unchanged: true }, 1, 'The file holds the rates as they are: rate version 1 stays in force.', '2'],
    // A file that only added a model to the catalogue made no version: it said "Imported: rate version 1 is now in force."
    [{ appliedVersion: 1, appliedInForce: true, modelsAddedOnly: ['local/new-a'] }, 1, 'Added model local/new-a to the catalogue; rate version 1 stays in force.', '2'],
    [{ appliedVersion: 1, appliedInForce: true, modelsAddedOnly: ['local/a', 'local/b'] }, 1, 'Added models local/a, local/b to the catalogue; rate version 1 stays in force.', '2'],
    [{ appliedVersion: 1, appliedInForce: false, modelsAddedOnly: ['local/a'] }, 2, 'Added model local/a to the catalogue (rate version 1); version 2, saved since, is in force.', '2'],
    [{}, 1, '', '2'],
  ])('says of an import %o what is true', async (said, tableAt, message, kept) => {
    const { fake } = fakeRates();
    fake.handlers['Rates.ImportFromFile'] = () => {
      const t = (fake.handlers['Rates.Table'] as () => Table)();
      return { ...t, version: { ...t.version, id: tableAt }, ...said };
    };
    toast.clear();
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '2' } });
    await fireEvent.click(screen.getByTestId('rates-import'));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'ImportFromFile')).toBe(true));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toEqual(message ? [message] : []));
    expect(input('rate-openai-gpt-4o-input').value).toBe(kept);
    toast.clear();
  });

  it('keeps the focus on Save after a save from the keyboard; Save and Discard then ignore a press (nothing to do)', async () => {
    const { fake, applied } = fakeRates();
    let finish = () => {};
    const apply = fake.handlers['Rates.Apply'];
    fake.handlers['Rates.Apply'] = (c: Change) => new Promise((resolve) => (finish = () => resolve(apply(c))));
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    const save = saveButton();
    const discard = screen.getByTestId('rates-discard') as HTMLButtonElement;
    // Nothing to do: focusable (aria-disabled, not disabled), and a press does nothing.
    expect([save.disabled, discard.disabled]).toEqual([false, false]);
    expect([save.getAttribute('aria-disabled'), discard.getAttribute('aria-disabled')]).toEqual(['true', 'true']);
    await fireEvent.click(save);
    expect(applied).toHaveLength(0);

    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '2' } });
    expect(usable(save)).toBe(true);
    save.focus();
    await fireEvent.click(save); // Enter on the focused Save
    // Busy: still focused, aria-disabled; a second press and Discard are ignored.
    await waitFor(() => expect(save.textContent).toBe('Saving…'));
    expect(save.getAttribute('aria-disabled')).toBe('true');
    expect(discard.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(save);
    await fireEvent.click(save);
    await fireEvent.click(discard);
    expect(input('rate-openai-gpt-4o-input').value).toBe('2');
    finish();
    await waitFor(() => expect(screen.getByTestId('rates-version').textContent).toContain('Version 2'));
    expect(applied).toHaveLength(1);
    expect(fake.calls.filter((c) => c.method === 'Apply')).toHaveLength(1);
    expect(save.getAttribute('aria-disabled')).toBe('true'); // saved: nothing left to save
    expect(document.activeElement).toBe(save);
    toast.clear();
  });

  // A disabled button drops the keyboard focus to <body>: Save with a field
  // not valid and Add model with no name (as after an add clears it) are
  // aria-disabled instead, keep the focus, and ignore a press.
  it('keeps the focus on Save and Add model when they become unusable, and ignores a press then', async () => {
    const { fake, applied } = fakeRates();
    const models: string[] = [];
    fake.handlers['Rates.AddModel'] = (provider: string, model: string) => {
      models.push(`${provider}/${model}`);
      return makeTable([]);
    };
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    const save = saveButton();
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '2' } });
    save.focus();
    await fireEvent.input(input('rate-openai-gpt-4o-output'), { target: { value: '-1' } }); // typed elsewhere meanwhile
    expect(usable(save)).toBe(false);
    expect(document.activeElement).toBe(save);
    expect(save.getAttribute('aria-describedby')).toBe('rates-invalid-count');
    await fireEvent.click(save);
    expect(applied).toHaveLength(0);

    const add = screen.getByTestId('rates-add-model') as HTMLButtonElement;
    expect(usable(add)).toBe(false);
    await fireEvent.input(screen.getByTestId('rates-new-model'), { target: { value: 'llama3.1:8b' } });
    expect(usable(add)).toBe(true);
    add.focus();
    await fireEvent.click(add);
    await waitFor(() => expect(models).toEqual(['local/llama3.1:8b']));
    await waitFor(() => expect(usable(add)).toBe(false)); // the name is cleared
    expect(document.activeElement).toBe(add);
    await fireEvent.click(add);
    expect(models).toHaveLength(1);
    toast.clear();
  });

  it("marks the model name Go refused, by the field its refusal names, and says why in Go's words", async () => {
    const { fake } = fakeRates();
    // app/testdata/refusal_words.json's "rates model name too long", then an error about no field (Go's plain text).
    const refusals: unknown[] = [
      refusal('add a model: model name is longer than 200 characters', 'Model name is longer than 200 characters', 'model'),
      'add local/llama3: model is already in the catalogue',
    ];
    fake.handlers['Rates.AddModel'] = () => { throw refusals.shift(); };
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    const name = screen.getByTestId('rates-new-model');
    await fireEvent.input(name, { target: { value: 'm'.repeat(201) } });
    await fireEvent.click(screen.getByTestId('rates-add-model'));
    await waitFor(() => expect(screen.getByTestId('rates-action-error-message').textContent).toBe('Model name is longer than 200 characters'));
    expect(fieldState(name)).toEqual({ invalid: 'true', description: expect.stringContaining('Model name is longer than 200 characters') });
    expect((name as HTMLInputElement).value).toHaveLength(201); // kept, to correct
    // A refusal that names no field marks nothing.
    await fireEvent.click(screen.getByTestId('rates-add-model'));
    await waitFor(() => expect(screen.getByTestId('rates-action-error-message').textContent).toBe('add local/llama3: model is already in the catalogue'));
    expect(fieldState(name)).toEqual({ invalid: null, description: '' });
    toast.clear();
  });

  // Save refused a new model named like a flag ("-x": a table row whose model left the catalogue meanwhile)
  // that the Unsaved changes card listed as if Save would take it. The card asks Go's Preview, which applies
  // Save's rules (backend/rates TestPreviewRefusesWhatSaveRefuses), and shows its refusal in Go's words.
  it("shows what Save would refuse, as Go's Preview says it, before Save is pressed", async () => {
    const { fake, applied } = fakeRates([], ['-x']);
    const goText = 'invalid rates (1 problem, nothing applied): (local/-x): model name "-x" starts with "-": a new model\'s name may not ' +
      '(a flag or a negative number given where the model goes?); a model a provider reports so can be priced once its list is refreshed';
    const goSays = 'I' + goText.slice(1); // app.FormatError's reason (rates.ValidationError's, as a sentence)
    fake.handlers['Rates.Preview'] = (c: Change) => {
      if (c.edits?.some((e) => e.model === '-x')) throw refusal(goText, goSays);
      return [];
    };
    render(Rates, props);
    await screen.findByTestId('rates-provider-local');
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '2' } });
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'Preview')).toBe(true));
    expect(screen.queryByTestId('rates-preview-refused')).toBeNull(); // Go takes this one
    await fireEvent.input(input('rate-local--x-input'), { target: { value: '1' } });
    await waitFor(() => expect(screen.getByTestId('rates-preview-refused-message').textContent).toBe(goSays));
    expect(screen.getByTestId('rates-preview-refused').getAttribute('role')).toBe('alert');
    // Asked with the edits Save would send (no copy of the rule here: the fake refuses what the test scripts).
    const last = fake.calls.filter((c) => c.method === 'Preview').at(-1)!.args[0] as Change;
    expect(last.edits).toEqual([
      { provider: 'openai', model: 'gpt-4o', field: 'input', value: '2' },
      { provider: 'local', model: '-x', field: 'input', value: '1' },
    ]);
    // The edit set back: Go takes the rest, and the refusal goes.
    await fireEvent.input(input('rate-local--x-input'), { target: { value: '' } });
    await waitFor(() => expect(screen.queryByTestId('rates-preview-refused')).toBeNull());
    expect(applied).toHaveLength(0);
  });

  // Any error of Preview but "unavailable" was shown under "Save would be refused": a busy database or a lost
  // connection too, which Save would not refuse. Only Go's refusal is; a failed check says it could not check.
  it.each([
    ['a busy database', 'preview rates: database is locked (5) (SQLITE_BUSY)'],
    ['a lost connection', 'preview rates: read current version: sql: database is closed'],
  ])('does not say Save would be refused when the check itself failed (%s)', async (_what, goText) => {
    const { fake } = fakeRates();
    fake.handlers['Rates.Preview'] = () => { throw goText; };
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '2' } });
    await waitFor(() => expect(screen.getByTestId('rates-preview-unchecked').textContent).toBe('Could not check these changes now: Save checks them again.'));
    expect(screen.queryByTestId('rates-preview-refused')).toBeNull();
    expect(screen.getByTestId('rates-preview-unchecked').getAttribute('role')).toBeNull(); // quiet: no alert
    expect(usable(saveButton())).toBe(true);
    // The check answering again clears the note.
    fake.handlers['Rates.Preview'] = () => [];
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '3' } });
    await waitFor(() => expect(screen.queryByTestId('rates-preview-unchecked')).toBeNull());
  });

  it('says a refusal once after Save is refused with the words Preview already showed', async () => {
    const { fake } = fakeRates([], ['-x']);
    const goText = 'invalid rates (1 problem, nothing applied): (local/-x): model name "-x" starts with "-"';
    const sent = refusal(goText, 'I' + goText.slice(1));
    fake.handlers['Rates.Preview'] = () => { throw sent; };
    fake.handlers['Rates.Apply'] = () => { throw sent; };
    render(Rates, props);
    await screen.findByTestId('rates-provider-local');
    await fireEvent.input(input('rate-local--x-input'), { target: { value: '1' } });
    await waitFor(() => expect(screen.getByTestId('rates-preview-refused-message').textContent).toBe(sent.reason));
    await fireEvent.click(saveButton());
    await waitFor(() => expect(screen.getByTestId('rates-action-error-message').textContent).toBe(sent.reason));
    expect(screen.queryByTestId('rates-preview-refused')).toBeNull();
    expect(screen.getAllByText(sent.reason)).toHaveLength(1);
    // Dismissed, the card says it again (Save would still refuse it).
    await fireEvent.click(screen.getByTestId('rates-action-error-dismiss'));
    expect(screen.getByTestId('rates-preview-refused-message').textContent).toBe(sent.reason);
  });

  it('discards unsaved edits', async () => {
    const { applied } = fakeRates([row('openai', 'gpt-4o', { input: '3' })]);
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '7' } });
    await fireEvent.input(input('rates-default-output'), { target: { value: '' } });
    expect(screen.getByTestId('rates-default-output-error').textContent).toMatch(/cannot be blank/);
    await fireEvent.click(screen.getByTestId('rates-discard'));
    expect(input('rate-openai-gpt-4o-input').value).toBe('3');
    expect(input('rates-default-output').value).toBe('1');
    expect(usable(saveButton())).toBe(false);
    expect(applied).toHaveLength(0);
  });

  it('changes the default rates', async () => {
    const { applied } = fakeRates();
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.input(input('rates-default-input'), { target: { value: '0.5' } });
    expect(input('rate-openai-gpt-4o-input').placeholder).toBe('0.5');
    await fireEvent.click(saveButton());
    await waitFor(() => expect(applied).toHaveLength(1));
    expect(applied[0]).toEqual({ baseVersion: 1, edits: [{ field: 'input', value: '0.5' }] });
    toast.clear();
  });

  it('refuses a save over rates changed meanwhile, shows them with the edits on top, and saves only the edits', async () => {
    const { applied, elsewhere } = fakeRates([row('openai', 'gpt-4o', { input: '0.0000025', output: '0.00001' })]);
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.change(screen.getByTestId('rates-unit'), { target: { value: '1m' } });
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '3' } });
    // Meanwhile: rates set openai gpt-4o --unit 1m --output 20 --cache-read 1.
    elsewhere({ edits: [
      { provider: 'openai', model: 'gpt-4o', field: 'output', value: '0.00002' },
      { provider: 'openai', model: 'gpt-4o', field: 'cache_read', value: '0.000001' },
    ] });
    await fireEvent.click(saveButton());
    expect((await screen.findByTestId('rates-action-error')).textContent).toContain(
      'the rates changed since you opened them (version 2 by Bob); review and save again',
    );
    // The table shows version 2 with the edit on top.
    await waitFor(() => expect(screen.getByTestId('rates-version').textContent).toContain('Version 2'));
    expect(screen.getByTestId('rates-reloaded').textContent).toMatch(/version 2 by Bob, with your unsaved edits on top/);
    expect(input('rate-openai-gpt-4o-input').value).toBe('3');
    expect(input('rate-openai-gpt-4o-output').value).toBe('20');
    expect(input('rate-openai-gpt-4o-cacheRead').value).toBe('1');
    const preview = screen.getByTestId('rates-preview');
    expect(preview.querySelectorAll('li')).toHaveLength(1);
    expect(preview.textContent).toMatch(/Input:\s*2\.5\s*→\s*3/);

    await fireEvent.click(saveButton());
    await waitFor(() => expect(screen.getByTestId('rates-version').textContent).toContain('Version 3'));
    expect(applied[1]).toEqual({ baseVersion: 2, edits: [{ provider: 'openai', model: 'gpt-4o', field: 'input', value: '0.000003' }] });
    expect(input('rate-openai-gpt-4o-input').value).toBe('3');
    expect(input('rate-openai-gpt-4o-output').value).toBe('20');
    expect(input('rate-openai-gpt-4o-cacheRead').value).toBe('1');
    expect(screen.queryByTestId('rates-reloaded')).toBeNull();
    expect(screen.queryByTestId('rates-action-error')).toBeNull();
    toast.clear();
  });

  it('offers Save and Discard in a bar that stays in sight while there are edits; once done, the focus goes to the card\'s button', async () => {
    const { fake, applied } = fakeRates();
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    expect(screen.queryByTestId('rates-savebar')).toBeNull(); // nothing edited: no bar

    // Discard from the bar: the edits go, the bar goes, the focus is on the card's Discard (not dropped to <body>).
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '3' } });
    const bar = screen.getByTestId('rates-savebar');
    expect(bar.getAttribute('role')).toBe('region');
    expect(screen.getByTestId('rates-savebar-text').textContent).toBe('1 unsaved change');
    const barDiscard = screen.getByTestId('rates-savebar-discard');
    barDiscard.focus();
    await fireEvent.click(barDiscard);
    await waitFor(() => expect(screen.queryByTestId('rates-savebar')).toBeNull());
    expect(input('rate-openai-gpt-4o-input').value).toBe('');
    expect(document.activeElement).toBe(screen.getByTestId('rates-discard'));

    // A field not valid: said in the bar, whose Save does nothing.
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '2' } });
    await fireEvent.input(input('rate-openai-gpt-4o-output'), { target: { value: 'x' } });
    expect(screen.getByTestId('rates-savebar-text').textContent).toBe('1 unsaved change · 1 field is not valid');
    expect(usable(screen.getByTestId('rates-savebar-save') as HTMLButtonElement)).toBe(false);
    await fireEvent.click(screen.getByTestId('rates-savebar-save'));
    expect(applied).toHaveLength(0);

    // Saved from the bar: what the card's Save sends, then the focus on the card's Save.
    await fireEvent.input(input('rate-openai-gpt-4o-output'), { target: { value: '6' } });
    expect(screen.getByTestId('rates-savebar-text').textContent).toBe('2 unsaved changes');
    const barSave = screen.getByTestId('rates-savebar-save') as HTMLButtonElement;
    expect(usable(barSave)).toBe(true);
    barSave.focus();
    await fireEvent.click(barSave);
    await waitFor(() => expect(screen.queryByTestId('rates-savebar')).toBeNull());
    expect(applied).toEqual([{ baseVersion: 1, edits: [
      { provider: 'openai', model: 'gpt-4o', field: 'input', value: '2' },
      { provider: 'openai', model: 'gpt-4o', field: 'output', value: '6' },
    ] }]);
    expect(document.activeElement).toBe(saveButton());

    // Refused: the bar stays with the edits, and the focus goes to the card, beside the banner saying why.
    fake.handlers['Rates.Apply'] = () => {
      throw 'change rates: not allowed for your role (admin only)';
    };
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '4' } });
    screen.getByTestId('rates-savebar-save').focus();
    await fireEvent.click(screen.getByTestId('rates-savebar-save'));
    expect((await screen.findByTestId('rates-action-error')).textContent).toContain('admin only');
    await waitFor(() => expect(document.activeElement).toBe(saveButton()));
    expect(screen.getByTestId('rates-savebar')).toBeTruthy();
    toast.clear();
  });

  it('shows the save bar only while the Unsaved changes card lists something: a value set back hides it', async () => {
    fakeRates([row('openai', 'gpt-4o', { input: '0.0000025' })]);
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.change(screen.getByTestId('rates-unit'), { target: { value: '1m' } });
    const card = screen.getByTestId('rates-pending');
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '3' } });
    expect(screen.getByTestId('rates-savebar-text').textContent!.trim()).toBe('1 unsaved change');
    // Typed back to what is saved: nothing to save, so no bar (it said "0 unsaved changes") and the card says None.
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '2.5' } });
    expect(screen.queryByTestId('rates-savebar')).toBeNull();
    expect(card.textContent).toContain('None. Edit a rate in the tables below.');
    // Only a field not valid: the bar says that, with no count of changes.
    await fireEvent.input(input('rate-openai-gpt-4o-output'), { target: { value: 'x' } });
    expect(screen.getByTestId('rates-savebar-text').textContent!.trim()).toBe('1 field is not valid');
    expect(screen.getByTestId('rates-invalid-count')).toBeTruthy();
    await fireEvent.input(input('rate-openai-gpt-4o-output'), { target: { value: '' } });
    expect(screen.queryByTestId('rates-savebar')).toBeNull();
  });

  it('drops a value typed and set back: the unit can be changed, and a change saved elsewhere is shown', async () => {
    const rt = installFakeRuntime();
    const { elsewhere } = fakeRates([row('openai', 'gpt-4o', { input: '0.0000025' })]);
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    const unitPicker = () => screen.getByTestId('rates-unit') as HTMLSelectElement;
    await fireEvent.change(unitPicker(), { target: { value: '1m' } });
    const field = input('rate-openai-gpt-4o-input');
    field.focus();
    await fireEvent.input(field, { target: { value: '3' } });
    expect(unitPicker().disabled).toBe(true); // a real edit: save or discard it first
    // Set back in another form ("2.50" for 2.5): kept as typed while in the field, so typing on is not cut back.
    await fireEvent.input(field, { target: { value: '2.50' } });
    expect(field.value).toBe('2.50');
    // Nothing unsaved: the unit picker is not held ("Save or discard your edits…").
    expect(unitPicker().disabled).toBe(false);
    expect(unitPicker().title).toBe('');
    // Leaving the field drops the edit: it shows the saved rate.
    await fireEvent.focusOut(field);
    expect(field.value).toBe('2.5');

    // Per token: the saved rate, not "2.50" read as 2.50 credits a token.
    await fireEvent.input(field, { target: { value: '2.50' } });
    await fireEvent.change(unitPicker(), { target: { value: 'token' } });
    expect(field.value).toBe('0.0000025');
    expect(screen.queryByTestId('rates-savebar')).toBeNull();
    expect(screen.getByTestId('rates-pending').textContent).toContain('None.');

    // Typed and set back again, then saved elsewhere: the window reloads (version 2) and shows the new rate,
    // which the dropped edit does not turn back into a change to 0.0000025.
    await fireEvent.input(field, { target: { value: '0.000003' } });
    await fireEvent.input(field, { target: { value: '0.0000025' } });
    elsewhere({ edits: [{ provider: 'openai', model: 'gpt-4o', field: 'input', value: '0.000004' }] });
    rt.emit('rates:changed');
    await waitFor(() => expect(screen.getByTestId('rates-version').textContent).toContain('Version 2'));
    expect(input('rate-openai-gpt-4o-input').value).toBe('0.000004');
    expect(screen.queryByTestId('rates-savebar')).toBeNull();
    expect(screen.getByTestId('rates-pending').textContent).toContain('None.');

    // A real edit still holds the reload back (the edit is not lost under the admin's hands).
    await fireEvent.input(input('rate-openai-gpt-4o-output'), { target: { value: '0.00002' } });
    elsewhere({ edits: [{ provider: 'openai', model: 'gpt-4o', field: 'input', value: '0.000005' }] });
    rt.emit('rates:changed');
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('rates-version').textContent).toContain('Version 2');
    expect(input('rate-openai-gpt-4o-output').value).toBe('0.00002');
  });

  it('shows a refused save and keeps the edits', async () => {
    const { fake } = fakeRates();
    fake.handlers['Rates.Apply'] = () => {
      throw 'change rates: not allowed for your role (admin only)';
    };
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.input(input('rate-openai-gpt-4o-input'), { target: { value: '4' } });
    await fireEvent.click(saveButton());
    expect((await screen.findByTestId('rates-action-error')).textContent).toContain('admin only');
    expect(input('rate-openai-gpt-4o-input').value).toBe('4');
  });

  it("prices with the workspace's credit value", async () => {
    const { fake } = fakeRates();
    fake.handlers['Team.Workspace'] = () => ({ name: 'Acme', currency: 'EUR', creditValue: '0.0137' });
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await waitFor(() => expect(input('calc-credit-value').value).toBe('0.0137'));
    await fireEvent.input(input('calc-price'), { target: { value: '2.50' } });
    await waitFor(() => expect(fake.calls.find((c) => c.method === 'Calculate')?.args[0]).toMatchObject({ creditValue: '0.0137' }));
  });

  it('applies the calculator result to a cell with one click', async () => {
    const { fake } = fakeRates();
    render(Rates, props);
    await screen.findByTestId('rates-provider-openai');
    await fireEvent.input(input('calc-price'), { target: { value: '2.50' } });
    await fireEvent.input(input('calc-markup'), { target: { value: '20' } });
    await screen.findByTestId('calc-result', {}, { timeout: 2000 });
    expect(fake.calls.find((c) => c.method === 'Calculate')?.args[0]).toEqual({ price: '2.50', unit: '1m', markupPct: '20', creditValue: '0.01' });
    expect(screen.getByTestId('calc-per-token').textContent).toBe('0.0003');
    await fireEvent.change(screen.getByTestId('calc-target'), { target: { value: 'openai\u0000gpt-4-turbo' } });
    await fireEvent.change(screen.getByTestId('calc-field'), { target: { value: 'output' } });
    await fireEvent.click(screen.getByTestId('calc-apply'));
    expect(input('rate-openai-gpt-4-turbo-output').value).toBe('0.0003');
    expect(usable(saveButton())).toBe(true);
  });
});

// The provider tables line up one under another: every table has the same
// columns (the model, then one of a fixed width per rate), a custom model's
// Remove sitting in its model's cell rather than in a column only some
// tables would have. (Widths themselves: tests/e2e/layout.test.js.)
describe('Settings → Rates: the provider tables share their columns', () => {
  it('gives every table a model column and the same fixed-width rate columns, Remove in the model cell', async () => {
    fakeRates([], ['my-custom-model']);
    render(Rates, props);
    await screen.findByTestId('rates-provider-local');
    const tables = [...document.querySelectorAll<HTMLTableElement>('table.rates')];
    expect(tables).toHaveLength(2);
    for (const t of tables) {
      expect([...t.querySelectorAll('colgroup col')].map((c) => c.classList[0])).toEqual(['model-col', ...FIELDS.map(() => 'rate-col')]);
      expect([...t.querySelectorAll('thead th')].map((th) => th.textContent!.trim())).toEqual(['Model', ...FIELDS.map((f) => f.label)]);
      for (const tr of t.querySelectorAll('tbody tr')) expect(tr.children).toHaveLength(1 + FIELDS.length);
      // Its least width counts one rate column per field (not a number written beside FIELDS).
      expect(t.style.getPropertyValue('--rate-cols')).toBe(String(FIELDS.length));
    }
    const remove = screen.getByTestId('rates-remove-local-my-custom-model');
    expect(remove.closest('th')?.getAttribute('scope')).toBe('row');
    expect(remove.getAttribute('aria-label')).toBe('Remove my-custom-model');
  });
});
