/**
 * A fake Team backend over one stored workspace, for the Settings → General
 * cards that change it through Team.UpdateWorkspace (SettingsZone,
 * SettingsBilling), which answers whether anything changed (unchanged).
 * refuse returns the error Go would give for an input (a thrown string, as
 * Wails delivers it), or '' to accept it.
 */
import { installFakeBridge, type FakeBridge } from './fakeBridge';
import { session } from '../lib/session.svelte';
import type { Workspace } from '../api/team';

export const baseWorkspace: Workspace = {
  name: 'Acme', currency: 'EUR', creditValue: '0.01', taxId: '', address: '', timeZone: 'UTC', idleLockMinutes: 15,
  pricesIncludeTax: false,
};

export function fakeWorkspace(refuse: (w: Workspace) => string = () => ''): { fake: FakeBridge; stored: Workspace } {
  const stored = { ...baseWorkspace };
  const fake = installFakeBridge({
    'Team.Workspace': () => ({ ...stored }),
    'Team.UpdateWorkspace': (w: Workspace) => {
      const err = refuse(w);
      if (err) throw err;
      // As Go answers (team.WorkspaceChange): unchanged when it had these settings already.
      const unchanged = (Object.keys(baseWorkspace) as (keyof Workspace)[]).every((k) => stored[k] === w[k]);
      Object.assign(stored, w);
      return { ...stored, unchanged };
    },
  });
  return { fake, stored };
}

/** Signs alice in with role. */
export function asRole(role: 'admin' | 'member') {
  session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role } } as never);
}
