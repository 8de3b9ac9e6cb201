/**
 * The state of a Settings → General card that edits part of the workspace
 * (SettingsZone, SettingsBilling): loading it, saving a patch of its own
 * fields (team.patchWorkspace: the rest is read afresh), and the messages
 * the card shows. show puts a stored workspace into the card's form.
 */
import * as team from '../api/team';
import { errorMessage } from '../api/errors';

export class WorkspaceCard {
  ws = $state<team.Workspace | null>(null);
  loadError = $state('');
  saving = $state(false);
  saveError = $state('');
  justSaved = $state(false);
  /** The last save asked for what the workspace had already: the backend wrote and audited nothing. */
  unchanged = $state(false);

  constructor(private readonly show: (w: team.Workspace) => void) {}

  private stored(w: team.Workspace) {
    this.ws = w;
    this.show(w);
  }

  async load(): Promise<void> {
    this.loadError = '';
    try {
      this.stored(await team.workspaceSettings());
    } catch (err) {
      this.loadError = errorMessage(err);
    }
  }

  /** Marks the form edited: "Saved" and the last save's error no longer apply. */
  edited(): void {
    this.justSaved = false;
    this.unchanged = false;
    this.saveError = '';
  }

  /**
   * Saves patch unless a save is running; returns the stored workspace and
   * whether it had those settings already (unchanged: nothing was written),
   * or null when it failed (saveError says why).
   */
  async save(patch: Partial<team.Workspace>): Promise<team.WorkspaceChange | null> {
    if (this.saving) return null;
    this.saving = true;
    this.saveError = '';
    this.justSaved = false;
    this.unchanged = false;
    try {
      const w = await team.patchWorkspace(patch);
      this.stored(w);
      this.justSaved = true;
      this.unchanged = w.unchanged;
      return w;
    } catch (err) {
      this.saveError = errorMessage(err);
      return null;
    } finally {
      this.saving = false;
    }
  }
}
