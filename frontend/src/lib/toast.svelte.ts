/**
 * App-wide toasts. `toast.success("Saved")`, `toast.error(err)`; the Toasts
 * component in the shell renders them in an aria-live region.
 */
import { errorMessage } from '../api/errors';

/** Visual kind of a toast. */
export type ToastKind = 'info' | 'success' | 'warning' | 'error';

/** One visible toast. */
export interface Toast {
  id: number;
  kind: ToastKind;
  title?: string;
  message: string;
}

/** Default lifetime per kind in ms (errors stay longer). */
export const TOAST_TIMEOUT: Record<ToastKind, number> = { info: 4000, success: 4000, warning: 7000, error: 10000 };

/** The least time a paused toast stays after the pointer or focus leaves it. */
export const TOAST_RESUME_MIN = 1500;

/** A toast's auto-dismiss timer: running (handle) or paused (remaining ms). */
interface Timer {
  handle?: ReturnType<typeof setTimeout>;
  deadline: number;
  remaining: number;
}

class ToastStore {
  items = $state<Toast[]>([]);
  #next = 1;
  #timers = new Map<number, Timer>();

  /** Shows a toast; timeout 0 keeps it until dismissed. Returns its id. */
  show(kind: ToastKind, message: string, opts: { title?: string; timeout?: number } = {}): number {
    const id = this.#next++;
    const all = [...this.items, { id, kind, message, title: opts.title }];
    for (const dropped of all.slice(0, -5)) this.#stop(dropped.id);
    this.items = all.slice(-5);
    const ms = opts.timeout ?? TOAST_TIMEOUT[kind];
    if (ms > 0) this.#start(id, ms);
    return id;
  }

  /** Stops a toast's countdown while the pointer or focus is on it. */
  pause(id: number): void {
    const t = this.#timers.get(id);
    if (!t || t.handle === undefined) return;
    clearTimeout(t.handle);
    t.handle = undefined;
    t.remaining = Math.max(0, t.deadline - Date.now());
  }

  /** Restarts a paused countdown, leaving at least TOAST_RESUME_MIN to read it. */
  resume(id: number): void {
    const t = this.#timers.get(id);
    if (!t || t.handle !== undefined) return;
    this.#start(id, Math.max(t.remaining, TOAST_RESUME_MIN));
  }

  #start(id: number, ms: number): void {
    this.#timers.set(id, { handle: setTimeout(() => this.dismiss(id), ms), deadline: Date.now() + ms, remaining: ms });
  }

  #stop(id: number): void {
    clearTimeout(this.#timers.get(id)?.handle);
    this.#timers.delete(id);
  }

  info(message: string, title?: string): number {
    return this.show('info', message, { title });
  }

  success(message: string, title?: string): number {
    return this.show('success', message, { title });
  }

  warning(message: string, title?: string): number {
    return this.show('warning', message, { title });
  }

  /** Shows any thrown value (BackendError, string, Error) as an error toast. */
  error(err: unknown, title?: string): number {
    return this.show('error', errorMessage(err), { title });
  }

  dismiss(id: number): void {
    this.#stop(id);
    this.items = this.items.filter((t) => t.id !== id);
  }

  clear(): void {
    for (const t of this.items) this.dismiss(t.id);
  }
}

/** The app's single toast store. */
export const toast = new ToastStore();
