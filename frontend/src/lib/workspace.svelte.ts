/**
 * Workspace-wide values the shell shows (the workspace display name in the
 * sidebar). Settings → General writes them after saving.
 */
import * as system from '../api/system';

export class WorkspaceState {
  name = $state('');
  version = $state('');
  /** Whether the name has been read once: until then the shell shows none rather than a placeholder. */
  loaded = $state(false);

  /** The name the shell shows: blank until read, "Local workspace" for a workspace without one. */
  get shownName(): string {
    return this.loaded ? this.name || 'Local workspace' : '';
  }

  /** Loads the name and version; failures leave defaults (pages show their own errors). */
  async load(): Promise<void> {
    const [name, info] = await Promise.allSettled([system.getSetting(system.SettingKeys.WorkspaceName), system.info()]);
    if (name.status === 'fulfilled') {
      this.name = name.value;
      this.loaded = true;
    }
    if (info.status === 'fulfilled') this.version = info.value.version;
  }
}

/** The shell's workspace state. */
export const workspace = new WorkspaceState();
