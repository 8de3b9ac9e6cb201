/**
 * The background export a page started (statements, invoices, the
 * transaction history): its progress bar and Cancel while it runs, one
 * toast when it ends. The progress comes as `export:progress` events; a
 * page calls track() with the id the export call returned.
 *
 * An export may end before its id reaches the page: the backend runs it
 * in the background and the call's answer and the job's events travel
 * separately, so a quick one (an invoice PDF) can send its last event
 * first, which no page can match to a job it does not know yet. track()
 * therefore reads the job's status once after it has the id and takes it
 * when no event has said more (the backend keeps a finished job for ten
 * minutes: backend/statements, KeepFinishedFor).
 */
import * as statements from '../api/statements';
import { Events, on } from '../api/events';
import { toast } from './toast.svelte';

/** How far a state has got: a status only ever replaces one that is not further along. */
function rank(s: statements.JobStatus): number {
  return s.state === 'running' ? 0 : 1;
}

export class ExportJob {
  job = $state<statements.JobStatus | null>(null);

  /** Whether the current job is still running (the page shows its progress and Cancel). */
  get running(): boolean {
    return this.job?.state === 'running';
  }

  /**
   * Listens for the job's progress; the returned function stops listening
   * (call it when the page goes).
   */
  listen(): () => void {
    return on<statements.JobStatus>(Events.ExportProgress, (s) => this.update(s));
  }

  /**
   * Starts showing the export id (of kind, to path, total steps if known)
   * as running, then catches up with it at once in case it already ended.
   */
  async track(id: string, kind: statements.ExportKind, path: string, total = 0): Promise<void> {
    this.job = { id, kind, path, state: 'running', done: 0, total };
    try {
      this.update(await statements.status(id));
    } catch {
      // Its events still come; a status that cannot be read says nothing new.
    }
  }

  /** Cancels the running job, if any. */
  cancel(): Promise<void> {
    return this.job ? statements.cancel(this.job.id) : Promise.resolve();
  }

  /**
   * Takes s when it is the current job's and no older than what is shown,
   * with its toast when it is the job's end (once: a job that has ended
   * takes nothing more).
   */
  update(s: statements.JobStatus): void {
    const cur = this.job;
    if (!cur || s.id !== cur.id || rank(cur) > 0) return;
    if (rank(s) === 0 && s.done < cur.done) return; // an older progress than shown
    this.job = s;
    if (s.state === 'done') toast.success(`Saved ${s.path}`);
    if (s.state === 'failed') toast.error(s.error ?? 'Export failed');
    if (s.state === 'cancelled') toast.info('Export cancelled');
  }
}
