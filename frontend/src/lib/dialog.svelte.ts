/**
 * App-wide modal dialogs: `await dialog.confirm({...})` and
 * `await dialog.prompt({...})`, rendered by components/Dialog.svelte in the
 * shell. The browser's window.confirm / window.prompt / window.alert are not
 * used anywhere (a test checks): Wails v2's macOS window (WKWebView) does not
 * implement them, so they return false / null there without showing
 * anything, and window.prompt cannot hide a password.
 */

/** A yes/no question. */
export interface ConfirmOptions {
  title: string;
  message?: string;
  /** The confirming button's label (default "OK"). */
  confirmLabel?: string;
  /** Styles the confirming button as destructive. */
  danger?: boolean;
}

/** A yes/no question with one option to tick (confirmWith). */
export interface ConfirmWithOptions extends ConfirmOptions {
  /** The option's label, e.g. "Move the 50 credits back to the pool". */
  check: string;
  /** Whether it starts ticked (default true). */
  checked?: boolean;
}

/** A question answered with one line of text. */
export interface PromptOptions {
  title: string;
  message?: string;
  /** The input's label. */
  label: string;
  /** What the text must be, under the field (e.g. Go's rule for a new password); the check's message replaces it. */
  hint?: string;
  /** Initial text. */
  value?: string;
  /** Hide what is typed (passwords, PINs). */
  secret?: boolean;
  inputMode?: 'text' | 'decimal' | 'numeric';
  confirmLabel?: string;
  /**
   * Checks the text as it is typed: a message says what is wrong (shown
   * under the field, the dialog stays open with the text), null is fine.
   * It may answer later (a promise: the backend's words, Go team.SecretProblem
   * for a new password): the dialog shows the answer about the text still
   * there, and OK waits for it.
   */
  validate?: (value: string) => string | null | Promise<string | null>;
}

/** The dialog on screen (or queued). */
export type DialogRequest =
  | ({ kind: 'confirm'; id: number; check?: string; checked?: boolean } & ConfirmOptions)
  | ({ kind: 'prompt'; id: number } & PromptOptions);

/** What a dialog is answered with: text, yes/no, or yes with the option's state. */
export type Answer = string | boolean | null | { checked: boolean };

interface Pending {
  request: DialogRequest;
  resolve: (answer: Answer) => void;
}

class DialogStore {
  /** The dialog to show, or null. */
  current = $state<DialogRequest | null>(null);
  #queue: Pending[] = [];
  #active: Pending | null = null;
  #next = 1;

  /** Resolves true when confirmed, false when cancelled. */
  confirm(opts: ConfirmOptions): Promise<boolean> {
    return this.#open({ kind: 'confirm', id: this.#next++, ...opts }).then((a) => a === true);
  }

  /**
   * Asks a yes/no question with an option to tick: resolves to the option's
   * state when confirmed, null when cancelled.
   */
  confirmWith(opts: ConfirmWithOptions): Promise<{ checked: boolean } | null> {
    return this.#open({ kind: 'confirm', id: this.#next++, ...opts, checked: opts.checked ?? true }).then((a) =>
      typeof a === 'object' && a !== null ? a : null,
    );
  }

  /** Resolves to the text entered, or null when cancelled. */
  prompt(opts: PromptOptions): Promise<string | null> {
    return this.#open({ kind: 'prompt', id: this.#next++, ...opts }).then((a) => (typeof a === 'string' ? a : null));
  }

  /** Answers the current dialog (true / text = confirmed; false / null = cancelled) and shows the next. */
  answer(value: Answer): void {
    const done = this.#active;
    this.#active = this.#queue.shift() ?? null;
    this.current = this.#active?.request ?? null;
    done?.resolve(value);
  }

  /**
   * Cancels the dialog on screen and every queued one (each resolves as if
   * Cancel were pressed). The session locks or ends: a question asked of the
   * member before ("Remove bob?") must not wait over the sign-in screen, to be
   * answered by whoever signs in next.
   */
  dismissAll(): void {
    const pending = [this.#active, ...this.#queue];
    this.#active = null;
    this.#queue = [];
    this.current = null;
    for (const p of pending) p?.resolve(null);
  }

  #open(request: DialogRequest): Promise<Answer> {
    return new Promise((resolve) => {
      const p = { request, resolve };
      if (this.#active) {
        this.#queue.push(p);
        return;
      }
      this.#active = p;
      this.current = request;
    });
  }
}

export const dialog = new DialogStore();
