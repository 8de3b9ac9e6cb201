/**
 * The state of a Settings → General card that edits part of the workspace
 * (SettingsZone, SettingsBilling): loading it, saving the fields the user
 * edited and only those, with the workspace the card showed
 * (team.patchWorkspace: Go changes them in one write transaction and
 * refuses one someone else changed since), reloading after such a refusal,
 * and the messages the card shows. show puts a workspace into the card's
 * form, leaving the fields named in keep as the user typed them (after a
 * reload: an edit stays the text typed, e.g. an idle lock "ten" stays
 * "ten", still refused, rather than coming back as the number it cleans to,
 * "NaN"); form returns the card's fields as the form has them (cleaned as
 * Go stores them: trimmed, upper-cased, numbers).
 */
import * as team from '../api/team';
import { errorMessage } from '../api/errors';

type Fields = Partial<team.Workspace>;
/** The names of the fields the user edited: show leaves them as typed. */
export type Kept = ReadonlySet<string>;

export class WorkspaceCard {
  /** The workspace as last read or saved: what the form started from, and what a save says it read. */
  ws = $state<team.Workspace | null>(null);
  loadError = $state('');
  saving = $state(false);
  saveError = $state('');
  justSaved = $state(false);
  /** The last save asked for what the workspace had already: the backend wrote and audited nothing. */
  unchanged = $state(false);
  /**
   * The last save was refused: someone else (another window, a command)
   * changed a setting this card edits since it was read. saveError names it;
   * the form keeps the user's edits, and reload reads the workspace again.
   */
  changed = $state(false);
  reloading = $state(false);
  /** The card was reloaded after a refusal: the stored values are new, the user's edits kept on top. */
  reloaded = $state(false);

  constructor(
    private readonly show: (w: team.Workspace, keep: Kept) => void,
    private readonly form: () => Fields,
  ) {}

  private stored(w: team.Workspace) {
    this.ws = w;
    this.show(w, new Set());
  }

  async load(): Promise<void> {
    this.loadError = '';
    try {
      this.stored(await team.workspaceSettings());
    } catch (err) {
      this.loadError = errorMessage(err);
    }
  }

  /** The card's fields whose value in the form is not the one read (what a save sends). */
  edits(): Fields {
    const ws = this.ws;
    if (!ws) return {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.form())) {
      if (v !== ws[k as keyof team.Workspace]) out[k] = v;
    }
    return out as Fields;
  }

  /** Marks the form edited: "Saved" and the last save's error no longer apply (a refusal for a change elsewhere stays until reload). */
  edited(): void {
    this.justSaved = false;
    this.unchanged = false;
    this.reloaded = false;
    if (!this.changed) this.saveError = '';
  }

  /**
   * Saves the edited fields unless a save is running, with the workspace the
   * card read; returns the stored workspace and whether it had those settings
   * already (unchanged: nothing was written), or null when it failed
   * (saveError says why; changed when someone else changed one of them).
   */
  async save(): Promise<team.WorkspaceChange | null> {
    const read = this.ws;
    if (this.saving || !read) return null;
    this.saving = true;
    this.saveError = '';
    this.justSaved = false;
    this.unchanged = false;
    this.changed = false;
    this.reloaded = false;
    try {
      const w = await team.patchWorkspace({ ...this.edits(), read: $state.snapshot(read) });
      this.stored(w);
      this.justSaved = true;
      this.unchanged = w.unchanged;
      return w;
    } catch (err) {
      this.saveError = errorMessage(err);
      this.changed = team.isWorkspaceChanged(err);
      return null;
    } finally {
      this.saving = false;
    }
  }

  /**
   * Reads the workspace again after a refused save: the card's stored values
   * (what the form is compared with, and what the next save says it read)
   * become the ones stored now; fields the user did not edit show them, the
   * ones they edited keep the edit as typed (not as cleaned: an idle lock
   * "ten" stays "ten", still refused), so Save applies it over the new values.
   */
  async reload(): Promise<void> {
    if (this.reloading) return;
    this.reloading = true;
    try {
      const kept = new Set(Object.keys(this.edits()));
      const w = await team.workspaceSettings();
      this.ws = w;
      this.show(w, kept);
      this.changed = false;
      this.saveError = '';
      this.reloaded = true;
    } catch (err) {
      this.saveError = errorMessage(err);
    } finally {
      this.reloading = false;
    }
  }
}
