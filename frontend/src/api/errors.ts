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

  /**
   * Wraps whatever a Wails promise rejected with (usually a plain string).
   * A refusal said in plain words (app.RefusalError: team's "credits cannot
   * go to …", "move its 2 members …", gateway's "an active key is already
   * named …") comes as { message, reason }: the reason is shown, never the
   * operations around it (a transfer's id), which stay in detail.
   */
  static from(op: string, err: unknown): BackendError {
    if (err instanceof BackendError) return err;
    const reason = refusalReason(err);
    if (reason !== null) return new BackendError(op, asSentence(reason), 'backend', errorMessage(err) || reason);
    const text = errorMessage(err);
    return new BackendError(op, errorReason(text), 'backend', text);
  }
}

/**
 * The reason of a refused input, as the window says it. A Go error wraps it
 * as "<operation>: [<context>: …] invalid <what>: <reason>" ("top up pool:
 * invalid request: tax rate "x" must be a fraction…", "invalid amount",
 * "invalid input", "invalid chat request", "invalid invoice party", …). The
 * operation (what the window's own words say already: the form, the
 * banner's title) and Go's error kind go; the context between them stays,
 * since it says which field or item the reason is about:
 *
 *   "save package "Starter": credits: invalid amount: amount must be greater than zero"
 *     → "Credits: amount must be greater than zero" (not the price)
 *   "top up pool: invalid request: tax rate "x" must be…" → "Tax rate "x" must be…"
 *   "set policy dept:1: limit -5: invalid amount" → "Limit -5: invalid amount"
 *     (no reason after the kind: the context and the kind)
 *
 * A context that restates the operation, holding its words whole (the app
 * layer's "history:" over the ledger's "history:", "read the audit log"
 * under "audit log"), goes with it; one the operation merely holds stays
 * ("credits" under "save package "Credits pack""). A kind wrapped again
 * inside the reason ("what a credit is worth: invalid amount: credit
 * value…") goes too. Segments are split at ": " outside Go's quoted values
 * (%q), so a name such as "R&D: West" stays whole; a '"' never closed (no
 * %q value) splits as plain text. Only the first letter is capitalised, so
 * a user-given name, which Go quotes, is shown as typed ('"bob": …').
 * A workspace change refused because someone else changed a setting since it was read (team.ErrChanged:
 * "change the workspace: the time zone was changed by someone else since
 * you opened it (now …): reload and try again") is shown from the setting
 * on: "The time zone was changed by someone else…". Any other text (no kind,
 * or a kind with neither a reason nor a context) is returned as it is.
 */
export function errorReason(message: string): string {
  // The stale-edit shape first: its quoted values may hold "invalid …: ".
  const stale = STALE.exec(message);
  if (stale) return capitalize(message.slice(stale.index + stale[0].length));
  const parts = segments(message);
  const at = parts.findIndex((p) => KIND.test(p));
  if (at < 0) return message;
  const hasReason = at < parts.length - 1;
  // Before the kind: the operation (the first segment), then the context.
  const ops = at > 0 ? [parts[0]] : [];
  const context: string[] = [];
  for (const p of parts.slice(Math.min(at, 1), at)) {
    if (ops.some((o) => restates(p, o))) ops.push(p);
    else context.push(p);
  }
  if (!hasReason) return context.length > 0 ? capitalize([...context, parts[at]].join(': ')) : message;
  // After it: the reason, less a kind wrapped again inside it (unless it ends it).
  const reason = parts.slice(at + 1).filter((p, i, rest) => !(KIND.test(p) && i < rest.length - 1));
  return capitalize([...context, ...reason].join(': '));
}

/**
 * Whether a context restates an operation: it holds the operation's words
 * whole ("history" over "history", "read the audit log" over "audit log").
 * Not the other way round: a field named inside the operation's item is
 * still the field ("credits" under "save package "Credits pack"").
 */
function restates(context: string, op: string): boolean {
  const c = context.toLowerCase();
  const o = op.toLowerCase();
  if (o === '') return false;
  for (let i = c.indexOf(o); i >= 0; i = c.indexOf(o, i + 1)) {
    if (!WORD.test(c[i - 1] ?? '') && !WORD.test(c[i + o.length] ?? '')) return true;
  }
  return false;
}

const WORD = /^[\p{L}\p{N}_]$/u;

/** Go's error kind as a segment of its own: "invalid input", "invalid chat request", … */
const KIND = /^invalid [a-z][a-z -]{0,40}$/;

/** The text's ": "-separated segments, not splitting inside a double-quoted value (Go's %q, with \" escapes). */
function segments(text: string): string[] {
  const out = split(text, true);
  // A quote never closed was no %q value (a name written bare that holds
  // a '"'): split as if there were no quotes, rather than keep the rest
  // of the text as one segment.
  return out === null ? (split(text, false) ?? [text]) : out;
}

function split(text: string, quotes: boolean): string[] | null {
  const out: string[] = [];
  let quoted = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"' && quotes) quoted = !quoted;
    else if (!quoted && c === ':' && text[i + 1] === ' ') {
      out.push(text.slice(from, i));
      from = i + 2;
      i++;
    }
  }
  out.push(text.slice(from));
  return quoted ? null : out;
}

function capitalize(s: string): string {
  return s === '' ? s : s[0].toUpperCase() + s.slice(1);
}

/**
 * A refusal's reason as a sentence: its first word capitalised when it is
 * an ordinary word of Go's own ("credits cannot go…", "move its 2 members…"),
 * never when it is a code or a name as typed ("user:3 cannot take…",
 * "ml-ops has only…", a quoted name): those are shown as they are.
 */
function asSentence(reason: string): string {
  const first = reason.split(' ', 1)[0];
  return /^[a-z]+$/.test(first) ? capitalize(reason) : reason;
}

/**
 * Where team.ErrChanged's message starts after its operation: the first
 * setting's label (team.workspaceFields: "the time zone", "what a credit is
 * worth", "whether top-up prices include tax", …), with "was / were changed
 * by someone else since you opened it / them" after it (a label's "(now …)"
 * may quote a value holding ": ", so the first such place is the one).
 */
const STALE = /(?:^|: )(?=(?:the|what|whether) [\s\S]*? (?:was|were) changed by someone else since you opened (?:it|them)\b)/;

/** The reason of an app.RefusalError ({ message, reason }), or null for any other value. */
function refusalReason(err: unknown): string | null {
  if (err && typeof err === 'object' && !(err instanceof Error) && 'reason' in err && typeof err.reason === 'string' && err.reason !== '') {
    return err.reason;
  }
  return null;
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
