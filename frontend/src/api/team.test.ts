import { describe, expect, it } from 'vitest';
import { installFakeBridge, refusal, secretProblems } from '../test/fakeBridge';
import { BackendError } from './errors';
import * as team from './team';

describe('team api', () => {
  it('names a model limit as Team → Limits and Usage both show it', () => {
    expect(team.modelLimitName('gpt-4o', 'day')).toBe('gpt-4o (per day)');
    expect(team.modelLimitName('gpt-4o', 'month')).toBe('gpt-4o (per month)');
    expect(team.modelLimitName('o3', '')).toBe('o3 (per month)'); // as team.SetLimit reads no period
  });

  it('calls the Team bound struct with the arguments in order', async () => {
    const fake = installFakeBridge({
      'Team.SignIn': () => ({ signedIn: true }),
      'Team.SetLimit': (l: team.Limit) => l,
      'Team.MoveCredits': () => ({}),
    });
    await team.signIn('bob', '1234', true);
    await team.setLimit({ userId: 2, kind: 'daily', model: '', period: '', amount: '10.5' });
    await team.moveCredits({ id: 'u-1', from: 0, to: 3, amount: '100', note: '' });
    expect(fake.calls).toEqual([
      { struct: 'Team', method: 'SignIn', args: ['bob', '1234', true] },
      { struct: 'Team', method: 'SetLimit', args: [{ userId: 2, kind: 'daily', model: '', period: '', amount: '10.5' }] },
      { struct: 'Team', method: 'MoveCredits', args: [{ id: 'u-1', from: 0, to: 3, amount: '100', note: '' }] },
    ]);
  });

  it("turns Go's refusal into a BackendError that says its reason, the Go text kept in detail", async () => {
    // Go's real refusal (app/testdata/refusal_words.json, "sign-in secret").
    installFakeBridge({
      'Team.SignIn': () => { throw refusal('sign in "bob": wrong name, password or PIN', 'Wrong password or PIN'); },
    });
    const err = await team.signIn('bob', 'x', false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).message).toBe('Wrong password or PIN');
    expect((err as BackendError).message).not.toContain('sign in "bob"');
    expect((err as BackendError).detail).toBe('sign in "bob": wrong name, password or PIN');
  });

  // The backend's rule (backend/namekey) is finer; the window's pre-check
  // never refuses a name the backend would take.
  it.each([
    ['bob', [], ''],
    ['  Ｂｏｂ ', ['alice'], ''], // NFKC: the backend stores "Bob"
    ['BOB', ['bob'], '"BOB" is taken (by "bob").'],
    ['ｂｏｂ', ['bob'], '"bob" is taken.'],
    ['аlice', [], '"аlice" mixes Cyrillic and Latin letters'], // Cyrillic а
    ['Ορs', [], '"Ορs" mixes Greek and Latin letters'],
    ['ivan.иванов', [], ''], // parts in two alphabets
    ['иван', ['ivan'], ''],
    ['１２', [], 'needs a letter'], // full-width digits are digits
    ['a²', [], ''], // NFKC: "a2"
    ['a½', [], 'up to 64 letters'], // NFKC: "a1⁄2", a fraction slash
    ['', [], 'Enter a sign-in name.'],
  ])('nameProblem(%j, %j)', (name, taken, want) => {
    const got = team.nameProblem(name, taken);
    if (want === '') expect(got).toBe('');
    else expect(got).toContain(want);
  });

  // The backend's rule (backend/team ParseThresholds), the same in the CLI.
  it.each([
    ['', { list: [] }],
    ['100 10', { list: ['100', '10'] }],
    [' 100 ; 10 ;', { list: ['100', '10'] }],
    ['12.5\t20', { list: ['12.5', '20'] }],
    ['2,500', { error: "A comma is ambiguous here: use a point for decimals and spaces or ';' between thresholds (e.g. 20 12.5)." }],
    ['12,5', { error: "A comma is ambiguous here: use a point for decimals and spaces or ';' between thresholds (e.g. 20 12.5)." }],
    ['100, 10', { error: "A comma is ambiguous here: use a point for decimals and spaces or ';' between thresholds (e.g. 20 12.5)." }],
  ])('parseThresholds(%j)', (s, want) => {
    expect(team.parseThresholds(s)).toEqual(want);
  });

  it('builds an audit filter without bounds', () => {
    expect(team.emptyAuditFilter()).toEqual({ actorId: 0, action: '', target: '', from: '', to: '', limit: 0 });
  });

  it.each([
    ['10', true, true],
    ['0', true, true],
    ['0', false, false],
    ['0.000000001', false, true],
    ['0.0000000001', true, false],
    ['-1', true, false],
    ['1e3', true, false],
    ['', true, false],
  ])('isCredits(%j, allowZero=%s) = %s', (v, zero, want) => {
    expect(team.isCredits(v, zero)).toBe(want);
  });

  it.each([
    ['0.01', true],
    ['0.000000000001', true], // 12 places, as `credits value` accepts
    ['0.0000000000001', false],
    ['0', false],
    ['0.000', false],
    ['-1', false],
    ['1e-3', false],
    ['', false],
  ])('isCreditValue(%j) = %s', (v, want) => {
    expect(team.isCreditValue(v)).toBe(want);
  });

  // The rule was copied here ("A password has at least 8 characters.") while the CLI said "a password needs at
  // least 8 characters": now the backend is asked (Team.SecretProblem), and its words are shown as they come.
  it.each(secretProblems.map((r) => [r.kind, r.secret, r.problem] as const))('secretProblem(%s, %j) asks Go: %j', async (kind, secret, want) => {
    const fake = installFakeBridge();
    expect(await team.secretProblem(kind as team.SecretKind, secret)).toBe(want);
    expect(fake.calls).toEqual([{ struct: 'Team', method: 'SecretProblem', args: [kind, secret] }]);
  });

  it("secretProblem says what Go says, and nothing when it cannot ask", async () => {
    installFakeBridge({ 'Team.SecretProblem': () => 'A password needs at least 12 characters.' });
    expect(await team.secretProblem('password', 'elevenchars')).toBe('A password needs at least 12 characters.');
    installFakeBridge({ 'Team.SecretProblem': () => { throw 'not signed in'; } });
    expect(await team.secretProblem('password', 'short')).toBe('');
  });
});
