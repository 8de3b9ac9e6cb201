/**
 * Errors coming back from the Go backend, normalised for display.
 */

/** Kind of failure: the Go method returned an error, or no backend is attached. */
export type BackendErrorKind = 'backend' | 'unavailable';

/**
 * An error returned by a bound Go method. Its message is what the window
 * shows: for a refused input, the reason only (errorReason); `detail` keeps
 * the whole Go error text (the operation and the error kind before it).
 */
export class BackendError extends Error {
  readonly op: string;
  readonly kind: BackendErrorKind;
  readonly detail: string;

  constructor(op: string, message: string, kind: BackendErrorKind = 'backend', detail: string = message) {
    super(message);
    this.name = 'BackendError';
    this.op = op;
    this.kind = kind;
    this.detail = detail;
  }

  /** Wraps whatever a Wails promise rejected with (usually a plain string). */
  static from(op: string, err: unknown): BackendError {
    if (err instanceof BackendError) return err;
    const text = errorMessage(err);
    return new BackendError(op, errorReason(text), 'backend', text);
  }
}

/**
 * The reason of a refused input, as the window says it: a Go error wraps it
 * as "<operation>: invalid <what>: <reason>" ("top up pool: invalid request:
 * tax rate "x" must be a fraction…", "invalid amount", "invalid input",
 * "invalid chat request", "invalid invoice party", …); the window shows
 * "Tax rate "x" must be a fraction…". A workspace change refused because
 * someone else changed a setting since it was read (team.ErrChanged:
 * "change the workspace: the time zone was changed by someone else since
 * you opened it (now …): reload and try again") is shown from the setting
 * on: "The time zone was changed by someone else…". Any other text is
 * returned as it is.
 */
export function errorReason(message: string): string {
  // The stale-edit shape first: its quoted values may hold "invalid …: ".
  const m = STALE.exec(message) ?? /(?:^|: )invalid [a-z][a-z -]{0,40}?: (?=\S)/.exec(message);
  if (!m) return message;
  const reason = message.slice(m.index + m[0].length);
  return reason[0].toUpperCase() + reason.slice(1);
}

/**
 * Where team.ErrChanged's message starts after its operation: the first
 * setting's label (team.workspaceFields: "the time zone", "what a credit is
 * worth", "whether top-up prices include tax", …), with "was / were changed
 * by someone else since you opened it / them" after it (a label's "(now …)"
 * may quote a value holding ": ", so the first such place is the one).
 */
const STALE = /(?:^|: )(?=(?:the|what|whether) [\s\S]*? (?:was|were) changed by someone else since you opened (?:it|them)\b)/;

/** Returns a human readable message for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err || 'Unknown error';
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') {
    return err.message;
  }
  try {
    const s = JSON.stringify(err);
    return s && s !== '{}' ? s : 'Unknown error';
  } catch {
    return 'Unknown error';
  }
}
