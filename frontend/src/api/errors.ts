/**
 * Errors coming back from the Go backend, normalised for display.
 */

/** Kind of failure: the Go method returned an error, or no backend is attached. */
export type BackendErrorKind = 'backend' | 'unavailable';

/**
 * An error returned by a bound Go method. Its message is what the window
 * shows: for a refusal, its reason only (app.RefusalError); `detail` keeps
 * the whole Go error text (the operation and the error kind before it).
 */
export class BackendError extends Error {
  readonly op: string;
  readonly kind: BackendErrorKind;
  readonly detail: string;
  /**
   * The input field a refusal is about, as the form names it (app.RefusalError's
   * field, backend inputerr.About: a model setting's "temperature", "topP",
   * "maxOutput", "reasoning", "history"), so that a form marks that field and no
   * other; '' when the refusal names none (or the error is no refusal).
   */
  readonly field: string;
  /**
   * What a refusal the window acts on is (app.RefusalError's code): 'changed'
   * (a save over a change made meanwhile: read again, the edits kept), 'busy'
   * (a reply is still being written); '' for any other error. The window tells
   * them by this, never by their words.
   */
  readonly code: string;
  /**
   * The backend refused the request (app.RefusalError: an input refused as
   * invalid, a rates change with a bad row, a save over a change made
   * meanwhile): asked again as it is, it would be refused again. False for a
   * failure of the request itself (a busy database, a lost connection, no
   * backend attached), which says nothing of whether the input is right.
   */
  readonly refused: boolean;

  constructor(op: string, message: string, kind: BackendErrorKind = 'backend', detail: string = message, field = '', code = '', refused = false) {
    super(message);
    this.name = 'BackendError';
    this.op = op;
    this.kind = kind;
    this.detail = detail;
    this.field = field;
    this.code = code;
    this.refused = refused;
  }

  /**
   * Wraps whatever a Wails promise rejected with (a plain string, the Go
   * text). A refusal said in plain words (app.RefusalError, which the Go
   * side's Wails ErrorFormatter sends) comes as { message, reason }: an
   * input refused as invalid (backend/inputerr: "tax rate "x" must be…",
   * "credits: amount must be…"), team's "credits cannot go to …", "move its
   * 2 members …", a workspace change someone else made first ("the time
   * zone was changed by someone else…"), gateway's "an active key is
   * already named …". The reason is shown, never the operations around it
   * (a transfer's id) or Go's error kind ("invalid amount"), which stay in
   * detail. The reason comes as a sentence (inputerr.Sentence: "Credits:
   * amount must be…", but "alice has no limit for gpt-4o", a name as spelt)
   * and is shown as sent: the window re-cases no word of it. Any other error
   * is shown as its text: the window parses none.
   * A refusal about one input field names it ({ message, reason, field }):
   * field says which, for the form to mark. A refusal the window acts on has
   * a code ({ message, reason, code }; reason '' when it has none of its own,
   * and then its message is shown).
   */
  static from(op: string, err: unknown): BackendError {
    if (err instanceof BackendError) return err;
    const reason = refusalReason(err);
    if (reason !== null) return new BackendError(op, reason, 'backend', errorMessage(err) || reason, refusalField(err), refusalCode(err), true);
    const code = refusalCode(err);
    return new BackendError(op, errorMessage(err), 'backend', errorMessage(err), '', code, code !== '');
  }
}

/** The reason of an app.RefusalError ({ message, reason }), or null for any other value. */
function refusalReason(err: unknown): string | null {
  if (err && typeof err === 'object' && !(err instanceof Error) && 'reason' in err && typeof err.reason === 'string' && err.reason !== '') {
    return err.reason;
  }
  return null;
}

/** The field of an app.RefusalError ({ message, reason, field }), or '' when it names none. */
function refusalField(err: unknown): string {
  return err && typeof err === 'object' && 'field' in err && typeof err.field === 'string' ? err.field : '';
}

/** The code of an app.RefusalError ({ message, reason, code }), or '' when it has none. */
function refusalCode(err: unknown): string {
  return err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : '';
}

/** What a thrown value is, for the window to act on (a BackendError's code: 'changed', 'busy'), or '' for none or any other value. */
export function errorCode(err: unknown): string {
  return err instanceof BackendError ? err.code : '';
}

/** Whether a thrown value is the backend's refusal (a BackendError's refused), not a failure of the request itself. */
export function isRefusal(err: unknown): boolean {
  return err instanceof BackendError && err.refused;
}

/** The input field a thrown value is about (a BackendError's field), or '' for none or any other value. */
export function errorField(err: unknown): string {
  return err instanceof BackendError ? err.field : '';
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
