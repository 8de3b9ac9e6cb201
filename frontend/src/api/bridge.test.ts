import { describe, expect, it, vi } from 'vitest';
import { bindingsAvailable, call, setBridge } from './bridge';
import { BackendError, errorMessage, errorReason } from './errors';
import { createFakeBridge } from '../test/fakeBridge';

/** Fails the test when a call that must reject resolves. */
function unexpected(v: unknown): never {
  throw new Error(`expected a rejection, got ${JSON.stringify(v)}`);
}

describe('call over the real Wails bridge', () => {
  it('calls window.go.app.<Struct>.<Method> with the arguments', async () => {
    const fn = vi.fn().mockResolvedValue('v');
    window.go = { app: { System: { GetSetting: fn } } };
    expect(bindingsAvailable()).toBe(true);
    await expect(call<string>('System', 'GetSetting', 'k')).resolves.toBe('v');
    expect(fn).toHaveBeenCalledWith('k');
  });

  it('turns a Go error (rejected string) into a BackendError naming the call', async () => {
    window.go = { app: { System: { Backup: () => Promise.reject('backup: disk full') } } };
    const err = await call('System', 'Backup', '/x').then(unexpected, (e: BackendError) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.message).toBe('backup: disk full');
    expect(err.op).toBe('System.Backup');
    expect(err.kind).toBe('backend');
  });

  it('reports an unavailable backend outside Wails', async () => {
    expect(bindingsAvailable()).toBe(false);
    const err = await call('System', 'Info').then(unexpected, (e: BackendError) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.kind).toBe('unavailable');
    expect(err.op).toBe('System.Info');
  });

  it('reports a missing method as unavailable', async () => {
    window.go = { app: { System: {} } };
    const err = await call('System', 'Nope').then(unexpected, (e: BackendError) => e);
    expect(err.kind).toBe('unavailable');
  });
});

describe('setBridge', () => {
  it('routes calls to the injected bridge and back', async () => {
    const fake = createFakeBridge({ 'X.Y': (a: number, b: number) => `${a}+${b}` });
    setBridge(fake);
    await expect(call('X', 'Y', 1, 2)).resolves.toBe('1+2');
    expect(fake.calls).toEqual([{ struct: 'X', method: 'Y', args: [1, 2] }]);
    setBridge(null);
    await expect(call('X', 'Y')).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('wraps errors thrown by fake handlers', async () => {
    setBridge(createFakeBridge({ 'X.Y': () => { throw new Error('boom'); } }));
    await expect(call('X', 'Y')).rejects.toMatchObject({ name: 'BackendError', message: 'boom', op: 'X.Y' });
  });
});

describe('errorMessage', () => {
  it.each([
    [new Error('e1'), 'e1'],
    ['plain', 'plain'],
    ['', 'Unknown error'],
    [{ message: 'obj' }, 'obj'],
    [{ code: 3 }, '{"code":3}'],
    [{}, 'Unknown error'],
    [null, 'null'],
    [undefined, 'Unknown error'],
  ])('%o -> %s', (input, want) => {
    expect(errorMessage(input)).toBe(want);
  });
});

describe('errorReason: a refused input says its reason only', () => {
  it.each([
    ['top up pool: invalid request: tax rate "abc" must be a fraction from 0 to 1 with at most 6 decimal places (e.g. 0.19)',
      'Tax rate "abc" must be a fraction from 0 to 1 with at most 6 decimal places (e.g. 0.19)'],
    ['top up pool: invalid amount: amount must be greater than zero', 'Amount must be greater than zero'],
    ['add member: invalid input: the name is taken', 'The name is taken'],
    ['invalid chat request: title too long', 'Title too long'],
    ['set parties: invalid invoice party: the seller needs a name', 'The seller needs a name'],
    // Real Go texts (as `meterdesk` prints them after its command's name): the operation goes, the reason stays.
    ['change department 1: invalid input: overdraft: "abc": not a decimal number', 'Overdraft: "abc": not a decimal number'],
    ['set auto-recharge: invalid input: threshold: "-1": amount must not be negative', 'Threshold: "-1": amount must not be negative'],
    ['save package Starter: invalid request: discount "200" must be a percentage 0-100', 'Discount "200" must be a percentage 0-100'],
    ['create an API key: invalid gateway input: give the key a name of 1 to 80 characters on one line (e.g. "laptop script")',
      'Give the key a name of 1 to 80 characters on one line (e.g. "laptop script")'],
    // The context between the operation and the kind says which field or item it is about: it stays.
    ['save package Starter: credits: invalid amount: amount must be greater than zero', 'Credits: amount must be greater than zero'],
    ['transfer 7f3a: leg 2: invalid request: Asked is for a single transfer', 'Leg 2: Asked is for a single transfer'],
    // No reason after the kind: the context and the kind, without the operation (its account code).
    ['set policy dept:1: limit -5: invalid amount', 'Limit -5: invalid amount'],
    ['set policy dept:1: blocked takes no limit: invalid request', 'Blocked takes no limit: invalid request'],
    // Not when the operation holds the context: a package named after the field keeps the field.
    ['save package "Credits pack": credits: invalid amount: amount must be greater than zero', 'Credits: amount must be greater than zero'],
    ['save package Credits pack: credits: invalid amount: amount must be greater than zero', 'Credits: amount must be greater than zero'],
    // Go quotes the package's name (%q): one holding ": " or '"' stays in the operation.
    ['save package "Pro: annual": credits: invalid amount: amount must be greater than zero', 'Credits: amount must be greater than zero'],
    ['save package "Say \\"hi\\"": credits: invalid amount: amount must be greater than zero', 'Credits: amount must be greater than zero'],
    ['top up pool: invalid request: package "Pro: annual" is priced in EUR; give a price in USD',
      'Package "Pro: annual" is priced in EUR; give a price in USD'],
    // A '"' never closed (a name written bare) does not swallow the rest of the text.
    ['save package Say "hi: credits: invalid amount: amount must be greater than zero', 'Credits: amount must be greater than zero'],
    // A user-given name Go quotes is shown as it was typed, never capitalised.
    ['add member "bob": invalid input: the name is taken', 'The name is taken'],
    ['set limits: "bob": invalid amount: the daily limit must be positive', '"bob": the daily limit must be positive'],
    // A context restating the operation (the app layer's wrap over the backend's) goes with it.
    ['add member: add member "bob": invalid input: the name is taken', 'The name is taken'],
    ['history: history: invalid request: a limit and a cursor are positive (0 = the default)', 'A limit and a cursor are positive (0 = the default)'],
    ['audit log: read the audit log: invalid input: limit 0', 'Limit 0'],
    // Whole words only: "auditor notes" does not restate "audit".
    ['audit: auditor notes: invalid input: too long', 'Auditor notes: too long'],
    // A kind wrapped again inside the reason goes too.
    ['change the workspace: invalid input: what a credit is worth: invalid amount: credit value "-1" must be a positive decimal with at most 12 decimal places',
      'What a credit is worth: credit value "-1" must be a positive decimal with at most 12 decimal places'],
    // A quoted name holding ": " is one segment, not a context.
    ['create department "R&D: West": invalid input: the department name "R&D: West" mixes Latin and Cyrillic letters in one word',
      'The department name "R&D: West" mixes Latin and Cyrillic letters in one word'],
    ['create department "say \\"hi\\": x": invalid input: a department name has 1 to 100 characters', 'A department name has 1 to 100 characters'],
    // Not a refused input, or a kind with neither a reason nor a context: as it is.
    ['backup: disk full', 'backup: disk full'],
    ['top up pool: invalid amount', 'top up pool: invalid amount'],
    ['the key is invalid: expired', 'the key is invalid: expired'],
    ['test provider "OpenAI": invalid API key', 'test provider "OpenAI": invalid API key'],
    // team.ErrChanged: from the setting someone else changed on.
    ['change the workspace: the time zone was changed by someone else since you opened it (now Europe/Paris): reload and try again',
      'The time zone was changed by someone else since you opened it (now Europe/Paris): reload and try again'],
    ['change the workspace: what a credit is worth was changed by someone else since you opened it (now 0.01 USD): reload and try again',
      'What a credit is worth was changed by someone else since you opened it (now 0.01 USD): reload and try again'],
    ['change the workspace: the address (now "Main St: 1") and whether top-up prices include tax (now they include tax) were changed by someone else since you opened them: reload and try again',
      'The address (now "Main St: 1") and whether top-up prices include tax (now they include tax) were changed by someone else since you opened them: reload and try again'],
    // A value quoting Go's "invalid …: " shape: the stale-edit shape wins.
    ['change the workspace: the address (now "Dept: invalid entry: see notes") was changed by someone else since you opened it: reload and try again',
      'The address (now "Dept: invalid entry: see notes") was changed by someone else since you opened it: reload and try again'],
    ['the time zone was changed by someone else since you opened it (now UTC): reload and try again',
      'The time zone was changed by someone else since you opened it (now UTC): reload and try again'],
  ])('%s', (message, want) => {
    expect(errorReason(message)).toBe(want);
  });

  it('is what a BackendError shows; the whole Go text stays in detail', async () => {
    setBridge(createFakeBridge({ 'Credits.TopUp': () => { throw 'top up pool: invalid request: tax rate "x" must be a fraction'; } }));
    const err = await call('Credits', 'TopUp', {}).then(unexpected, (e: BackendError) => e);
    expect(err.message).toBe('Tax rate "x" must be a fraction');
    expect(err.detail).toBe('top up pool: invalid request: tax rate "x" must be a fraction');
    setBridge(null);
  });

  // A refusal said in plain words (app.RefusalError, the Go side's Wails
  // ErrorFormatter) comes with its reason: shown without its operation, never
  // a transfer's id; the whole text stays in detail. It showed the raw chain.
  it.each([
    ['create an API key for bob: an active key is already named "laptop"; pick another name or revoke that key',
      'an active key is already named "laptop"; pick another name or revoke that key',
      'An active key is already named "laptop"; pick another name or revoke that key'],
    ['transfer 5d0e8b1c-0000-4000-8000-000000000001: credits cannot go to user:3: member lee was removed, and their wallet owes nothing',
      'credits cannot go to user:3: member lee was removed, and their wallet owes nothing',
      'Credits cannot go to user:3: member lee was removed, and their wallet owes nothing'],
    ['transfer 5d0e8b1c-0000-4000-8000-000000000001: credits cannot go to dept:2: department Eng is archived; only its account\'s debt may be settled, at most 8 credits (asked for 18)',
      'credits cannot go to dept:2: department Eng is archived; only its account\'s debt may be settled, at most 8 credits (asked for 18)',
      'Credits cannot go to dept:2: department Eng is archived; only its account\'s debt may be settled, at most 8 credits (asked for 18)'],
    ['set policy user:3: user:3 cannot take the overdraft policy: member lee was removed, and their wallet keeps the blocked policy (no minimum balance keeps its credits from going back to the pool, no overdraft takes it below zero)',
      'user:3 cannot take the overdraft policy: member lee was removed, and their wallet keeps the blocked policy (no minimum balance keeps its credits from going back to the pool, no overdraft takes it below zero)',
      'user:3 cannot take the overdraft policy: member lee was removed, and their wallet keeps the blocked policy (no minimum balance keeps its credits from going back to the pool, no overdraft takes it below zero)'],
    // A reason that starts with a name or a code is shown as it is spelt.
    ['move 5 credits from ml-ops: ml-ops has only 2 credits available', 'ml-ops has only 2 credits available', 'ml-ops has only 2 credits available'],
    ['transfer t-1: "bob" has only 2 credits', '"bob" has only 2 credits', '"bob" has only 2 credits'],
    ['archive department 2: move its 2 members to another department first', 'move its 2 members to another department first',
      'Move its 2 members to another department first'],
  ])('%s', async (message, reason, want) => {
    setBridge(createFakeBridge({ 'Credits.Transfer': () => { throw { message, reason }; } }));
    const err = await call('Credits', 'Transfer', {}).then(unexpected, (e: BackendError) => e);
    expect(err.message).toBe(want);
    expect(err.message).not.toContain('5d0e8b1c');
    expect(err.detail).toBe(message);
    setBridge(null);
  });
});
