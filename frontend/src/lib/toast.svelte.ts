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

class ToastStore {
  items = $state<Toast[]>([]);
  #next = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  /** Shows a toast; timeout 0 keeps it until dismissed. Returns its id. */
  show(kind: ToastKind, message: string, opts: { title?: string; timeout?: number } = {}): number {
    const id = this.#next++;
    this.items = [...this.items, { id, kind, message, title: opts.title }].slice(-5);
    const ms = opts.timeout ?? TOAST_TIMEOUT[kind];
    if (ms > 0) this.#timers.set(id, setTimeout(() => this.dismiss(id), ms));
    return id;
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
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.items = this.items.filter((t) => t.id !== id);
  }

  clear(): void {
    for (const t of this.items) this.dismiss(t.id);
  }
}

/** The app's single toast store. */
export const toast = new ToastStore();
