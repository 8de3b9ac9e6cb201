import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Team from './Team.svelte';
import { installFakeBridge, installFakeRuntime, refusal } from '../test/fakeBridge';
import Dialog from '../components/Dialog.svelte';
import { fieldState, usable } from '../test/a11y';
import { toast } from '../lib/toast.svelte';
import { balance, setBalanceLoader } from '../lib/balance.svelte';
import { session } from '../lib/session.svelte';

const member = { signedIn: true, needsSetup: false, actor: { userId: 2, name: 'bob', role: 'member', system: false }, workspace: 'Acme', idleLockMinutes: 15 };
const admin = { ...member, actor: { userId: 1, name: 'alice', role: 'admin', system: false } };

describe('Team page', () => {
  it('shows a member only their notifications, limits and account', async () => {
    installFakeBridge({ 'Team.CurrentUser': () => member, 'Team.NotificationsPage': () => ({ items: [], next: 0 }), 'Team.UnreadNotifications': () => 0 });
    render(Team, { params: { rest: 'members' }, query: {} });
    await screen.findByTestId('team-tab-notifications');
    expect(screen.queryByTestId('team-tab-members')).toBeNull();
    expect(screen.queryByTestId('team-tab-audit')).toBeNull();
    // #/settings/team/members falls back to the first allowed tab.
    await screen.findByTestId('empty-team-notifications');
  });

  it("says a wrong current password in a sentence under 'Not changed', not Go's 'change the password of member 2: …'", async () => {
    const asked: unknown[] = [];
    installFakeBridge({
      'Team.CurrentUser': () => member,
      'Team.ChangeOwnSecret': (...args: unknown[]) => {
        asked.push(args);
        // Go's real refusal (app/testdata/refusal_words.json, "own secret wrong").
        throw refusal('change the password of member 2: wrong name, password or PIN', 'The current password or PIN is wrong: nothing was changed');
      },
    });
    render(Team, { params: { rest: 'account' }, query: {} });
    await fireEvent.input(await screen.findByTestId('team-account-current'), { target: { value: 'not it' } });
    await fireEvent.input(screen.getByTestId('team-account-new'), { target: { value: 'a new password' } });
    await fireEvent.click(screen.getByTestId('team-account-change'));
    const banner = await screen.findByTestId('team-account-error');
    expect(banner.textContent).toContain('Not changed');
    expect(banner.textContent).toContain('The current password or PIN is wrong: nothing was changed');
    expect(banner.textContent).not.toContain('member 2');
    expect(banner.textContent).not.toContain('Something went wrong');
    expect(asked).toEqual([['not it', 'password', 'a new password']]);
  });

  it('names limits on My limits as the Usage page does ("Daily limit", "gpt-4o (per day)"), not "daily"', async () => {
    const status = { used: '12.5', pending: '2', remaining: '35.5', resetsAt: '2026-11-24T00:00:00Z', timeZone: 'Etc/UTC', userId: 2, resetFreesRoom: true };
    installFakeBridge({
      'Team.CurrentUser': () => member,
      'Team.Limits': () => [
        { ...status, kind: 'daily', model: '', period: 'day', amount: '50' },
        { ...status, kind: 'monthly', model: '', period: 'month', amount: '500' },
        { ...status, kind: 'model', model: 'gpt-4o', period: 'day', amount: '20' },
      ],
    });
    render(Team, { params: { rest: 'limits' }, query: {} });
    const table = await screen.findByTestId('team-limits-table');
    const heads = [...table.querySelectorAll('th')].map((th) => th.textContent?.trim());
    expect(heads).toContain('Held for sends');
    expect(heads).not.toContain('In flight');
    for (const [id, name] of [['daily', 'Daily limit'], ['monthly', 'Monthly limit'], ['model-gpt-4o', 'gpt-4o (per day)']]) {
      expect(screen.getByTestId(`team-limit-${id}`).querySelector('td')?.textContent).toBe(name);
    }
  });

  // Team → Limits showed 0.00 Left and a reset time for a limit of 0 or a used-up one, where the Usage page and
  // `meterdesk limits list` say that sends are refused and until when: Go's words (LimitStatus.reached), said once.
  it('says under the table which limits refuse sends and until when, in the Usage page\'s words', async () => {
    const status = { used: '0', pending: '0', remaining: '0', resetsAt: '2026-11-24T00:00:00Z', timeZone: 'Etc/UTC', userId: 2 };
    installFakeBridge({
      'Team.CurrentUser': () => member,
      'Team.Limits': () => [
        { ...status, kind: 'daily', model: '', period: 'day', amount: '0', resetFreesRoom: false, reached: 'a limit of 0: paid sends are refused until an admin raises it' },
        { ...status, kind: 'monthly', model: '', period: 'month', amount: '5', used: '5', resetFreesRoom: true, reached: 'reached: sends are refused until it resets' },
        { ...status, kind: 'model', model: 'gpt-4o', period: 'day', amount: '20', remaining: '20', resetFreesRoom: true },
      ],
    });
    render(Team, { params: { rest: 'limits' }, query: {} });
    await screen.findByTestId('team-limits-table');
    const notes = screen.getAllByTestId(/^team-limit-reached-/).map((p) => p.textContent?.replace(/\s+/g, ' ').trim());
    expect(notes).toEqual(['Daily limit: a limit of 0: paid sends are refused until an admin raises it',
      'Monthly limit: reached: sends are refused until it resets']);
  });

  // A limit's reset is the backend's time in the workspace zone, named as
  // the Usage page names it (zonedTime): a zone this browser does not know
  // is shown, and named, as this computer's, not labelled with a zone its
  // time is not in.
  it("names the zone a limit resets in as the Usage page does", async () => {
    const status = { used: '1', pending: '0', remaining: '49', resetsAt: '2026-11-23T23:00:00Z', userId: 2, model: '', amount: '50', resetFreesRoom: true };
    installFakeBridge({
      'Team.CurrentUser': () => member,
      'Team.Limits': () => [
        { ...status, kind: 'daily', period: 'day', timeZone: 'Europe/Berlin' },
        { ...status, kind: 'monthly', period: 'month', timeZone: 'Mars/Phobos' },
      ],
    });
    render(Team, { params: { rest: 'limits' }, query: {} });
    await screen.findByTestId('team-limits-table');
    const reset = (id: string) => [...screen.getByTestId(`team-limit-${id}`).querySelectorAll('td')][5].textContent?.trim();
    expect(reset('daily')).toBe('2026-11-24 00:00 (Europe/Berlin)');
    expect(reset('monthly')).toBe('2026-11-23 15:00 (America/Los_Angeles)');
  });

  // A limit of 0 is an admin's block: its reset frees no room, so no reset time is shown beside it, as the Usage
  // page, `meterdesk limits list` and /v1/credits (resets_at null) say none. Go's rule (LimitStatus.resetFreesRoom,
  // team.LimitStatus.ResetHelps), read as sent: the page does not judge the amount itself. It showed one for every limit.
  it('shows no reset beside a limit of 0, as Go says (resetFreesRoom)', async () => {
    const status = { used: '0', pending: '0', remaining: '0', resetsAt: '2026-11-24T00:00:00Z', timeZone: 'Etc/UTC', userId: 2, model: '' };
    installFakeBridge({
      'Team.CurrentUser': () => member,
      'Team.Limits': () => [
        { ...status, kind: 'daily', period: 'day', amount: '0', resetFreesRoom: false, reached: 'a limit of 0: paid sends are refused until an admin raises it' },
        { ...status, kind: 'monthly', period: 'month', amount: '5', remaining: '5', resetFreesRoom: true },
      ],
    });
    render(Team, { params: { rest: 'limits' }, query: {} });
    await screen.findByTestId('team-limits-table');
    const reset = (id: string) => [...screen.getByTestId(`team-limit-${id}`).querySelectorAll('td')][5].textContent?.trim();
    expect(reset('daily')).toBe('—');
    expect(reset('monthly')).toBe('2026-11-24 00:00 (Etc/UTC)');
  });

  it('shows the sign-in name beside a display name only when they differ', async () => {
    const row = { role: 'member', secretKind: 'pin', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' };
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [
        { ...row, id: 1, name: 'alice', displayName: 'alice' },
        { ...row, id: 2, name: 'bob', displayName: '' },
        { ...row, id: 3, name: 'carol', displayName: 'Carol Jones' },
      ],
      'Team.Departments': () => [],
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    expect((await screen.findByTestId('team-member-name-alice')).textContent).toBe('alice');
    expect(screen.getByTestId('team-member-name-bob').textContent).toBe('bob');
    expect(screen.getByTestId('team-member-name-carol').textContent).toBe('Carol Jones carol');
  });

  it("links a wallet-funded member's wallet to Settings → Credits, where it is funded", async () => {
    const row = { role: 'member', secretKind: 'pin', status: 'active', departmentId: 0, minBalance: '0', createdAt: '' };
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [{ ...row, id: 2, name: 'bob', displayName: '', funding: 'pool' }, { ...row, id: 3, name: 'lee', displayName: '', funding: 'wallet' }],
      'Team.Departments': () => [],
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    expect((await screen.findByTestId('team-member-wallet-lee')).getAttribute('href')).toBe('#/settings/credits?account=user:3');
    expect(screen.queryByTestId('team-member-wallet-bob')).toBeNull();
  });

  it('lets an admin add a member and shows the backend refusal text', async () => {
    const added: unknown[] = [];
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [{ id: 1, name: 'alice', displayName: '', role: 'admin', secretKind: 'password', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' }],
      'Team.Departments': () => [],
      'Team.AddMember': (m: { name: string }) => {
        if (m.name === 'alice') throw refusal('add member "alice": already exists: a member named "alice"', 'A member named "alice" already exists');
        added.push(m);
        return { ...m, id: 2 };
      },
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    await screen.findByTestId('team-member-alice');
    // A department's account is its credits, never its "budget" (the alert budget is another thing).
    expect(screen.getByRole('option', { name: "Workspace pool (or their department's credits)" })).toBeTruthy();
    // Problems are said in the form before anything is sent: a name in use
    // (any case or width), one with a space, digits only, one mixing Latin
    // and Cyrillic letters, a PIN that is not 4-12 digits.
    const submit = screen.getByTestId('team-member-add-submit') as HTMLButtonElement;
    // A password unless a PIN is picked (docs/team.md: admins should have passwords; as `users add`).
    expect((screen.getByTestId('team-member-add-kind') as HTMLSelectElement).value).toBe('password');
    await fireEvent.change(screen.getByTestId('team-member-add-kind'), { target: { value: 'pin' } });
    for (const [name, secret, problem] of [['Alice', '1234', '"Alice" is taken (by "alice").'], ['ａｌｉｃｅ', '1234', '"alice" is taken.'],
      ['carol smith', '1234', 'no spaces'], ['42', '1234', 'needs a letter'],
      ['саrol', '1234', '"саrol" mixes Cyrillic and Latin letters'], ['carol', '12', 'A PIN has 4 to 12 digits.']]) {
      await fireEvent.input(screen.getByTestId('team-member-add-name'), { target: { value: name } });
      await fireEvent.input(screen.getByTestId('team-member-add-secret'), { target: { value: secret } });
      expect(screen.getByTestId('team-member-add-problem').textContent).toContain(problem);
      expect(usable(submit)).toBe(false);
      // The field at fault is marked and described by the problem.
      const [bad, fine] = problem.startsWith('A PIN') ? ['team-member-add-secret', 'team-member-add-name'] : ['team-member-add-name', 'team-member-add-secret'];
      expect(fieldState(screen.getByTestId(bad))).toEqual({ invalid: 'true', description: screen.getByTestId('team-member-add-problem').textContent!.trim() });
      // The secret, when fine, is described by its kind's rule in Go's words (team.SecretKinds: "4 to 12 digits.").
      const fineDescription = fine === 'team-member-add-secret' ? '4 to 12 digits.' : '';
      expect(fieldState(screen.getByTestId(fine))).toEqual({ invalid: null, description: fineDescription });
    }
    expect(fake.calls.some((c) => c.method === 'AddMember')).toBe(false);
    await fireEvent.input(screen.getByTestId('team-member-add-secret'), { target: { value: '1234' } });
    await fireEvent.input(screen.getByTestId('team-member-add-name'), { target: { value: 'carol' } });
    expect(screen.queryByTestId('team-member-add-problem')).toBeNull();
    await fireEvent.click(screen.getByTestId('team-member-add-submit'));
    await waitFor(() => expect(added).toHaveLength(1));
    expect(added[0]).toMatchObject({ name: 'carol', role: 'member', secretKind: 'pin', secret: '1234', funding: 'pool' });
    expect(fake.calls.filter((c) => c.method === 'Members').length).toBeGreaterThanOrEqual(2);
  });

  it('reads alert thresholds as lists separated by spaces or ";", and says a comma is ambiguous', async () => {
    const saved: unknown[] = [];
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.AlertSettings': () => ({ absolute: ['100', '10'], percent: ['20', '12.5'], depleted: true, desktop: true }),
      'Team.SetAlertSettings': (a: object) => { saved.push(a); return { ...a, unchanged: false }; },
      'Team.AutoRecharges': () => [],
      'Team.Members': () => [],
      'Team.Departments': () => [],
    });
    render(Team, { params: { rest: 'alerts' }, query: {} });
    const abs = (await screen.findByTestId('team-alerts-absolute')) as HTMLInputElement;
    const pct = screen.getByTestId('team-alerts-percent') as HTMLInputElement;
    // Shown as they are typed: a list separated by spaces, labelled as a list.
    expect(abs.value).toBe('100 10');
    expect(pct.value).toBe('20 12.5');
    expect(screen.getByText("Percent of a department's alert budget or the last credits in (a list)")).toBeTruthy();
    const save = screen.getByTestId('team-alerts-save') as HTMLButtonElement;
    for (const [field, value] of [[abs, '2,500'], [pct, '12,5']] as const) {
      await fireEvent.input(field, { target: { value } });
      const id = field === abs ? 'team-alerts-absolute-error' : 'team-alerts-percent-error';
      expect(screen.getByTestId(id).textContent).toContain("use a point for decimals and spaces or ';' between thresholds");
      expect(fieldState(field)).toEqual({ invalid: 'true', description: screen.getByTestId(id).textContent!.trim() });
      expect(usable(save)).toBe(false);
      // Pressed anyway: nothing is sent, the cursor goes to the field whose problem is said under it.
      await fireEvent.click(save);
      await waitFor(() => expect(document.activeElement).toBe(field));
      expect(fieldState(save).description).toBe(screen.getByTestId(id).textContent!.trim());
      await fireEvent.input(field, { target: { value: field === abs ? '100 10' : '20 12.5' } });
    }
    expect(usable(save)).toBe(true);
    expect(fake.calls.some((c) => c.method === 'SetAlertSettings')).toBe(false);
    await fireEvent.input(abs, { target: { value: ' 2500; 500 ' } });
    await fireEvent.input(pct, { target: { value: '12.5  20' } });
    await fireEvent.click(save);
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual({ absolute: ['2500', '500'], percent: ['12.5', '20'], depleted: true, desktop: true });
  });

  it.each([
    ['no account', ['', '5', '10', '100'], 'Choose the account the rule recharges.', 'r-acct'],
    ['Below not an amount', ['dept:1', '5,5', '10', '100'], 'Below is an amount of credits, e.g. 50.', 'r-th'],
    ['Move of 0', ['dept:1', '5', '0', '100'], 'Move is an amount of credits above 0, e.g. 200.', 'r-amt'],
    ['no Monthly cap', ['dept:1', '5', '10', ''], 'Monthly cap is an amount of credits, e.g. 1000.', 'r-cap'],
  ])("keeps Save rule focusable while the rule is not ready (%s): a press sends nothing, says what is missing and puts the cursor there", async (_, [account, below, move, cap], problem, field) => {
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.AlertSettings': () => ({ absolute: [], percent: [], depleted: true, desktop: true }),
      'Team.AutoRecharges': () => [],
      'Team.Members': () => [],
      'Team.Departments': () => [{ id: 1, name: 'Research', account: 'dept:1', budget: '0', overdraft: '0', balance: '0', available: '0', members: 0, archived: false, createdAt: '' }],
      'Team.AccountNames': () => ({ 'dept:1': 'Research' }),
      'Team.SetAutoRecharge': (r: object) => ({ ...r, unchanged: false }),
    });
    render(Team, { params: { rest: 'alerts' }, query: {} });
    const form = await screen.findByTestId('team-recharge-form');
    await waitFor(() => expect(form.querySelector('select')).not.toBeNull());
    const save = screen.getByTestId('team-recharge-save');
    // Nothing typed: not usable, and nothing said before a press.
    expect(usable(save)).toBe(false);
    expect(screen.queryByTestId('team-recharge-problem')).toBeNull();
    await fireEvent.change(form.querySelector('select')!, { target: { value: account } });
    await fireEvent.input(screen.getByTestId('team-recharge-threshold'), { target: { value: below } });
    await fireEvent.input(screen.getByTestId('team-recharge-amount'), { target: { value: move } });
    await fireEvent.input(screen.getByTestId('team-recharge-cap'), { target: { value: cap } });
    expect(usable(save)).toBe(false);
    save.focus();
    await fireEvent.click(save);
    await waitFor(() => expect(document.activeElement?.id).toBe(field));
    expect(screen.getByTestId('team-recharge-problem').textContent).toBe(problem);
    expect(fieldState(document.getElementById(field)!)).toEqual({ invalid: 'true', description: problem });
    expect(fieldState(save).description).toBe(problem);
    expect(fake.calls.some((c) => c.method === 'SetAutoRecharge')).toBe(false);
    // Put right, it saves, and the problem goes with the cleared form.
    await fireEvent.change(form.querySelector('select')!, { target: { value: 'dept:1' } });
    for (const [id, v] of [['team-recharge-threshold', '5'], ['team-recharge-amount', '10'], ['team-recharge-cap', '100']]) {
      await fireEvent.input(screen.getByTestId(id), { target: { value: v } });
    }
    expect(usable(save)).toBe(true);
    await fireEvent.click(save);
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'SetAutoRecharge')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByTestId('team-recharge-problem')).toBeNull());
  });

  it('says From after To under the audit dates, without asking the backend', async () => {
    const fake = installFakeBridge({ 'Team.CurrentUser': () => admin, 'Team.AuditPage': () => ({ items: [], next: 0 }), 'Team.Members': () => [], 'Team.Departments': () => [] });
    render(Team, { params: { rest: 'audit' }, query: {} });
    const since = await screen.findByTestId('team-audit-since');
    const reads = () => fake.calls.filter((c) => c.method === 'AuditPage' || c.method === 'AuditCSV').length;
    await waitFor(() => expect(reads()).toBe(1));
    const before = reads();
    await fireEvent.input(since, { target: { value: '2026-11-25' } });
    await fireEvent.input(screen.getByTestId('team-audit-until'), { target: { value: '2026-11-22' } });
    const problem = screen.getByTestId('team-audit-range');
    expect(problem.textContent).toBe('From is after To: pick a From on or before To.');
    expect(fieldState(since)).toEqual({ invalid: 'true', description: problem.textContent });
    await fireEvent.submit(screen.getByTestId('team-audit-filter'));
    // Filter and Export CSV stay focusable (aria-disabled, described by the problem); a press reads and writes
    // nothing and puts the cursor in From.
    for (const id of ['team-audit-apply', 'team-audit-export']) {
      const button = screen.getByTestId(id);
      expect(usable(button)).toBe(false);
      expect(fieldState(button).description).toBe(problem.textContent);
      button.focus();
      await fireEvent.click(button);
      expect(document.activeElement).toBe(since);
    }
    expect(reads()).toBe(before);
  });

  it('resets a secret and removes a member through the in-app dialog (hidden input, cancel does nothing)', async () => {
    const bob = { id: 2, name: 'bob', displayName: '', role: 'member', secretKind: 'pin', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' };
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [bob],
      'Team.Departments': () => [],
      'Team.ResetSecret': () => true,
      'Team.RemoveMember': () => ({ member: { ...bob, status: 'removed' }, wallet: { account: 'user:2', balance: '0', returned: '0', left: '0' } }),
      'Team.Wallet': () => ({ account: 'user:2', userId: 2, balance: '0', available: '0', returnable: '0', returnableOnRemoval: '0' }),
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-member-reset-bob'));
    expect((await screen.findByTestId('dialog-title')).textContent).toBe("Reset bob's PIN");
    const input = screen.getByTestId('dialog-input') as HTMLInputElement;
    expect(input.type).toBe('password');
    await fireEvent.click(screen.getByTestId('dialog-cancel'));
    await fireEvent.click(await screen.findByTestId('team-member-reset-bob'));
    await fireEvent.input(await screen.findByTestId('dialog-input'), { target: { value: '9876' } });
    await fireEvent.click(screen.getByTestId('dialog-ok'));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'ResetSecret').map((c) => c.args)).toEqual([[2, 'pin', '9876']]));

    await fireEvent.click(await screen.findByTestId('team-member-remove-bob'));
    expect((await screen.findByTestId('dialog-title')).textContent).toBe('Remove bob?');
    await fireEvent.keyDown(screen.getByTestId('dialog'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
    expect(fake.calls.some((c) => c.method === 'RemoveMember')).toBe(false);
    await fireEvent.click(await screen.findByTestId('team-member-remove-bob'));
    await fireEvent.click(await screen.findByTestId('dialog-ok'));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'RemoveMember').map((c) => c.args)).toEqual([[2, false]]));
  });

  // The reset dialog checked a new PIN by a copy of the rule kept here; it asks Go (Team.SecretProblem) and
  // shows its words, and OK waits for the answer about what is typed.
  it("says in Go's words what is wrong with a reset PIN, and sends none until Go would take it", async () => {
    const bob = { id: 2, name: 'bob', displayName: '', role: 'member', secretKind: 'pin', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' };
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [bob],
      'Team.Departments': () => [],
      'Team.ResetSecret': () => true,
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-member-reset-bob'));
    await fireEvent.input(await screen.findByTestId('dialog-input'), { target: { value: '12ab' } });
    await waitFor(() => expect(screen.getByTestId('dialog-invalid').textContent).toBe('A PIN has digits only.'));
    await fireEvent.click(screen.getByTestId('dialog-ok'));
    await fireEvent.input(screen.getByTestId('dialog-input'), { target: { value: '12' } });
    await waitFor(() => expect(screen.getByTestId('dialog-invalid').textContent).toBe('A PIN has 4 to 12 digits.'));
    expect(fake.calls.filter((c) => c.method === 'SecretProblem' && c.args[0] === 'pin').map((c) => c.args)).toEqual([['pin', '12ab'], ['pin', '12']]);
    await fireEvent.input(screen.getByTestId('dialog-input'), { target: { value: '9876' } });
    await fireEvent.click(screen.getByTestId('dialog-ok')); // at once: OK waits for Go's answer
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'ResetSecret').map((c) => c.args)).toEqual([[2, 'pin', '9876']]));
  });

  it("names a removed member's wallet balance and moves it back to the pool unless unticked", async () => {
    const carol = { id: 3, name: 'carol', displayName: '', role: 'member', secretKind: 'pin', status: 'active', funding: 'wallet', departmentId: 0, minBalance: '0', createdAt: '' };
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [carol],
      'Team.Departments': () => [],
      'Team.Wallet': () => ({ account: 'user:3', userId: 3, balance: '50', available: '50', returnable: '50', returnableOnRemoval: '50' }),
      'Team.RemoveMember': (_id: number, back: boolean) => ({ member: { ...carol, status: 'removed' },
        wallet: { account: 'user:3', balance: '50', returned: back ? '50' : '0', left: back ? '0' : '50', transferId: back ? 9 : 0 } }),
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-member-remove-carol'));
    expect((await screen.findByTestId('dialog-message')).textContent).toContain('Their wallet holds 50.00 credits, which stay in it unless moved back to the pool.');
    const check = screen.getByTestId('dialog-check') as HTMLInputElement;
    expect(check.checked).toBe(true);
    expect(check.closest('label')!.textContent).toContain('Move the 50.00 credits back to the pool');
    await fireEvent.click(screen.getByTestId('dialog-ok'));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'RemoveMember').map((c) => c.args)).toEqual([[3, true]]));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Removed carol; 50.00 credits moved back to the pool'));

    // Unticked: removed, the credits stay, and the toast says where.
    await fireEvent.click(await screen.findByTestId('team-member-remove-carol'));
    await fireEvent.click(await screen.findByTestId('dialog-check'));
    await fireEvent.click(screen.getByTestId('dialog-ok'));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'RemoveMember').at(-1)!.args).toEqual([3, false]));
    await waitFor(() => expect(toast.items.map((t) => t.message).some((m) => m.startsWith('Removed carol; their wallet keeps 50.00 credits'))).toBe(true));
  });

  it('keeps the focus on Disable as it turns into Enable and back; Edit opens on its first field and Cancel comes back', async () => {
    const bob = { id: 2, name: 'bob', displayName: '', role: 'member', secretKind: 'pin', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' };
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [{ ...bob }],
      'Team.Departments': () => [],
      'Team.DisableMember': () => ((bob.status = 'disabled'), { member: bob, unchanged: false }),
      'Team.EnableMember': () => ((bob.status = 'active'), { member: bob, unchanged: false }),
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    const focused = () => document.activeElement;
    const toggle = await screen.findByTestId('team-member-disable-bob');
    toggle.focus();
    await fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByTestId('team-member-enable-bob').textContent).toBe('Enable'));
    expect(focused()).toBe(screen.getByTestId('team-member-enable-bob'));
    await fireEvent.click(screen.getByTestId('team-member-enable-bob'));
    await waitFor(() => expect(screen.getByTestId('team-member-disable-bob').textContent).toBe('Disable'));
    expect(focused()).toBe(screen.getByTestId('team-member-disable-bob'));

    await fireEvent.click(screen.getByTestId('team-member-edit-bob'));
    await waitFor(() => expect(focused()).toBe(document.getElementById('f-display-e')));
    await fireEvent.click(screen.getByTestId('team-member-edit-cancel'));
    await waitFor(() => expect(focused()).toBe(screen.getByTestId('team-member-edit-bob')));
  });

  it('marks a bad limit or move amount and describes it by its message', async () => {
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [{ id: 2, name: 'bob', displayName: '', role: 'member', secretKind: 'pin', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' }],
      'Team.Limits': () => [],
      // A department: the move form is offered only when there is one to move to or from.
      'Team.Departments': () => [{ id: 3, name: 'Research', account: 'dept:3', budget: '0', overdraft: '0', balance: '0', available: '0',
        members: 0, archived: false, createdAt: '2026-11-01T00:00:00Z' }],
      'Team.Pool': () => ({ balance: '0', available: '0' }),
    });
    const { unmount } = render(Team, { params: { rest: 'limits' }, query: {} });
    const amount = await screen.findByTestId('team-limit-amount');
    await fireEvent.input(amount, { target: { value: '-3' } });
    expect(fieldState(amount)).toEqual({ invalid: 'true', description: screen.getByTestId('team-limit-invalid').textContent!.trim() });
    await fireEvent.input(amount, { target: { value: '0' } });
    expect(fieldState(amount)).toEqual({ invalid: null, description: 'A limit of 0 blocks every send of this kind.' });
    unmount();

    render(Team, { params: { rest: 'departments' }, query: {} });
    const move = await screen.findByTestId('team-move-amount');
    await fireEvent.input(move, { target: { value: 'lots' } });
    expect(fieldState(move)).toEqual({ invalid: 'true', description: 'A number of credits above 0.' });
    await fireEvent.input(move, { target: { value: '5' } });
    expect(fieldState(move)).toEqual({ invalid: null, description: '' });
  });

  it("labels Limits' member picker with visible words, as the other forms' fields are (not an aria-label alone)", async () => {
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [{ id: 2, name: 'bob', displayName: '', role: 'member', secretKind: 'pin', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' }],
      'Team.Limits': () => [],
      'Team.Departments': () => [],
    });
    render(Team, { params: { rest: 'limits' }, query: {} });
    const picker = (await screen.findByTestId('team-limits-member')) as HTMLSelectElement;
    expect(picker.getAttribute('aria-label')).toBeNull();
    const labels = [...picker.labels!];
    expect(labels.map((l) => l.textContent?.trim())).toEqual(['Member']);
    expect(screen.getByLabelText('Member')).toBe(picker);
  });

  it('warns when a limit is set at or below what the member already used', async () => {
    const note = 'bob has already used 20 credits today (the limit is 10): their sends are refused until it resets 2026-11-23 00:00 (Etc/UTC)';
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [{ id: 2, name: 'bob', displayName: '', role: 'member', secretKind: 'pin', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' }],
      'Team.Limits': () => [],
      'Team.Departments': () => [],
      'Team.SetLimit': (l: { amount: string }) => ({ ...l, period: 'day', note: l.amount === '10' ? note : undefined, unchanged: false }),
    });
    toast.clear();
    render(Team, { params: { rest: 'limits' }, query: {} });
    const amount = await screen.findByTestId('team-limit-amount');
    await fireEvent.input(amount, { target: { value: '50' } });
    await fireEvent.submit(screen.getByTestId('team-limit-form'));
    await waitFor(() => expect((amount as HTMLInputElement).value).toBe(''));
    expect(toast.items.some((t) => t.message === note)).toBe(false);
    await fireEvent.input(amount, { target: { value: '10' } });
    await fireEvent.submit(screen.getByTestId('team-limit-form'));
    await waitFor(() => expect(toast.items.some((t) => t.kind === 'warning' && t.message === note)).toBe(true));
  });

  it("sets a department's overdraft through the in-app dialog", async () => {
    const d = { id: 3, name: 'Research', account: 'dept:3', budget: '0', overdraft: '0', balance: '0', available: '0', members: 0, archived: false, createdAt: '' };
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Departments': () => [d],
      'Team.Members': () => [],
      'Team.Pool': () => ({ balance: '0', available: '0' }),
      'Team.UpdateDepartment': (_id: number, input: { overdraft: string }) => ({ department: { ...d, overdraft: input.overdraft }, unchanged: false }),
    });
    render(Team, { params: { rest: 'departments' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-department-overdraft-3'));
    const input = (await screen.findByTestId('dialog-input')) as HTMLInputElement;
    expect(input.value).toBe('0');
    await fireEvent.input(input, { target: { value: ' 25.5 ' } });
    await fireEvent.submit(screen.getByTestId('dialog-form'));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'UpdateDepartment').map((c) => c.args))
      .toEqual([[3, { name: 'Research', overdraft: '25.5', budget: '' }]]));
    await waitFor(() => expect(toast.items.map((t) => [t.kind, t.message])).toContainEqual(['success', "Saved Research's overdraft"]));
  });

  // An update that changes nothing is written and audited not at all
  // (backend/team ChangeDepartment); the window said nothing either way.
  it.each([
    ['overdraft', 'team-department-overdraft-3', '12.00', { name: 'Research', overdraft: '12.00', budget: '' }],
    ['alert budget', 'team-department-budget-3', '300.0', { name: 'Research', overdraft: '12', budget: '300.0' }],
  ])("says a department's %s it had already is unchanged", async (what, button, typed, sent) => {
    toast.clear();
    const d = { id: 3, name: 'Research', account: 'dept:3', budget: '300', overdraft: '12', balance: '0', available: '12', members: 0, archived: false, createdAt: '' };
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Departments': () => [d],
      'Team.Members': () => [],
      'Team.Pool': () => ({ balance: '0', available: '0' }),
      'Team.UpdateDepartment': () => ({ department: d, unchanged: true }),
    });
    render(Team, { params: { rest: 'departments' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId(button));
    await fireEvent.input(await screen.findByTestId('dialog-input'), { target: { value: typed } });
    await fireEvent.submit(screen.getByTestId('dialog-form'));
    await waitFor(() => expect(toast.items.map((t) => [t.kind, t.message]))
      .toEqual([['info', `Research's ${what} is unchanged: it had that already (nothing saved)`]]));
    expect(fake.calls.filter((c) => c.method === 'UpdateDepartment').map((c) => c.args)).toEqual([[3, sent]]);
  });

  // The budget is only what percent alerts count from (backend/team
  // accountState); it read like a spending cap.
  it("heads the department budget column 'Alert budget' and says it caps no spending", async () => {
    const d = { id: 3, name: 'Research', account: 'dept:3', budget: '300', overdraft: '0', balance: '250', available: '250', members: 2, archived: false, createdAt: '' };
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Departments': () => [d],
      'Team.Members': () => [],
      'Team.Pool': () => ({ balance: '0', available: '0' }),
    });
    render(Team, { params: { rest: 'departments' }, query: {} });
    const table = await screen.findByTestId('team-departments-table');
    const heads = [...table.querySelectorAll('th')].map((th) => th.textContent!.trim());
    expect(heads).toContain('Alert budget');
    expect(heads).not.toContain('Budget');
    const head = screen.getByTestId('team-departments-budget-head');
    const help = fieldState(head).description;
    expect(help).toContain('Percent alerts (Team → Alerts) warn when the balance falls below a percent of this amount.');
    expect(help).toContain("It caps no spending: the department spends its credits down to its overdraft, and members' limits cap each member.");
    expect(head.title).toContain('It caps no spending');
    expect(screen.getByRole('button', { name: 'Alert budget…' })).toBe(screen.getByTestId('team-department-budget-3'));
  });

  // The dialog said one line of its own ("A number of credits, 0 or more, with a point for decimals.") for every
  // text it refused; it says Go's reason now (team.DepartmentAmountProblem, as `meterdesk departments update` does).
  const goSays: Record<string, string> = {
    '-5': 'Budget -5 is negative',
    abc: 'Budget: "abc": not a decimal number',
    '1,5': 'Budget: "1,5": not a decimal number: use a point for decimals (1.5), and no thousands separators',
    '1.1234567891': 'Budget: "1.1234567891": more than 9 decimal places',
  };
  it("sets a department's alert budget through the in-app dialog, which says what it is", async () => {
    const d = { id: 3, name: 'Research', account: 'dept:3', budget: '300', overdraft: '12', balance: '250', available: '262', members: 0, archived: false, createdAt: '' };
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Departments': () => [d],
      'Team.Members': () => [],
      'Team.Pool': () => ({ balance: '0', available: '0' }),
      'Team.DepartmentAmountProblem': (field: string, text: string) => (field === 'budget' ? goSays[text] ?? '' : ''),
      'Team.UpdateDepartment': (_id: number, input: { budget: string }) => ({ department: { ...d, budget: input.budget }, unchanged: false }),
    });
    render(Team, { params: { rest: 'departments' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-department-budget-3'));
    const input = (await screen.findByTestId('dialog-input')) as HTMLInputElement;
    expect(input.value).toBe('300');
    expect(screen.getByLabelText('Alert budget (credits)')).toBe(input);
    expect(screen.getByTestId('dialog-message').textContent).toContain('It caps no spending');
    expect(screen.getByTestId('dialog-message').textContent).toContain('0 = none');
    for (const [typed, words] of Object.entries(goSays)) {
      await fireEvent.input(input, { target: { value: typed } });
      await fireEvent.submit(screen.getByTestId('dialog-form'));
      await waitFor(() => expect(screen.getByTestId('dialog-invalid').textContent).toBe(words));
      expect(fieldState(input).invalid).toBe('true');
    }
    expect(fake.calls.some((c) => c.method === 'UpdateDepartment')).toBe(false);
    await fireEvent.input(input, { target: { value: ' 400 ' } });
    await fireEvent.submit(screen.getByTestId('dialog-form'));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'UpdateDepartment').map((c) => c.args))
      .toEqual([[3, { name: 'Research', overdraft: '12', budget: '400' }]]));
  });

  // No ledger event says an admin's own payer changed: saving their own
  // record re-reads the header balance, which names the account that pays.
  it("re-reads the header balance when an admin changes their own funding or department, not another member's", async () => {
    const alice = { id: 1, name: 'alice', displayName: '', role: 'admin', secretKind: 'password', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' };
    const bob = { ...alice, id: 2, name: 'bob', role: 'member', secretKind: 'pin' };
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [alice, bob],
      'Team.Departments': () => [],
      'Team.UpdateMember': (id: number) => ({ member: id === 1 ? alice : bob, unchanged: false }),
    });
    session.set(admin as Parameters<typeof session.set>[0]);
    let loads = 0;
    await setBalanceLoader(async () => (loads++, { account: 'pool', kind: 'pool', name: '', available: '1' }));
    try {
      render(Team, { params: { rest: 'members' }, query: {} });
      await fireEvent.click(await screen.findByTestId('team-member-edit-bob'));
      await fireEvent.submit(screen.getByTestId('team-member-edit-form'));
      await waitFor(() => expect(screen.queryByTestId('team-member-edit-form')).toBeNull());
      expect(loads).toBe(1);
      await fireEvent.click(screen.getByTestId('team-member-edit-alice'));
      await fireEvent.submit(screen.getByTestId('team-member-edit-form'));
      await waitFor(() => expect(loads).toBe(2));
      expect(balance.payer?.kind).toBe('pool');
    } finally {
      await setBalanceLoader(null);
      session.set(null);
    }
  });

  // An update that changes nothing is written and audited not at all
  // (backend/team UpdateMemberWith says unchanged); the toast said "Saved".
  it.each([
    [true, 'info', 'bob is unchanged: they had these settings already (nothing saved)'],
    [false, 'success', 'Saved bob'],
  ])('says whether a member edit changed anything (unchanged %s)', async (unchanged, kind, message) => {
    toast.clear();
    const bob = { id: 2, name: 'bob', displayName: '', role: 'member', secretKind: 'pin', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' };
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [bob],
      'Team.Departments': () => [],
      'Team.UpdateMember': () => ({ member: bob, unchanged }),
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    await fireEvent.click(await screen.findByTestId('team-member-edit-bob'));
    await fireEvent.submit(screen.getByTestId('team-member-edit-form'));
    await waitFor(() => expect(screen.queryByTestId('team-member-edit-form')).toBeNull());
    expect(toast.items.map((t) => [t.kind, t.message])).toEqual([[kind, message]]);
    expect(fake.calls.filter((c) => c.method === 'UpdateMember').map((c) => c.args))
      .toEqual([[2, { displayName: '', role: 'member', funding: 'pool', departmentId: 0, minBalance: '0' }, false]]);
  });

  it("clears a department form's refusal as soon as it is edited", async () => {
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Departments': () => [],
      'Team.Members': () => [],
      'Team.Pool': () => ({ balance: '0', available: '0' }),
      // Go's own refusal (app.FormatError of team's ErrExists: backend/team TestNameTakenWords).
      'Team.CreateDepartment': () => { throw refusal('create department "Research": already exists: a department named "Research"', 'A department named "Research" already exists'); },
    });
    render(Team, { params: { rest: 'departments' }, query: {} });
    const name = await screen.findByTestId('team-department-add-name');
    await fireEvent.input(name, { target: { value: 'Research' } });
    await fireEvent.submit(screen.getByTestId('team-department-add-form'));
    expect((await screen.findByTestId('team-department-form-error')).textContent).toContain('A department named "Research" already exists');
    await fireEvent.input(name, { target: { value: 'Research 2' } });
    expect(screen.queryByTestId('team-department-form-error')).toBeNull();
  });

  it('filters the audit log and exports CSV with the same filter', async () => {
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.AuditPage': () => ({ items: [{ id: 1, at: '2026-01-01T00:00:00Z', actorId: 1, actorName: 'alice', action: 'member.add', target: 'user:2', before: null, after: { name: 'bob' } }], next: 0 }),
      'Team.AuditCSV': () => 'id,at\n1,x\n',
    });
    URL.createObjectURL = () => 'blob:x';
    URL.revokeObjectURL = () => {};
    HTMLAnchorElement.prototype.click = () => {}; // jsdom cannot navigate to a blob
    render(Team, { params: { rest: 'audit' }, query: {} });
    await screen.findByTestId('team-audit-table');
    // Every area the backend logs is suggested for the action filter.
    const suggested = [...screen.getByTestId('team-audit-actions').querySelectorAll('option')].map((o) => o.value);
    expect(suggested).toEqual(['workspace.', 'member.', 'department.', 'limit.', 'alerts.', 'recharge.', 'credits.', 'rates.',
      'provider.', 'apikey.', 'api.', 'invoice.', 'settings.', 'database.']);
    await fireEvent.input(screen.getByTestId('team-audit-action'), { target: { value: 'member.' } });
    await fireEvent.click(screen.getByTestId('team-audit-apply'));
    await fireEvent.click(screen.getByTestId('team-audit-export'));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'AuditCSV')).toBe(true));
    const audits = fake.calls.filter((c) => c.method === 'AuditPage' || c.method === 'AuditCSV');
    expect(audits.at(-2)?.args[0]).toMatchObject({ action: 'member.' });
    expect(audits.at(-1)?.args[0]).toMatchObject({ action: 'member.' });
    // Each row's Details button names its entry, so a screen reader's list of
    // buttons does not read "Details" once per row.
    const details = await screen.findByTestId('team-audit-details-1');
    expect(details.getAttribute('aria-label')).toMatch(/^Details: member\.add by alice, /);
    // Closed, the details are not in the page, and the button names none (an aria-controls naming no element).
    expect(details.hasAttribute('aria-controls')).toBe(false);
    await fireEvent.click(details);
    expect(details.getAttribute('aria-expanded')).toBe('true');
    expect(document.getElementById(details.getAttribute('aria-controls') ?? '')?.textContent).toContain('bob');
  });
});

describe('Team pages follow changes made elsewhere', () => {
  const row = { role: 'member', secretKind: 'pin', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' };
  it.each([
    ['departments', 'Departments', 'balance:changed'],
    ['departments', 'Departments', 'data:changed'],
    ['limits', 'Limits', 'data:changed'],
    ['limits', 'Limits', 'balance:changed'],
    ['alerts', 'AutoRecharges', 'data:changed'],
    ['alerts', 'AlertSettings', 'balance:changed'],
  ])('%s re-reads %s on %s, keeping the page in place', async (tab, method, event) => {
    const rt = installFakeRuntime();
    let balance = '10';
    let absolute = ['100'];
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [{ ...row, id: 2, name: 'bob', displayName: '' }],
      'Team.Departments': () => [{ id: 1, name: 'Eng', account: 'dept:1', balance, available: balance, budget: '0', overdraft: '0', members: 0, archived: false }],
      'Team.Limits': () => [{ kind: 'daily', model: '', period: 'day', amount: '50', used: balance, pending: '0', remaining: '40', resetsAt: '2026-01-01T00:00:00Z', timeZone: 'UTC' }],
      'Team.AlertSettings': () => ({ absolute, percent: ['20'], depleted: true, desktop: true }),
      'Team.AutoRecharges': () => [],
      'Team.AccountNames': () => ({}),
    });
    render(Team, { params: { rest: tab }, query: {} });
    const calls = () => fake.calls.filter((c) => c.method === method).length;
    await waitFor(() => expect(calls()).toBeGreaterThan(0));
    await waitFor(() => expect(screen.queryByText('Loading…')).toBeNull());
    const before = calls();
    balance = '7';
    absolute = ['90'];
    rt.emit(event);
    await waitFor(() => expect(calls()).toBe(before + 1));
    expect(screen.queryByText('Loading…')).toBeNull(); // no flash: the page stays
    if (tab === 'departments') await waitFor(() => expect(screen.getByTestId('team-department-1').textContent).toContain('7.00'));
  });

  it('keeps an alert threshold being edited when the settings are re-read', async () => {
    const rt = installFakeRuntime();
    let absolute = ['100'];
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [],
      'Team.Departments': () => [],
      'Team.AlertSettings': () => ({ absolute, percent: ['20'], depleted: true, desktop: true }),
      'Team.AutoRecharges': () => [],
      'Team.AccountNames': () => ({}),
    });
    render(Team, { params: { rest: 'alerts' }, query: {} });
    const form = await screen.findByTestId('team-alerts-form');
    const [abs, pct] = [...form.querySelectorAll('input:not([type="checkbox"])')] as HTMLInputElement[];
    await waitFor(() => expect(abs.value).toBe('100'));
    await fireEvent.input(abs, { target: { value: '75' } });
    absolute = ['90'];
    rt.emit('data:changed');
    await waitFor(() => expect(pct.value).toBe('20'));
    await new Promise((r) => setTimeout(r, 20));
    expect(abs.value).toBe('75');
  });

  it("says why a department's Archive is disabled", async () => {
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Departments': () => [{ id: 1, name: 'Eng', account: 'dept:1', balance: '5', available: '5', budget: '0', overdraft: '0', members: 0, archived: false }],
    });
    render(Team, { params: { rest: 'departments' }, query: {} });
    const button = (await screen.findByTestId('team-department-archive-1')) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toBe('Move its balance back to the pool first');
    expect(document.getElementById(button.getAttribute('aria-describedby')!)!.textContent).toBe('Move its balance back to the pool first');
  });

  // A save of what is there already is written and audited not at all
  // (backend/team ChangeLimit, ChangeAlertSettings, ChangeAutoRecharge,
  // DisableMember, EnableMember answer unchanged); the window said "Alert
  // settings saved", "Disabled bob" or nothing, as for a change.
  describe('says a save that changes nothing is unchanged', () => {
    const bob = { id: 2, name: 'bob', displayName: '', role: 'member', secretKind: 'pin', status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' };
    const messages = () => toast.items.map((t) => [t.kind, t.message]);

    // The toast names the member as the page's picker shows them: the
    // display name, else the sign-in name (it said "bob's" beside a
    // picker showing "Robert").
    it.each([
      [true, '', [['info', "bob's daily limit is unchanged: they had it already (nothing saved)"]]],
      [true, 'Robert', [['info', "Robert's daily limit is unchanged: they had it already (nothing saved)"]]],
      [false, '', []],
    ])('a limit (unchanged %s, display name "%s")', async (unchanged, displayName, want) => {
      toast.clear();
      const fake = installFakeBridge({
        'Team.CurrentUser': () => admin,
        'Team.Members': () => [{ ...bob, displayName }],
        'Team.Limits': () => [],
        'Team.Departments': () => [],
        'Team.SetLimit': (l: object) => ({ ...l, period: 'day', amount: '50', unchanged }),
      });
      render(Team, { params: { rest: 'limits' }, query: {} });
      const amount = await screen.findByTestId('team-limit-amount');
      await fireEvent.input(amount, { target: { value: '50.00' } });
      await fireEvent.submit(screen.getByTestId('team-limit-form'));
      await waitFor(() => expect((amount as HTMLInputElement).value).toBe(''));
      expect(messages()).toEqual(want);
      expect(fake.calls.filter((c) => c.method === 'SetLimit').map((c) => c.args))
        .toEqual([[{ userId: 2, kind: 'daily', model: '', period: '', amount: '50.00' }]]); // no period: the backend refuses one with a daily limit
    });

    // The form's Per (day or month) goes with a model limit alone: a daily or monthly limit is sent without one,
    // even after Per was changed for a model limit (the backend refuses a period with those; it sent 'month').
    it('sends a period with a model limit alone', async () => {
      const fake = installFakeBridge({
        'Team.CurrentUser': () => admin,
        'Team.Members': () => [bob],
        'Team.Limits': () => [],
        'Team.Departments': () => [],
        'Team.SetLimit': (l: object) => ({ ...l, unchanged: false }),
      });
      render(Team, { params: { rest: 'limits' }, query: {} });
      const amount = await screen.findByTestId('team-limit-amount');
      await fireEvent.change(screen.getByTestId('team-limit-kind'), { target: { value: 'model' } });
      await fireEvent.input(await screen.findByLabelText('Model'), { target: { value: ' o3 ' } });
      await fireEvent.change(screen.getByLabelText('Per'), { target: { value: 'day' } });
      await fireEvent.input(amount, { target: { value: '5' } });
      await fireEvent.submit(screen.getByTestId('team-limit-form'));
      await waitFor(() => expect((amount as HTMLInputElement).value).toBe(''));
      await fireEvent.change(screen.getByTestId('team-limit-kind'), { target: { value: 'monthly' } });
      await fireEvent.input(amount, { target: { value: '7' } });
      await fireEvent.submit(screen.getByTestId('team-limit-form'));
      await waitFor(() => expect((amount as HTMLInputElement).value).toBe(''));
      expect(fake.calls.filter((c) => c.method === 'SetLimit').map((c) => c.args)).toEqual([
        [{ userId: 2, kind: 'model', model: 'o3', period: 'day', amount: '5' }],
        [{ userId: 2, kind: 'monthly', model: '', period: '', amount: '7' }],
      ]);
    });

    it.each([
      [true, ['info', 'The alert settings are unchanged: they were in force already (nothing saved)']],
      [false, ['success', 'Alert settings saved']],
    ])('the alert settings (unchanged %s)', async (unchanged, want) => {
      toast.clear();
      const fake = installFakeBridge({
        'Team.CurrentUser': () => admin,
        'Team.AlertSettings': () => ({ absolute: ['100', '10'], percent: ['20', '10'], depleted: true, desktop: true }),
        'Team.SetAlertSettings': () => ({ absolute: ['100', '10'], percent: ['20', '10'], depleted: true, desktop: true, unchanged }),
        'Team.AutoRecharges': () => [],
        'Team.Members': () => [],
        'Team.Departments': () => [],
      });
      render(Team, { params: { rest: 'alerts' }, query: {} });
      const abs = await screen.findByTestId('team-alerts-absolute');
      await fireEvent.input(abs, { target: { value: '10 100' } }); // another order: the same thresholds
      await fireEvent.click(screen.getByTestId('team-alerts-save'));
      await waitFor(() => expect(messages()).toEqual([want]));
      expect(fake.calls.find((c) => c.method === 'SetAlertSettings')?.args[0]).toEqual({ absolute: ['10', '100'], percent: ['20', '10'], depleted: true, desktop: true });
    });

    it.each([
      [true, [['info', 'The auto-recharge rule for Research is unchanged: it had these settings already (nothing saved)']]],
      [false, []],
    ])('an auto-recharge rule (unchanged %s)', async (unchanged, want) => {
      toast.clear();
      const rule = { account: 'dept:1', threshold: '5', amount: '10', monthlyCap: '100', enabled: true, thisMonth: '0' };
      const fake = installFakeBridge({
        'Team.CurrentUser': () => admin,
        'Team.AlertSettings': () => ({ absolute: [], percent: [], depleted: true, desktop: true }),
        'Team.AutoRecharges': () => [rule],
        'Team.Members': () => [],
        'Team.Departments': () => [{ id: 1, name: 'Research', account: 'dept:1', budget: '0', overdraft: '0', balance: '0', available: '0', members: 0, archived: false, createdAt: '' }],
        'Team.AccountNames': () => ({ 'dept:1': 'Research' }),
        'Team.SetAutoRecharge': () => ({ ...rule, unchanged }),
      });
      render(Team, { params: { rest: 'alerts' }, query: {} });
      const form = await screen.findByTestId('team-recharge-form');
      await waitFor(() => expect(form.querySelector('select')).not.toBeNull());
      await fireEvent.change(form.querySelector('select')!, { target: { value: 'dept:1' } });
      await fireEvent.input(screen.getByLabelText('Below'), { target: { value: '5.00' } });
      await fireEvent.input(screen.getByLabelText('Move'), { target: { value: '10' } });
      await fireEvent.input(screen.getByLabelText('Monthly cap'), { target: { value: '100' } });
      await fireEvent.submit(form);
      await waitFor(() => expect(fake.calls.filter((c) => c.method === 'SetAutoRecharge')).toHaveLength(1));
      await waitFor(() => expect(messages()).toEqual(want));
    });

    it.each([
      ['disable', true, ['info', 'bob is unchanged: they were disabled already (nothing saved)']],
      ['disable', false, ['success', 'Disabled bob']],
      ['enable', true, ['info', 'bob is unchanged: they were active already (nothing saved)']],
      ['enable', false, ['success', 'Enabled bob']],
    ])("a member's %s (unchanged %s)", async (what, unchanged, want) => {
      toast.clear();
      // The list shows bob as he was before a change made elsewhere (the CLI).
      const shown = { ...bob, status: what === 'disable' ? 'active' : 'disabled' };
      const now = { ...bob, status: what === 'disable' ? 'disabled' : 'active' };
      installFakeBridge({
        'Team.CurrentUser': () => admin,
        'Team.Members': () => [shown],
        'Team.Departments': () => [],
        'Team.DisableMember': () => ({ member: now, unchanged }),
        'Team.EnableMember': () => ({ member: now, unchanged }),
      });
      render(Team, { params: { rest: 'members' }, query: {} });
      await fireEvent.click(await screen.findByTestId(`team-member-${what}-bob`));
      await waitFor(() => expect(messages()).toEqual([want]));
    });
  });
});
