import { describe, expect, it, vi } from 'vitest';
import { bindingsAvailable, call, setBridge } from './bridge';
import { BackendError, errorMessage } from './errors';
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

describe('BackendError.from: a refusal says its reason only', () => {
  // A refused input (backend/inputerr) comes as app.RefusalError: the Go
  // text (first column), and its reason without the operation or Go's kind
  // ("invalid amount"), with the field it is about, as a sentence the
  // backend made of Go's reason (inputerr.Sentence, the second column; Go's
  // reason itself and the capitals are tested in Go, inputerr.TestSentence,
  // so the window never sees it: the column that held it here, read by no
  // assertion, is gone). The window shows the sentence as sent; the whole
  // text stays in detail. (The window used to cut these
  // words out of the text itself, and then capitalise them; errors.test.ts
  // checks the words of ~45 real refusals from the Go side,
  // app/testdata/refusal_words.json.)
  it.each([
    ['top up pool: invalid request: tax rate "abc" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction',
      'Tax rate "abc" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction'],
    ['set invoice parties: invalid invoice party: the seller needs a name', 'The seller needs a name'],
    ['create an API key: invalid gateway input: give the key a name of 1 to 80 characters on one line (e.g. "laptop script")',
      'Give the key a name of 1 to 80 characters on one line (e.g. "laptop script")'],
    // The field the reason is about stays, capitalised as the first word.
    ['save package "Starter": credits: invalid amount: amount must be greater than zero',
      'Credits: amount must be greater than zero'],
    ['change department 1: invalid input: overdraft: "abc": not a decimal number',
      'Overdraft: "abc": not a decimal number'],
    ['transfer 7f3a: leg 2: invalid request: Asked is for a single transfer',
      'Leg 2: Asked is for a single transfer'],
    // No reason after the kind (inputerr.In over a kind alone): the field and the kind, without the operation.
    ['set policy dept:1: limit: invalid amount', 'Limit: invalid amount'],
    // A kind wrapped inside the reason is not in it.
    ['change the workspace: invalid input: what a credit is worth: invalid amount: credit value "-1" must be a positive decimal with at most 12 decimal places',
      'What a credit is worth: credit value "-1" must be a positive decimal with at most 12 decimal places'],
    // A number, or a user-given name Go quotes, is shown as it is.
    ['change department 1: invalid input: "1.2.3": not a decimal number', '"1.2.3": not a decimal number'],
    ['set limits: invalid amount: "bob": the daily limit must be positive',
      '"bob": the daily limit must be positive'],
    // team.ChangedError: from the setting someone else changed on.
    ['change the workspace: the address (now "Dept: invalid entry: see notes") was changed by someone else since you opened it: reload and try again',
      'The address (now "Dept: invalid entry: see notes") was changed by someone else since you opened it: reload and try again'],
  ])('%s', async (message, want) => {
    setBridge(createFakeBridge({ 'Credits.TopUp': () => { throw { message, reason: want }; } }));
    const err = await call('Credits', 'TopUp', {}).then(unexpected, (e: BackendError) => e);
    expect(err.message).toBe(want);
    expect(err.detail).toBe(message);
    setBridge(null);
  });

  // Any other error comes as its plain text, shown as it is: the window
  // parses no Go text, even one shaped like a refusal.
  it.each([
    'backup: disk full',
    'top up pool: invalid amount',
    'test provider "OpenAI": invalid API key',
    'ui.theme: must be one of system, light, dark',
  ])('%s', async (message) => {
    setBridge(createFakeBridge({ 'Credits.TopUp': () => { throw message; } }));
    const err = await call('Credits', 'TopUp', {}).then(unexpected, (e: BackendError) => e);
    expect(err.message).toBe(message);
    expect(err.detail).toBe(message);
    setBridge(null);
  });

  // A refusal said in plain words (app.RefusalError, the Go side's Wails
  // ErrorFormatter) comes with its reason, a sentence the backend made
  // (inputerr.Sentence): shown as sent, without its operation, never a
  // transfer's id; the whole text stays in detail. It showed the raw chain.
  it.each([
    ['create an API key for bob: an active key is already named "laptop"; pick another name or revoke that key',
      'An active key is already named "laptop"; pick another name or revoke that key',
      'An active key is already named "laptop"; pick another name or revoke that key'],
    ['transfer 5d0e8b1c-0000-4000-8000-000000000001: credits cannot go to user:3: lee was removed, and their wallet owes nothing',
      'Credits cannot go to user:3: lee was removed, and their wallet owes nothing',
      'Credits cannot go to user:3: lee was removed, and their wallet owes nothing'],
    ['transfer 5d0e8b1c-0000-4000-8000-000000000001: credits cannot go to dept:2: the Eng department is archived; only its account\'s debt may be settled, at most 8 credits (asked for 18)',
      'Credits cannot go to dept:2: the Eng department is archived; only its account\'s debt may be settled, at most 8 credits (asked for 18)',
      'Credits cannot go to dept:2: the Eng department is archived; only its account\'s debt may be settled, at most 8 credits (asked for 18)'],
    ['set policy user:3: user:3 cannot take the overdraft policy: lee was removed, and their wallet keeps the blocked policy (no minimum balance keeps its credits from going back to the pool, no overdraft takes it below zero)',
      'user:3 cannot take the overdraft policy: lee was removed, and their wallet keeps the blocked policy (no minimum balance keeps its credits from going back to the pool, no overdraft takes it below zero)',
      'user:3 cannot take the overdraft policy: lee was removed, and their wallet keeps the blocked policy (no minimum balance keeps its credits from going back to the pool, no overdraft takes it below zero)'],
    // A reason that starts with a name or a code is shown as it is spelt (the window re-cases nothing).
    ['remove a limit: alice has no limit for gpt-4o', 'alice has no limit for gpt-4o', 'alice has no limit for gpt-4o'],
    ['move 5 credits from ml-ops: ml-ops has only 2 credits available', 'ml-ops has only 2 credits available', 'ml-ops has only 2 credits available'],
    ['transfer t-1: "bob" has only 2 credits', '"bob" has only 2 credits', '"bob" has only 2 credits'],
    ['archive department 2: move its 2 members to another department first', 'Move its 2 members to another department first',
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
