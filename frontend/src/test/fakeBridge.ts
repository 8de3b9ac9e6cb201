/**
 * Test doubles for the Wails bridge and runtime. Area tests use them as:
 *
 *   const fake = installFakeBridge({ 'System.GetSetting': (key) => 'Acme' });
 *   ... exercise code ...
 *   expect(fake.calls).toContainEqual({ struct: 'System', method: 'GetSetting', args: ['workspace.name'] });
 *
 * A handler may return a value, a promise, or throw (a thrown string mimics a
 * Go error as Wails delivers it). Calls without a handler reject like a Go error.
 * A 'Chat.Send' handler also answers the window's Chat.StartSend, as Go does:
 * the call returns at once and its outcome comes as `chat:sent`.
 * Team.SecretProblem and Team.SecretKinds, unless a test scripts them, answer
 * as Go does, from Go's own tables (secretProblems, secretKindRules): the
 * window keeps no copy of the rule, and neither does the fake. So do
 * Credits.AmountProblem and PriceProblem (topUpProblems).
 */
import { setBridge, type Bridge } from '../api/bridge';
import { runtime, setRuntime, type EventCallback, type WailsRuntime } from '../api/runtime';
import secretTable from '../../../backend/team/testdata/secret_problems.json?raw';
import secretKindsTable from '../../../backend/team/testdata/secret_kinds.json?raw';
import topUpTable from '../../../app/testdata/topup_problems.json?raw';

/**
 * Go's words for each new password or PIN its table has (backend/team
 * TestSecretProblemIsTheRefusalsOwnWords writes testdata/secret_problems.json
 * from team.SecretProblem): what the fake's Team.SecretProblem answers. A
 * secret the table does not have is answered with a problem that names it,
 * which keeps the form from going on: add it to the Go test.
 */
export const secretProblems: { kind: string; secret: string; problem: string }[] = JSON.parse(secretTable);

/**
 * Go's kinds of secret with their rules (backend/team
 * TestSecretKindsSayTheRuleCheckSecretApplies writes testdata/secret_kinds.json
 * from team.SecretKinds): what the fake's Team.SecretKinds answers.
 */
export const secretKindRules: { kind: string; name: string; label: string; hint: string; rule: string }[] =
  JSON.parse(secretKindsTable);

/**
 * Go's words for each custom top-up's credits ('amount') or price as typed in
 * the top-up form (a credit worth 0.01 EUR; app
 * TestTopUpAmountAndPriceProblemsAreTheTopUpsOwnRefusals writes
 * app/testdata/topup_problems.json from Credits.AmountProblem and
 * PriceProblem): what the fake's Credits.AmountProblem and PriceProblem
 * answer. A text the table does not have is answered with a problem that
 * names it, which keeps the form from sending it: add it to the Go test.
 */
export const topUpProblems: { field: 'amount' | 'price'; typed: string; problem: string }[] = JSON.parse(topUpTable);

function topUpProblemAsGo(field: 'amount' | 'price', typed: string): string {
  if (field === 'price' && typed.trim() === '') return '';
  const row = topUpProblems.find((r) => r.field === field && r.typed === typed);
  if (!row) return `fake Credits.${field === 'amount' ? 'AmountProblem' : 'PriceProblem'}: ${JSON.stringify(typed)} is not in app/testdata/topup_problems.json`;
  return row.problem;
}

function secretProblemAsGo(kind: string, secret: string): string {
  const row = secretProblems.find((r) => r.kind === kind && r.secret === secret);
  // Said as a problem, not thrown: the window says nothing for a failed check, which would pass unseen.
  if (!row) return `fake Team.SecretProblem: ${kind} ${JSON.stringify(secret)} is not in backend/team/testdata/secret_problems.json`;
  return row.problem;
}

/** One recorded call into the fake backend. */
export interface RecordedCall {
  struct: string;
  method: string;
  args: unknown[];
}

type Handler = (...args: any[]) => unknown;

/** A fake backend that records calls and answers from handlers keyed "Struct.Method". */
export interface FakeBridge extends Bridge {
  calls: RecordedCall[];
  handlers: Record<string, Handler>;
}

/** Builds a FakeBridge without installing it. */
export function createFakeBridge(handlers: Record<string, Handler> = {}): FakeBridge {
  const fake: FakeBridge = {
    calls: [],
    handlers,
    async call(struct, method, args) {
      fake.calls.push({ struct, method, args });
      const send = fake.handlers['Chat.Send'];
      if (struct === 'Chat' && method === 'StartSend' && !fake.handlers['Chat.StartSend'] && send) {
        // As Go's Chat.StartSend: returns at once; the outcome, which a
        // test scripts as 'Chat.Send' answers it, arrives as chat:sent
        // (on the fake runtime installed).
        const { messageId } = args[0] as { messageId: string };
        const emit = (outcome: unknown) => (runtime() as Partial<FakeRuntime>).emit?.('chat:sent', { messageId, outcome });
        void Promise.resolve()
          .then(() => send(...args))
          .then(emit, (err) => emit({ message: null, error: { code: 'error', message: String((err as Error)?.message ?? err), topUp: false } }));
        return true;
      }
      const h = fake.handlers[`${struct}.${method}`];
      if (!h && struct === 'Team' && method === 'SecretProblem') return secretProblemAsGo(args[0] as string, args[1] as string);
      if (!h && struct === 'Team' && method === 'SecretKinds') return secretKindRules;
      if (!h && struct === 'Credits' && method === 'AmountProblem') return topUpProblemAsGo('amount', args[0] as string);
      if (!h && struct === 'Credits' && method === 'PriceProblem') return topUpProblemAsGo('price', args[0] as string);
      if (!h) throw `no fake handler for ${struct}.${method}`;
      return await h(...args);
    },
  };
  return fake;
}

/** Builds a FakeBridge and makes api/ use it (undo with setBridge(null)). */
export function installFakeBridge(handlers: Record<string, Handler> = {}): FakeBridge {
  const fake = createFakeBridge(handlers);
  setBridge(fake);
  return fake;
}

/** A fake Wails runtime whose `emit` plays the backend's EventsEmit. */
export interface FakeRuntime extends WailsRuntime {
  emit(name: string, ...data: unknown[]): void;
  listenerCount(name: string): number;
  opened: string[];
}

/**
 * Builds a FakeRuntime and makes api/ use it (undo with setRuntime(null)).
 * Its events work as Wails 2.9's runtime (desktop/events.js) does, so a test
 * sees what the window would: `emit` copies the event's listener list, calls
 * them from the last registered to the first, then writes the copy back —
 * a listener removed while they are called comes back, one added is lost —
 * and removing a listener of an event that has none left throws, as
 * Wails' listenerOff does.
 */
export function installFakeRuntime(): FakeRuntime {
  type Listener = { cb: EventCallback };
  const listeners: Record<string, Listener[] | undefined> = {};
  const rt: FakeRuntime = {
    opened: [],
    EventsOn(name, cb) {
      const l: Listener = { cb };
      (listeners[name] ??= []).push(l);
      return () => {
        // As Wails' listenerOff: throws when the event has no list left.
        listeners[name] = listeners[name]!.filter((x) => x !== l);
        if (listeners[name]!.length === 0) delete listeners[name];
      };
    },
    EventsOff(name, ...more) {
      for (const n of [name, ...more]) delete listeners[n];
    },
    BrowserOpenURL(url) {
      rt.opened.push(url);
    },
    emit(name, ...data) {
      const copy = listeners[name]?.slice() ?? [];
      if (!copy.length) return;
      for (let i = copy.length - 1; i >= 0; i--) copy[i].cb(...data);
      listeners[name] = copy;
    },
    listenerCount(name) {
      return listeners[name]?.length ?? 0;
    },
  };
  setRuntime(rt);
  return rt;
}

/**
 * Chat.MessagesPage and Chat.MessagesState over a conversation's stored
 * messages (list(id) is read at each call), paged and stated as the backend
 * does: a page is the newest `limit` (0: 200) below `before`; the state
 * changes with the count, the newest id and its status.
 */
export function fakeMessages(list: (id: number) => any[]): Record<string, Handler> {
  const state = (id: number) => {
    const l = list(id);
    const last = l.at(-1);
    return { updatedAt: '', count: l.length, lastId: last?.id ?? 0, lastStatus: last?.status ?? '' };
  };
  return {
    'Chat.MessagesState': state,
    'Chat.MessagesPage': (id: number, before = 0, limit = 0) => {
      const older = list(id).filter((m) => !before || m.id < before);
      const n = limit > 0 ? limit : 200;
      return { messages: older.slice(-n), earlier: older.length > n, state: state(id) };
    },
  };
}

/**
 * A refusal as the Go side sends it (app.RefusalError from its Wails
 * ErrorFormatter): the whole Go text, the reason the window shows, and the
 * input field it is about when it names one (inputerr.About: "temperature").
 * A fake throws it where Go refuses an input.
 */
export function refusal(message: string, reason: string, field?: string): { message: string; reason: string; field?: string } {
  return field ? { message, reason, field } : { message, reason };
}

/**
 * A refusal the window acts on, as the Go side sends it (app.RefusalError
 * with its code: "changed", "busy"): the whole Go text, its reason ('' when
 * it has none of its own, as a rates save over a newer version) and the code.
 */
export function coded(code: string, message: string, reason = ''): { message: string; reason: string; code: string } {
  return { message, reason, code };
}
