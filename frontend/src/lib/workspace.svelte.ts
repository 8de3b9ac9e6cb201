/**
 * Workspace-wide values the shell shows (the workspace display name in the
 * sidebar). Settings → General writes them after saving.
 */
import * as system from '../api/system';

class WorkspaceState {
  name = $state('');
  version = $state('');

  /** Loads the name and version; failures leave defaults (pages show their own errors). */
  async load(): Promise<void> {
    const [name, info] = await Promise.allSettled([system.getSetting(system.SettingKeys.WorkspaceName), system.info()]);
    if (name.status === 'fulfilled') this.name = name.value;
    if (info.status === 'fulfilled') this.version = info.value.version;
  }
}

/** The shell's workspace state. */
export const workspace = new WorkspaceState();
