/**
 * Errors coming back from the Go backend, normalised for display.
 */

/** Kind of failure: the Go method returned an error, or no backend is attached. */
export type BackendErrorKind = 'backend' | 'unavailable';

/** An error returned by a bound Go method (message = the wrapped Go error text). */
export class BackendError extends Error {
  readonly op: string;
  readonly kind: BackendErrorKind;

  constructor(op: string, message: string, kind: BackendErrorKind = 'backend') {
    super(message);
    this.name = 'BackendError';
    this.op = op;
    this.kind = kind;
  }

  /** Wraps whatever a Wails promise rejected with (usually a plain string). */
  static from(op: string, err: unknown): BackendError {
    if (err instanceof BackendError) return err;
    return new BackendError(op, errorMessage(err));
  }
}

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
