/**
 * A fake Team backend over one stored workspace, for the Settings → General
 * cards that change it through Team.PatchWorkspace (SettingsZone,
 * SettingsBilling). As Go does (team.PatchWorkspace), it applies only the
 * fields given, refuses a given field someone else changed since the card
 * read it (stored is neither read's value nor the one asked for; the
 * currency and what a credit is worth checked together) with Go's message,
 * and answers whether anything changed (unchanged). refuse returns the error
 * Go would give for the patched workspace (thrown as Wails delivers it: a
 * refused input as a refusal(message, reason)), or '' to accept it.
 */
import { coded, installFakeBridge, type FakeBridge } from './fakeBridge';
import { session } from '../lib/session.svelte';
import type { Workspace, WorkspacePatch } from '../api/team';

export const baseWorkspace: Workspace = {
  name: 'Acme', currency: 'EUR', creditValue: '0.01', taxId: '', address: '', timeZone: 'UTC', idleLockMinutes: 15,
  pricesIncludeTax: false,
};

type Key = keyof Workspace;

/** Go's staleness groups (team.workspaceFields): label, fields, value now. */
const groups: [string, Key[], (w: Workspace) => string][] = [
  ['the workspace name', ['name'], (w) => JSON.stringify(w.name)],
  ['what a credit is worth', ['currency', 'creditValue'], (w) => `${w.creditValue} ${w.currency}`],
  ['the tax id', ['taxId'], (w) => (w.taxId ? JSON.stringify(w.taxId) : 'empty')],
  ['the address', ['address'], (w) => (w.address ? JSON.stringify(w.address) : 'empty')],
  ['the time zone', ['timeZone'], (w) => w.timeZone],
  ['the idle lock', ['idleLockMinutes'], (w) => (w.idleLockMinutes ? `after ${w.idleLockMinutes} minutes` : 'never')],
  ['whether top-up prices include tax', ['pricesIncludeTax'], (w) => (w.pricesIncludeTax ? 'they include tax' : 'tax is added on top')],
];

export function fakeWorkspace(refuse: (w: Workspace) => unknown = () => ''): { fake: FakeBridge; stored: Workspace } {
  const stored = { ...baseWorkspace };
  const fake = installFakeBridge({
    'Team.Workspace': () => ({ ...stored }),
    'Team.PatchWorkspace': (p: WorkspacePatch) => {
      const { read, ...fields } = p;
      const after: Workspace = { ...stored, ...fields };
      const err = refuse(after);
      if (err) throw err;
      if (read) {
        const same = (keys: Key[], a: Workspace, b: Workspace) => keys.every((k) => a[k] === b[k]);
        const stale = groups.filter(([, keys]) => keys.some((k) => k in fields) && !same(keys, stored, read) && !same(keys, stored, after));
        if (stale.length === 1) {
          const [label, , now] = stale[0];
          const reason = `${label} was changed by someone else since you opened it (now ${now(stored)}): reload and try again`;
          // The reason comes as the sentence the backend makes of it (inputerr.Sentence).
          throw coded('changed', `change the workspace: ${reason}`, reason[0].toUpperCase() + reason.slice(1));
        }
        if (stale.length > 1) {
          const parts = stale.map(([label, , now]) => `${label} (now ${now(stored)})`);
          const reason = `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)} were changed by someone else since you opened them: reload and try again`;
          throw coded('changed', `change the workspace: ${reason}`, reason[0].toUpperCase() + reason.slice(1));
        }
      }
      const unchanged = (Object.keys(baseWorkspace) as Key[]).every((k) => stored[k] === after[k]);
      Object.assign(stored, after);
      return { ...stored, unchanged };
    },
  });
  return { fake, stored };
}

/** Signs alice in with role. */
export function asRole(role: 'admin' | 'member') {
  session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role } } as never);
}
