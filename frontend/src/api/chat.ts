/**
 * Typed wrapper over the bound Go struct `Chat` (app/chat.go): conversations,
 * messages, the metered send (text streams in as `chat:delta` events), Stop,
 * the model picker and the payer's balance status. Money fields are decimal
 * STRINGS end to end.
 */
import { call } from './bridge';
import { Events, on } from './events';
import { errorCode, errorField, errorMessage } from './errors';
import type { RateRow } from './rates';
import { formatCredits } from '../lib/money';

/**
 * How much a reasoning model is asked to think (backend providers.Reasoning):
 * 'default' sends nothing, the provider decides.
 */
export type Reasoning = 'default' | 'off' | 'low' | 'medium' | 'high';

/** The levels, in the order the settings form offers them. */
export const reasoningLevels: Reasoning[] = ['default', 'off', 'low', 'medium', 'high'];

/**
 * A conversation's model settings (backend/chat.ModelSettings), sent with
 * each of its requests. null / 0 / 'default' = the provider's or the model's
 * default. Generation parameters, not money (but a thinking budget is held
 * and charged on top of maxOutput: as output for Claude, at the reasoning
 * rate for Gemini, ReasoningSupport.thinkingCharged).
 */
export interface ModelSettings {
  /** 0 to 2. */
  temperature: number | null;
  /** 0 to 1. */
  topP: number | null;
  /** Output tokens asked for, and held for, per reply; 0 = the model's default. */
  maxOutput: number;
  /** How much a reasoning model thinks (ModelOption.reasoningSupport says what it does with a model). */
  reasoning: Reasoning;
  /**
   * How many earlier exchanges (a message and the reply that answered it)
   * each send carries: null = all; 0 to maxHistory = the last N (0: only
   * the new message). Fewer make a smaller prompt, which costs less.
   */
  history?: number | null;
}

/** The most exchanges History may name (backend/chat.MaxHistory). */
export const maxHistory = 1000;

export const defaultSettings: ModelSettings = { temperature: null, topP: null, maxOutput: 0, reasoning: 'default', history: null };

export interface Conversation {
  id: number;
  userId: number;
  title: string;
  systemPrompt: string;
  provider: string;
  model: string;
  /** Text of a send that failed before any output (e.g. offline). */
  draft: string;
  settings: ModelSettings;
  createdAt: string;
  updatedAt: string;
  messages: number;
  snippet: string;
}

export interface ConversationInput {
  title?: string;
  systemPrompt?: string | null;
  provider?: string | null;
  model?: string | null;
  /** Replaces all the settings (absent = unchanged). */
  settings?: ModelSettings | null;
}

export interface BreakdownLine {
  kind: 'input' | 'cache_read' | 'cache_write' | 'output' | 'reasoning' | 'per_request' | 'per_tool_call';
  quantity: number;
  rate: string;
  rateSource: string;
  amount: string;
}

export interface Breakdown {
  rateVersion: number;
  provider: string;
  model: string;
  rateModel?: string;
  lines: BreakdownLine[];
  total: string;
  totalMinor: number;
  estimated: boolean;
  /** Estimated, but the input side is what the provider reported before the stream was cut (only the output was counted). */
  inputReported?: boolean;
  /** Estimated, and the model reasoned where its stream showed none of it (or a summary): that reasoning, which the provider bills, is not counted. */
  reasoningHidden?: boolean;
}

export interface Charge {
  requestId: string;
  transferId: number;
  payer: string;
  provider: string;
  model: string;
  source: string;
  conversationId: number;
  rateVersion: number;
  /** When that rate version took effect (RFC 3339; absent or the zero time when not known). */
  ratesAt?: string;
  usage: Record<string, number>;
  estimated: boolean;
  hold: string;
  amount: string;
  price: string;
  capped: boolean;
  breakdown: Breakdown;
  summary: string;
  /**
   * What the reply used is rated 0 and nothing was set aside for it (Go chat.Free: a model rated 0 for input and
   * output): it cost exactly nothing, and its summary ends "free". Absent on
   * a charge read before this was sent (as false).
   */
  free?: boolean;
}

export type MessageStatus = 'done' | 'streaming' | 'stopped' | 'interrupted' | 'error';

export interface Message {
  id: number;
  uid: string;
  conversationId: number;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus;
  provider: string;
  model: string;
  error: string;
  createdAt: string;
  charge?: Charge;
  /** Why the provider ended the reply: 'stop', 'length' (the output budget ran out), 'content_filter', …; '' none reported. */
  finishReason: string;
  /** The max output tokens the reply was asked for (0: unknown). */
  outputBudget: number;
  /** Why the reply ended short or empty, as a sentence to show under it (Go chat.ReplyNote); '' nothing to say. */
  note: string;
  /**
   * How a reply that did not finish ended, as a sentence to show under it (Go chat.StatusNote: "Stopped — charged
   * for what was generated.", "Stopped — free, nothing charged.", "Interrupted: …", "Error: …"); '' (or absent, on a
   * message the window made up while it is sent) for a finished reply.
   */
  statusNote?: string;
  /**
   * Who wrote this user turn, or sent this reply, when it was not the
   * conversation's owner (an admin's turn in a member's conversation, from
   * before only the owner could write there); absent: the owner, or not
   * recorded.
   */
  writtenBy?: Author;
  /**
   * What the charged replies this reply replaced cost (a regenerate's
   * earlier replies, a stopped one included; the answers an edit-and-resend
   * replaced): hidden from the thread, charged by the ledger. Absent: it
   * replaced none that was charged (and on a send's own reply, until the
   * thread is read again).
   */
  replaced?: Replaced;
}

/** The charged replies a reply replaced (Go chat.Replaced). */
export interface Replaced {
  /** Their charges' sum, credits (canonical decimal), of all of them. */
  amount: string;
  /** How many they are; a page lists only the newest (MaxReplacedListed, Go). */
  count: number;
  /** Oldest first: the newest `count` of them at most (see count). */
  replies: ReplacedReply[];
  /**
   * Them on one line, in Go's words (chat.ReplacedLine, which `conversations show` prints): "2 earlier replies
   * replaced · 1.608 credits", "… · free" when every one was free.
   */
  summary: string;
  /** Every one of them was free, listed or not (Go chat.Free of each). */
  free: boolean;
  /**
   * Go's words for those a page does not list (chat.ReplacedNotListed): "and 990 earlier ones, not listed here
   * (meterdesk conversations show lists them)", '' when all are listed.
   */
  notListed: string;
}

/** One replaced reply that was charged (Go chat.ReplacedReply). */
export interface ReplacedReply {
  uid: string;
  status: MessageStatus;
  model: string;
  createdAt: string;
  /** Whose send it was, when not the conversation's owner. */
  writtenBy?: Author;
  charge: Charge;
  /**
   * It on one line, in Go's words (chat.ReplacedReplyLine, which `conversations show` prints): "Stopped reply ·
   * gpt-4o · … · total 0.054 credits", "Reply sent by Dave · …".
   */
  line: string;
}

/** A member who wrote a message in a conversation that is not theirs (Go chat.Author). */
export interface Author {
  id: number;
  /** As the people rule names them: "Alice", "bob (removed)"; "member 7" when none is left. */
  name: string;
}

/** Classified error of a send (backend/chat.ErrorInfo). */
export interface SendError {
  code:
    | 'insufficient_credits' | 'limit_exceeded' | 'offline' | 'rate_limited' | 'provider_error' | 'timeout'
    | 'interrupted' | 'malformed' | 'stopped' | 'invalid' | 'not_found' | 'forbidden' | 'no_provider' | 'busy' | 'error'
    /** The provider refused the prompt as over the model's context window: the message says to lower History. */
    | 'context_too_long';
  message: string;
  topUp: boolean;
  /** A top-up would help, but only an admin can do it (the message says to ask one). */
  askAdmin?: boolean;
  retryAfterSec?: number;
  /** Offline because the provider is a server on this machine that is not answering. */
  localDown?: boolean;
  /**
   * Of a local server that is down (localDown), the address nothing answers at ("localhost:11434"),
   * for an admin only (backend/chat.ClassifyFor); absent for a member and for a provider elsewhere.
   */
  address?: string;
  /** A spending limit's refusal: when the limit the message names resets (RFC 3339). */
  resetsAt?: string;
  /** A spending limit's refusal: when the send as it is may pass every limit it breaks (RFC 3339; later than resetsAt when another resets later); absent when no reset lets it through (a limit it breaks is, whole, less than the send's least hold: its words then say an admin raising the limit). */
  retryAt?: string;
  /**
   * A refusal for credits or by a spending limit whose prompt fits but not
   * the room held for its output budget: the largest Max output tokens
   * (any thinking budget on top) that fits the credits and every limit now;
   * absent when none does (RoomFor).
   */
  maxTokens?: number;
}

/**
 * What the window adds to a SendError, never Go (so not a field of Go's
 * chat.ErrorInfo, which SendError mirrors).
 */
export interface SendErrorMarks {
  /**
   * The send stored nothing (no reply, so nothing was charged), and where
   * its text is: back in the composer ('draft'), back in the editor of the
   * message it edited ('edit': the composer's draft is another text), or
   * nowhere, a regenerate having none ('none'). describeError then says so after a provider's error, a rate
   * limit, a timeout, an offline send or a context too long, by one rule (keptWords). Unset
   * when a reply was stored (cut off after some text, and charged: its own
   * line says so) or when the window cannot tell.
   */
  undone?: 'draft' | 'edit' | 'none';
  /**
   * Set by the window: the name of the provider the send went to, as the
   * model picker shows it, for the words of a rate limit ("The provider
   * Claude is rate limiting requests"), which name none.
   */
  providerName?: string;
  /**
   * The send stored a reply with this error (cut off after some text, charged; a charge that failed): the error
   * is said once, under that reply with its charge line (ChatMessage's status line), so the box above the
   * composer says only what the member can do (describeError: storedReplyWords), or is not shown.
   */
  stored?: boolean;
}

/** A SendError as the window shows it: with its marks, if any. */
export type ShownSendError = SendError & SendErrorMarks;

/** e, of a send to provider: the provider's name kept with it (SendErrorMarks.providerName). */
export function sentTo(e: SendError, provider = ''): ShownSendError {
  return provider.trim() ? { ...e, providerName: provider.trim() } : e;
}

/**
 * e, of a send to provider that stored nothing (SendOutcome without a
 * message), marked so (SendErrorMarks: undone, providerName): kept says where
 * its text went back to.
 */
export function undone(e: SendError, kept: 'draft' | 'edit' | 'none', provider = ''): ShownSendError {
  return { ...sentTo(e, provider), undone: kept };
}

/** e, of a send to provider that stored its reply with e (SendErrorMarks.stored): said under the reply, not again. */
export function storedWith(e: SendError, provider = ''): ShownSendError {
  return { ...sentTo(e, provider), stored: true };
}

/**
 * A rate limit's wait, as the composer says it beside a disabled Send (and as Send's title): "Send again in 5 s
 * (the provider Claude is rate limiting requests)". The wait is the provider's (its limit is on its key): the
 * window holds Send while a model of that provider is picked, in the conversation the 429 came in; another
 * provider's model, or another conversation, is not held (its own 429, if any, says so).
 */
export function rateLimitWait(providerName: string, secondsLeft: number): string {
  const who = providerName.trim() ? `the provider ${providerName.trim()}` : 'the provider';
  return `Send again in ${Math.max(1, Math.ceil(secondsLeft))} s (${who} is rate limiting requests)`;
}

export interface SendInput {
  conversationId: number;
  messageId: string;
  provider?: string;
  model?: string;
  text?: string;
  regenerate?: boolean;
  editMessageId?: string;
}

export interface SendOutcome {
  message: Message | null;
  error: SendError | null;
}

export interface ModelOption {
  provider: string;
  rateProvider: string;
  local: boolean;
  model: string;
  input: string;
  output: string;
  cacheRead: string;
  reasoning: string;
  free: boolean;
  /** No input or no output rate of its own: charged at the default rate (an admin sets one in Settings → Rates). */
  defaultRate: boolean;
  /** The model whose rates price this one when it is another's: a snapshot without a row of its own, priced as its base. */
  ratedAs?: string;
  /** The output budget a send holds for when the conversation sets none. */
  defaultMaxOutput: number;
  /** What the Reasoning setting does with this model; absent: nothing (it does not apply). */
  reasoningSupport?: ReasoningSupport | null;
  /** The most output tokens the model takes (Max output plus any thinking budget), where documented; absent: not known. */
  outputCeiling?: number;
}

/** What the Reasoning setting does with one model (backend chat.ReasoningSupport). */
export interface ReasoningSupport {
  /** 'effort': OpenAI's reasoning_effort or Claude's adaptive thinking, counted within the output budget; 'budget': thinking tokens on top of it (Claude, Gemini). */
  control: 'effort' | 'budget';
  /** Off turns the thinking off; false: the model always reasons and Off sends nothing. */
  off: boolean;
  /** The effort Off sends ('none': gpt-5.1 and later); absent when Off sends no effort (Claude, Gemini, a model that always reasons). */
  offEffort?: string;
  /** Thinking tokens each level adds to the output budget (0 for 'effort'). */
  low: number;
  medium: number;
  high: number;
  /** While it thinks (Low, Medium, High) the model takes a temperature only of 1 and a top P only from 0.95 (Claude): a send with others is refused. */
  fixedSampling: boolean;
  /** The model takes no temperature or top P other than 1 at any level (Claude Opus 4.7 and later): a send with others is refused. */
  noSampling?: boolean;
  /** The levels among low, medium and high the model takes (gpt-5-pro: high); absent: all three. A send at another is refused. */
  takes?: Reasoning[];
  /** The levels go out as Gemini 3's thinking level; low, medium and high are still the tokens held for its thinking. */
  thinkingLevel?: boolean;
  /**
   * How a thinking budget ('budget') is held and charged, in the backend's
   * words (chat.ThinkingChargedAsOutput: Claude; chat.ThinkingChargedAsReasoning:
   * Gemini, whose thoughts are priced at the reasoning rate).
   */
  thinkingCharged?: string;
}

export interface BalanceStatus {
  payer: string;
  payerName: string;
  available: string;
  threshold: string;
  low: boolean;
}

/** One step of the "Getting started" checklist (backend/chat, Readiness). */
export interface ReadyStep {
  /**
   * 'workspace' only before the first-run setup (the window shows its wizard
   * then); 'rates' only for admins, once a provider offers a model; 'limit'
   * only while the member's spending limits leave no send.
   */
  id: 'workspace' | 'provider' | 'rates' | 'credits' | 'limit' | 'team';
  done: boolean;
  /** Not needed for a first reply. */
  optional: boolean;
  /**
   * Not done, but not in the way of a reply either (ready stays true): some
   * models are charged the default rate while others have rates of their own.
   */
  warning?: boolean;
  title: string;
  /** What there is now, or who can do the step. */
  detail: string;
  /** The rates step's rate-table rows, as the Rates page names them ("local" for an Ollama's models). */
  rows?: RateRow[] | null;
  /**
   * The limit step: when it may clear by itself, a limit's reset (RFC 3339;
   * the first at which a send may pass). None when no reset helps (a limit
   * of 0, which an admin raises).
   */
  retryAt?: string | null;
}

/** What stands between the signed-in member and a first metered reply. */
export interface Readiness {
  /** Every step is done, optional or a warning. */
  ready: boolean;
  /** The signed-in member can do the steps themself. */
  admin: boolean;
  /** Where their sends are charged, as they know it: "the workspace pool", "your wallet", "the Research department". */
  payerName: string;
  steps: ReadyStep[];
  /**
   * The card's title and the line under it, in Go's words (chat.Readiness.said): "Ready to chat", "Getting
   * started", or what blocks now ("Chat is paused": a spending limit, or the credits of a member who has chatted
   * before, is all that stands in the way, with what lets replies go again: the reset, an admin raising a
   * limit of 0, a top-up).
   */
  heading: string;
  summary: string;
}

/** Payload of `chat:delta`. */
export interface Delta {
  conversationId: number;
  messageId: string;
  text: string;
}

/** Payload of `chat:done`: a send finished, with its reply (and charge) or why it failed. */
export interface Done {
  conversationId: number;
  messageId: string;
  message?: Message | null;
  error?: SendError | null;
}

/** How many conversations the list shows at most (backend/chat ListLimit; Chat.Conversations returns one more when there are more). */
export const LIST_LIMIT = 200;
export const conversations = (query = '') => call<Conversation[]>('Chat', 'Conversations', query);
export const conversation = (id: number) => call<Conversation>('Chat', 'Conversation', id);
export const createConversation = (input: ConversationInput) => call<Conversation>('Chat', 'CreateConversation', input);
/** "New chat": the newest blank conversation (no message, title or system prompt; a draft, such as a failed first send's text, comes with it), or a new one. */
export const startConversation = () => call<Conversation>('Chat', 'StartConversation');
export const updateConversation = (id: number, input: ConversationInput) =>
  call<Conversation>('Chat', 'UpdateConversation', id, input);
export const deleteConversation = (id: number) => call<number>('Chat', 'DeleteConversation', id);
export const saveDraft = (id: number, text: string) => call<boolean>('Chat', 'SaveDraft', id, text);
/** Saves the conversation as Markdown where the native dialog says; resolves to the path ("" if cancelled). */
export const exportToFile = (id: number) => call<string>('Chat', 'ExportToFile', id);
export const messages = async (id: number) => (await call<Message[] | null>('Chat', 'Messages', id)) ?? [];

/**
 * Says cheaply whether a conversation's messages may have changed
 * (backend/chat.MessagesState): equal states, the same visible messages.
 */
export interface MessagesState {
  updatedAt: string;
  /** Visible messages. */
  count: number;
  /** The newest visible message's id (0: none). */
  lastId: number;
  lastStatus: string;
  /** The rate table's current version: a reply priced by another says the rates that priced it (ratesNote). */
  rateVersion?: number;
}

/** The newest visible messages of a conversation up to a point (backend/chat.MessagePage). */
export interface MessagePage {
  messages: Message[];
  /** Older visible messages exist. */
  earlier: boolean;
  /** The conversation's state, read before the messages. */
  state: MessagesState;
}

/** How many messages a conversation opens with, and how many more "Show earlier messages" adds (backend/chat PageSize). */
export const PAGE_SIZE = 200;

/** The newest limit (0: PAGE_SIZE) visible messages below message id before (0: the newest), in order. */
export async function messagesPage(id: number, before = 0, limit = 0): Promise<MessagePage> {
  const p = await call<MessagePage>('Chat', 'MessagesPage', id, before, limit);
  return { ...p, messages: p.messages ?? [] };
}

/** The conversation's state now, to compare with the state of the page last read (one cheap query). */
export const messagesState = (id: number) => call<MessagesState>('Chat', 'MessagesState', id);

export function sameState(a: MessagesState | null | undefined, b: MessagesState | null | undefined): boolean {
  return !!a && !!b && a.updatedAt === b.updatedAt && a.count === b.count && a.lastId === b.lastId && a.lastStatus === b.lastStatus
    && (a.rateVersion ?? 0) === (b.rateVersion ?? 0);
}

/**
 * "priced at the rates of 3 Nov" under a reply whose charge was priced by a
 * rate version other than the current one (the rate table changed since),
 * so that two replies of one model at different prices say why; '' when it
 * was priced at the current rates, or either is unknown. The day is the
 * workspace's (zone; this computer's when none or unknown), with its year
 * when not now's.
 */
export function ratesNote(charge: Charge | undefined, current: number | undefined, zone = '', now = new Date()): string {
  if (!charge || !current || !charge.rateVersion || charge.rateVersion === current || !charge.ratesAt) return '';
  const at = new Date(charge.ratesAt);
  if (Number.isNaN(at.getTime()) || at.getTime() <= 0) return ''; // Go's zero time: not known
  const day = (d: Date, opts: Intl.DateTimeFormatOptions) => {
    try {
      return new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: zone || undefined }).format(d);
    } catch {
      return new Intl.DateTimeFormat('en-GB', opts).format(d);
    }
  };
  const sameYear = day(at, { year: 'numeric' }) === day(now, { year: 'numeric' });
  return `priced at the rates of ${day(at, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' })}`;
}
/** a and b say the same: every field equal (nested ones, the charge, compared by value). */
export function sameMessage(a: Message, b: Message): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Message>;
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

/**
 * next (messages read again), with each one that has not changed since it
 * was shown (the same uid, content, status, charge, …) replaced by the
 * object shown: the view then neither re-renders it nor runs its Markdown
 * again, so a re-read after a send costs the messages that changed, not
 * all of those shown.
 */
export function keepUnchanged(shown: readonly Message[], next: Message[]): Message[] {
  const byUid = new Map(shown.map((m) => [m.uid, m]));
  return next.map((m) => {
    const old = byUid.get(m.uid);
    return old && sameMessage(old, m) ? old : m;
  });
}
/** Payload of `chat:sent`: how the send Chat.StartSend started for messageId ended (Go app.SendResult). */
export interface SendResult {
  messageId: string;
  outcome: SendOutcome;
}

/**
 * Runs one send and resolves to its outcome. Chat.StartSend returns at once
 * and the outcome comes as `chat:sent` (the text as `chat:delta`): a call
 * that lasted as long as the reply held back every later call of the page
 * under Wails' dev server, which answers a page's calls one at a time, Stop
 * included. A start refused (no message id, the backend gone) rejects.
 */
export function send(input: SendInput): Promise<SendOutcome> {
  return new Promise((resolve, reject) => {
    const off = on<SendResult>(Events.ChatSent, (r) => {
      if (r?.messageId !== input.messageId) return;
      off();
      resolve(r.outcome);
    });
    call<boolean>('Chat', 'StartSend', input).catch((err) => {
      off();
      reject(err);
    });
  });
}
export const stop = (messageId: string) => call<boolean>('Chat', 'Stop', messageId);
export const models = async () => (await call<ModelOption[] | null>('Chat', 'Models')) ?? [];
export const status = () => call<BalanceStatus>('Chat', 'Status');
export const readiness = () => call<Readiness>('Chat', 'Readiness');

/** Subscribes to streamed text; returns the unsubscribe function. */
export function onDelta(cb: (d: Delta) => void): () => void {
  return on<Delta>(Events.ChatDelta, cb);
}

/** Subscribes to finished sends; returns the unsubscribe function. */
export function onDone(cb: (d: Done) => void): () => void {
  return on<Done>(Events.ChatDone, cb);
}

/** A reply this window is sending: its text so far, and whether its send has finished. */
export interface LiveReply {
  readonly conversationId: number;
  readonly text: string;
  readonly done: boolean;
}

const live = new Map<string, { conversationId: number; text: string; done: boolean }>();

/**
 * How long a finished reply stays in `live` (as done, without its text): a
 * view that read the reply as streaming just before its send returned
 * still learns that it finished. Then it is forgotten, so a long session
 * does not keep an entry per reply.
 */
export const FORGET_FINISHED_MS = 60_000;

/**
 * Follows the reply messageId from the start of its send, independently of
 * the page that sent it: its streamed text until `chat:done`. A thread
 * closed and opened again while the reply streams adopts it with
 * liveReply (the text so far, then the deltas). Call the returned function
 * when the send has returned.
 */
export function trackReply(messageId: string, conversationId: number): () => void {
  const r = { conversationId, text: '', done: false };
  live.set(messageId, r);
  const offs = [
    onDelta((d) => {
      if (d.messageId === messageId && !r.done) r.text += d.text;
    }),
    onDone((d) => {
      if (d.messageId === messageId) r.done = true;
    }),
  ];
  return () => {
    offs.forEach((off) => off());
    r.done = true;
    r.text = ''; // a finished reply is read from the backend
    setTimeout(() => {
      if (live.get(messageId) === r) live.delete(messageId);
    }, FORGET_FINISHED_MS);
  };
}

/** The reply messageId as trackReply follows it; undefined if this window did not send it. */
export function liveReply(messageId: string): LiveReply | undefined {
  return live.get(messageId);
}

/** A new message id (UUID v4) for SendInput.messageId. */
export function newMessageId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The conversation list's one-line preview of a snippet. The backend sends
 * the text the message shows (a reply's Markdown already as plain text:
 * backend/mdtext), with its line breaks; the list shows it on one line.
 */
export function snippetLine(snippet: string | undefined): string {
  return (snippet ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The user-facing part of an insufficient-credits message: the backend's
 * sentence without its repeated "not enough credits:" prefix and without the
 * wrapped ledger cause (hold ids, account codes) that follows it.
 */
export function plainInsufficient(message: string): string {
  let m = message.replace(/^\s*not enough credits:\s*/i, '');
  const cause = m.search(/:\s*(hold\b|insufficient funds\b)/i);
  if (cause > 0) m = m.slice(0, cause);
  m = m.trim();
  if (!m) return '';
  m = m[0].toUpperCase() + m.slice(1);
  return /[.!?]$/.test(m) ? m : `${m}.`;
}

/**
 * s as a sentence: a full stop at its end (unless it has one), and its first
 * letter capitalised unless it starts with the model's name (keep: "gpt-4o
 * has no rate of its own…" is not "Gpt-4o …").
 */
export function asSentence(s: string, keep = ''): string {
  const m = s.trim();
  if (!m) return '';
  const c = keep && m.startsWith(`${keep} `) ? m : m[0].toUpperCase() + m.slice(1);
  return /[.!?]$/.test(c) ? c : `${c}.`;
}

/**
 * The composer estimate's warnings as shown: each a sentence (the backend's
 * limit warning starts in lower case, as the tail of "Spending limit: …"),
 * without the ones the send's error above already says, so that a refused
 * send does not show its refusal twice: restated (restatedWarning: the
 * backend's mark of the warning that says the same refusal in other words,
 * as a refusal for credits does: "This message … has 1000 available" above,
 * "This send may cost … has only 1000" here), and any whose words the
 * error's text (shown) contains. A warning that starts with the model's
 * name (model: the default-rate note, "gpt-4o has no rate of its own…")
 * keeps it as it is spelt.
 */
export function estimateWarnings(warnings: readonly string[], shown = '', restated = '', model = ''): string[] {
  const said = shown.toLowerCase();
  return warnings
    .filter((w) => {
      if (restated && w === restated) return false;
      const core = w.trim().replace(/[.!?]$/, '').toLowerCase();
      return !core || !said.includes(core);
    })
    .map((w) => asSentence(w, model))
    .filter(Boolean);
}

/**
 * The estimate's warning that the send's error on screen (its code shownCode
 * and message shownMessage) already says: the backend's
 * DraftEstimate.refusalWarning, when the estimate's refusal is that very
 * refusal (same code and the same message, word for word: for the same
 * draft and state the estimate's and the send's refusal read alike), for
 * credits or by a spending limit, in the estimate's words; '' when none, when
 * no error is shown, or when the draft or the balance changed since the error
 * (its figures are then out of date, and the estimate's warning is the one to
 * read). The window leaves it out (estimateWarnings), as
 * `meterdesk chat --estimate` does beside its refusal line
 * (WarningsBesideRefusal).
 */
export function restatedWarning(
  est: Pick<DraftEstimate, 'refusal' | 'refusalWarning'> | null | undefined,
  shownCode = '',
  shownMessage = '',
): string {
  if (!est || !shownCode || !est.refusal || est.refusal.code !== shownCode || est.refusal.message !== shownMessage) return '';
  return est.refusalWarning ?? '';
}

/** A human sentence for a send error, by code. */
export function describeError(e: ShownSendError): string {
  if (e.stored) return storedReplyWords(e);
  switch (e.code) {
    case 'insufficient_credits':
      return `Not enough credits. ${plainInsufficient(e.message)}`;
    case 'offline':
      return describeOffline(e);
    case 'rate_limited':
      // Nothing was charged only of a send that stored nothing: a 429 inside
      // a stream after some text leaves a reply, charged, whose line says so.
      return `The provider${e.providerName ? ` ${e.providerName}` : ''} is rate limiting requests${e.retryAfterSec ? `; try again in ${e.retryAfterSec} s` : ''}.${e.undone ? `${keptWords(e)} Nothing was charged.` : ''}`;
    case 'limit_exceeded':
      return `Spending limit: ${/[.!?]$/.test(e.message.trim()) ? e.message.trim() : `${e.message.trim()}.`}`;
    case 'no_provider':
      return `${e.message}. Add a provider in Settings → Providers.`;
    case 'busy':
      return busyWords(e.message);
    case 'stopped':
      return 'Stopped before any reply was written. Nothing was charged.';
    case 'context_too_long':
      return `${e.message}${keptWords(e)} Nothing was charged.`;
    case 'provider_error':
    case 'timeout':
    case 'malformed':
      return sayUndone(e);
    default:
      return e.message;
  }
}

/**
 * Of an error that came with a stored reply (SendErrorMarks.stored), what the box above the composer says: only
 * what the member can do, the error itself being under the reply with its charge: top up (an admin; the box's
 * button) or ask an admin for credits; '' for anything else (a dropped stream, a provider's error event, a
 * timeout, a rate limit, whose wait the composer counts down), and then no box is shown.
 */
function storedReplyWords(e: ShownSendError): string {
  if (e.topUp) return 'Top up credits to send again.';
  if (e.askAdmin) return 'Ask an admin for credits to send again.';
  return '';
}

/**
 * A provider's error, a timeout or a malformed answer, in the backend's
 * words ("chat: provider error 500 Internal Server Error: …"), then, for a
 * send that stored nothing (e.undone), what became of it, as an offline
 * send says: where the text is (the composer's draft, or an edit's editor;
 * a regenerate has none) and nothing
 * charged (unless the words say so already: a hang-up's "nothing was
 * received or charged"). A reply cut off after some text is stored and
 * charged, and its own line under it says so: nothing is added then.
 */
function sayUndone(e: ShownSendError): string {
  const said = e.message.trim();
  if (!e.undone) return said;
  const sentence = /[.!?]$/.test(said) ? said : `${said}.`;
  const charged = /nothing was (?:[a-z]+ or )?charged/i.test(said) ? '' : ' Nothing was charged.';
  return `${sentence}${keptWords(e)}${charged}`;
}

/**
 * Where the text of an undone send is (SendErrorMarks.undone), as a sentence after a space: the composer's
 * draft, or an edit's editor; '' for a regenerate (no text) or when the window cannot tell. The one rule for
 * every error that stored nothing (a provider's error, a rate limit, offline, a context too long): an edit's
 * text is never said to be the draft. then, if given, is what to do next ("send it again when you are back
 * online"): after a semicolon, or its own sentence ("Try again when …") when there is no text to name.
 */
function keptWords(e: ShownSendError, then = ''): string {
  const where = e.undone === 'draft' ? 'Your message is kept as a draft' : e.undone === 'edit' ? 'Your edit is kept in the editor' : '';
  if (!then) return where ? ` ${where}.` : '';
  if (where) return ` ${where}; ${then}.`;
  const again = then.replace(/\bsend it again\b/, 'try again');
  return ` ${again.charAt(0).toUpperCase()}${again.slice(1)}.`;
}

const BUSY = 'A reply is still being written in this chat; stop it or wait for it.';

/**
 * A busy refusal in words: the reply another process on the data folder is writing (the backend's
 * "(in another window or command using this data folder)", chat.errBusyElsewhere) cannot be stopped from
 * this window, so it is not told to stop it.
 */
function busyWords(message: string): string {
  return /\bin another window or command using this data folder\b/.test(message)
    ? 'A reply is still being written in this chat in another window or command using this data folder; wait for it to finish.'
    : BUSY;
}

/**
 * An offline send in words: a member is told the backend's own sentence,
 * which names the provider and not its address and says who can act on it
 * ("Cannot reach the provider Lab (its address could not be found by DNS); check
 * your network connection; if it keeps happening, an admin can check the
 * provider's settings.", or for a server that does not answer "…; an admin
 * can check its settings."), so no "when you are back online"; a local server
 * that is not running is told to be started (waiting for a network would
 * not help), at its address when the backend gives one (e.address: an
 * admin's; never read out of the message); otherwise the reason the backend gave (no route, an untrusted
 * certificate…) after "cannot be reached". Either way nothing was charged, and
 * the words say where the text is as every undone send does (keptWords: the
 * composer's draft, an edit's editor, or nothing for a regenerate).
 */
function describeOffline(e: ShownSendError): string {
  const detail = e.message
    .replace(/^.*?offline: the provider cannot be reached:?\s*/i, '')
    .replace(/\s*\(your message is kept as the draft[^)]*\)\s*$/i, '')
    .trim();
  if (/^cannot reach the provider\b/i.test(detail)) {
    const said = detail.charAt(0).toUpperCase() + detail.slice(1);
    return `${/[.!?]$/.test(said) ? said : `${said}.`}${keptWords(e)} Nothing was charged.`;
  }
  if (e.localDown) {
    const at = e.address?.trim();
    return `The local server${at ? ` at ${at}` : ''} is not answering: is it running?${keptWords(e, 'start the server and send it again')} Nothing was charged.`;
  }
  const why = detail && detail !== e.message.trim() ? ` (${detail.replace(/[.]$/, '')})` : '';
  // The backend's words for a proxy that did not let the request through (backend/providers
  // errors.go, throughProxy): being back online would not help, the proxy needs checking.
  const then = /\bthrough the proxy this computer is set to use\b/.test(detail)
    ? 'check the proxy, then send it again'
    : 'send it again when you are back online';
  return `Offline: the provider cannot be reached${why}.${keptWords(e, then)} Nothing was charged.`;
}

/**
 * What a screen reader is told once a reply has ended (the thread's polite
 * live region): how it ended and what it cost, e.g. "Reply finished · 0.072
 * credits", then the reply's note when it ended short or empty (". Cut off
 * at the output budget (4,096 tokens)."). Empty for no message.
 */
export function replyAnnouncement(m: Message | null | undefined): string {
  if (!m) return '';
  // A free reply says "free", as its cost line does (Go chat.Summary), not "0.00 credits".
  const cost = m.charge ? ` · ${m.charge.free ? 'free' : formatCredits(m.charge.amount)}` : '';
  const note = m.note ? `. ${m.note}` : '';
  switch (m.status) {
    case 'stopped':
      return `Reply stopped${cost}${note}`;
    case 'interrupted':
      return `Reply interrupted: ${m.error}${cost}${note}`;
    case 'error':
      return `Reply failed: ${m.error}${cost}${note}`;
    case 'streaming':
      return '';
    default:
      return `Reply finished${cost}${note}`;
  }
}

/**
 * Why an estimate's upper end is what it is when it prices the whole output
 * budget at the reasoning rate (Estimate.highThinking): the model picker
 * shows the output rate, and the upper end would read as too high without
 * it. The same words as `meterdesk chat --estimate` (Go chat.HighThinkingWords).
 */
export const HIGH_THINKING = 'the upper end if it thinks for the whole budget (its reasoning rate is above its output rate)';

/**
 * A human sentence for a rejected chat call (a thrown Go error, e.g. a
 * delete while a reply is being written): the words of describeError where
 * the error is one it knows, else the error's text.
 */
export function describeFailure(err: unknown): string {
  // chat.ErrBusy, by its code (app.RefusalError's "busy"), not its words.
  if (errorCode(err) === 'busy') return busyWords(errorMessage(err));
  return errorMessage(err);
}

/** The settings form's fields: text, and the reasoning level picked. */
export interface SettingsForm {
  temperature: string;
  topP: string;
  maxOutput: string;
  reasoning: Reasoning;
  /** '' (or "all"; absent) = all; else a whole number of exchanges. */
  history?: string;
}

export function settingsForm(s: ModelSettings | undefined): SettingsForm {
  const v = s ?? defaultSettings;
  return {
    temperature: v.temperature === null ? '' : String(v.temperature),
    topP: v.topP === null ? '' : String(v.topP),
    maxOutput: v.maxOutput ? String(v.maxOutput) : '',
    reasoning: v.reasoning ?? 'default',
    history: v.history === null || v.history === undefined ? '' : String(v.history),
  };
}

/**
 * Reads a History as typed, the rule of backend/chat ParseHistory (which
 * the CLI's --history uses): '' or "all" is all (null), else a whole
 * number of exchanges from 0 to maxHistory; anything else is an error.
 */
export function parseHistory(text: string): number | null | { error: string } {
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'all') return null;
  if (!/^[0-9]+$/.test(t) || t.length > 4 || Number(t) > maxHistory) {
    return { error: `History must be a whole number of exchanges from 0 to ${maxHistory} (or empty for all)` };
  }
  return Number(t);
}

/**
 * Reads the settings form: an empty field is the default. Only the form of
 * each number is checked here, a plain decimal (the rule of backend/chat
 * ParseSettingNumber, which the CLI's --temperature and --top-p use); its
 * range is the backend's (its error is shown as it is, and marks the field
 * its refusal names: BackendError's field). An error here names the field
 * it is about, for the form to mark.
 */
export function parseSettings(f: SettingsForm): { settings: ModelSettings } | { error: string; field: keyof SettingsForm } {
  const num = (text: string, name: string): number | null | string => {
    const t = text.trim();
    if (t === '') return null;
    if (!/^-?([0-9]*\.?[0-9]+|[0-9]+\.)$/.test(t)) return `${name} must be a number (or empty for the default)`;
    return Number(t);
  };
  const temperature = num(f.temperature, 'Temperature');
  if (typeof temperature === 'string') return { error: temperature, field: 'temperature' };
  const topP = num(f.topP, 'Top P');
  if (typeof topP === 'string') return { error: topP, field: 'topP' };
  const m = f.maxOutput.trim();
  const maxOutput = m === '' ? 0 : parseTokenCount(m);
  if (maxOutput === null) return { error: 'Max output must be a whole number of tokens, e.g. 4096 or 4,096 (or empty for the default)', field: 'maxOutput' };
  const history = parseHistory(f.history ?? '');
  if (history !== null && typeof history === 'object') return { error: history.error, field: 'history' };
  return { settings: { temperature, topP, maxOutput, reasoning: f.reasoning, history } };
}

/**
 * A whole number of tokens as typed: plain digits ("15616"), or thousands
 * grouped by commas as the window and the backend write them ("15,616", the
 * number an output-ceiling refusal tells you to lower Max output tokens to),
 * so what is suggested can be typed as it reads. A comma anywhere else
 * ("15,61", "1,5") is refused, never dropped, and so is a group led by a
 * zero ("0,616", "000,000"), which no count is written as. null when it is
 * neither. backend/chat/testdata/max_output_advice.json holds what the
 * backend's refusals suggest, each read back here in chat.test.ts.
 */
export function parseTokenCount(text: string): number | null {
  const t = text.trim();
  if (!/^[0-9]+$/.test(t) && !/^[1-9][0-9]{0,2}(,[0-9]{3})+$/.test(t)) return null;
  return Number(t.replaceAll(',', ''));
}

/**
 * The settings field a refusal of the backend is about (BackendError's
 * field: the ModelSettings JSON name the backend's refusal names,
 * inputerr.About), so that only that field is marked invalid; '' when it
 * names none of the form's fields. The window reads no words of the
 * error for it.
 */
export function settingsField(err: unknown): keyof SettingsForm | '' {
  const f = errorField(err);
  return f === 'temperature' || f === 'topP' || f === 'maxOutput' || f === 'reasoning' || f === 'history' ? f : '';
}

/** A History of N exchanges in words: "none (only the new message)", "last 1 exchange", "last 3 exchanges". */
export function describeHistory(n: number): string {
  if (n === 0) return 'none (only the new message)';
  return n === 1 ? 'last 1 exchange' : `last ${n.toLocaleString('en')} exchanges`;
}

/** One line for the settings button: "Temperature 0.7 · Max output 1,024 tokens · Reasoning high", or "" when all are defaults. */
export function describeSettings(s: ModelSettings | undefined): string {
  if (!s) return '';
  const parts: string[] = [];
  if (s.temperature !== null) parts.push(`Temperature ${s.temperature}`);
  if (s.topP !== null) parts.push(`Top P ${s.topP}`);
  if (s.maxOutput) parts.push(`Max output ${s.maxOutput.toLocaleString('en')} tokens`);
  if (s.reasoning && s.reasoning !== 'default') parts.push(`Reasoning ${s.reasoning}`);
  if (s.history !== null && s.history !== undefined) parts.push(`History ${describeHistory(s.history)}`);
  return parts.join(' · ');
}

/**
 * What a Reasoning level does with a model, under the settings form's
 * picker: that it does not apply (support absent), that Off sends nothing
 * to a model that always reasons, or the thinking budget held and charged
 * on top of Max output tokens (how: the backend's support.thinkingCharged,
 * "held" alone when it does not say). model '' (none chosen, or one no provider
 * lists any more) says what the levels do in general.
 */
export function reasoningHint(level: Reasoning, model: string, support: ReasoningSupport | null | undefined): string {
  if (!model) return 'How much a reasoning model thinks; Default sends nothing';
  if (!support) return `Does not apply to ${model}: nothing is sent for it`;
  switch (level) {
    case 'default':
      return `Nothing is sent: ${model} thinks as its provider decides`;
    case 'off':
      if (!support.off) return `${model} always reasons: Off sends nothing`;
      return support.offEffort ? `Reasoning effort ${support.offEffort}: ${model} does not think` : `${model} does not think`;
  }
  if (support.takes && !support.takes.includes(level)) return `${model} takes Reasoning ${joinLevels(support.takes)} only`;
  if (support.control === 'effort') return `Reasoning effort ${level}; the reasoning counts within Max output tokens`;
  const charged = support.thinkingCharged || 'held';
  if (support.thinkingLevel) {
    return `Thinking level ${level}; ${support[level].toLocaleString('en')} tokens for its thinking, ${charged} on top of Max output tokens`;
  }
  return `Up to ${support[level].toLocaleString('en')} thinking tokens, ${charged} on top of Max output tokens`;
}

/** "high", "low or high", "low, medium or high" (backend providers.JoinLevels). */
function joinLevels(levels: readonly string[]): string {
  return levels.length < 2 ? levels.join('') : `${levels.slice(0, -1).join(', ')} or ${levels[levels.length - 1]}`;
}

/**
 * The warning under the Reasoning picker when the model does not take the
 * form's level (support.takes: gpt-5-pro takes only high, Gemini 3 Pro low
 * and high): a send would be refused before anything is held. The words
 * are the backend's refusal (chat.ReasoningLevelError.Advice). '' when
 * there is nothing to warn of.
 */
export function reasoningLevelWarning(f: SettingsForm, model: string, support: ReasoningSupport | null | undefined): string {
  const level = f.reasoning;
  if (!model || !support?.takes || (level !== 'low' && level !== 'medium' && level !== 'high') || support.takes.includes(level)) return '';
  const choices = [...support.takes.map((l) => l[0].toUpperCase() + l.slice(1)), 'Default'];
  return `${model} takes Reasoning ${joinLevels(support.takes)}, not ${level}: set Reasoning to ${joinLevels(choices)} in Model settings`;
}

/**
 * The warning under the Reasoning picker when Max output tokens (the form's,
 * else the model's default) plus the thinking budget of the form's level
 * is above the most output tokens the model takes (outputCeiling, where
 * documented): a send would be refused before anything is held. The words
 * are the backend's refusal (chat.OutputCeilingError.Advice). '' when
 * there is nothing to warn of, or a field is not a number.
 */
export function outputCeilingWarning(f: SettingsForm, model: string, support: ReasoningSupport | null | undefined,
  outputCeiling: number | undefined, defaultMaxOutput: number): string {
  if (!model || !outputCeiling) return '';
  const parsed = parseSettings(f);
  if ('error' in parsed) return '';
  const maxOutput = parsed.settings.maxOutput || defaultMaxOutput;
  const level = f.reasoning;
  const thinking = support && (level === 'low' || level === 'medium' || level === 'high') && support.control === 'budget'
    && (!support.takes || support.takes.includes(level)) ? support[level] : 0;
  if (maxOutput + thinking <= outputCeiling) return '';
  const n = (v: number) => v.toLocaleString('en');
  if (!thinking) return `${model} writes at most ${n(outputCeiling)} output tokens: lower Max output tokens to ${n(outputCeiling)} or less`;
  return `${model} writes at most ${n(outputCeiling)} output tokens: Max output ${n(maxOutput)} plus the ${n(thinking)} thinking tokens of ` +
    `Reasoning ${level} is ${n(maxOutput + thinking)}: lower Max output tokens to ${n(outputCeiling - thinking)} or less, or the Reasoning level`;
}

/**
 * The warning under the Reasoning picker when the form's level makes the
 * model think (any level, for a model that always thinks) and its temperature or top P is one the model refuses while
 * it thinks (support.fixedSampling: Claude takes a temperature only of 1
 * and a top P only from 0.95 to 1): a send would be refused before
 * anything is held. The words are the backend's refusal
 * (chat.ThinkingSamplingError.Advice). '' when there is nothing to warn of,
 * or a field is not a number (saving says so).
 */
export function thinkingSamplingWarning(f: SettingsForm, model: string, support: ReasoningSupport | null | undefined): string {
  // A model that always thinks (support.off false: Mythos, Fable) thinks at Default and Off too.
  const thinks = f.reasoning === 'low' || f.reasoning === 'medium' || f.reasoning === 'high' || support?.off === false;
  if (!model || !(support?.fixedSampling && thinks || support?.noSampling)) return '';
  const parsed = parseSettings(f);
  if ('error' in parsed) return '';
  const { temperature, topP } = parsed.settings;
  if (support.noSampling) { // Opus 4.7 and later: at any level, thinking or not
    if (temperature !== null && temperature !== 1) return `${model} takes no temperature other than 1, at any Reasoning level: clear Temperature in Model settings`;
    if (topP !== null && topP !== 1) return `${model} takes no top P other than 1, at any Reasoning level: clear Top P in Model settings`;
    return '';
  }
  let what = '';
  let field = '';
  if (temperature !== null && temperature !== 1) [what, field] = ['no temperature other than 1', 'Temperature'];
  else if (topP !== null && topP < 0.95) [what, field] = ['a top P only from 0.95 to 1', 'Top P'];
  else return '';
  const or = support.off ? ', or set Reasoning to Default or Off' : '';
  return `${model} takes ${what} while it thinks (Reasoning ${f.reasoning}): clear ${field} in Model settings${or}`;
}

/**
 * Formats "per token" rates as credits per 1M tokens for the picker, exactly
 * (a decimal shift on the string, no float) and with thousands grouped:
 * "0.5" -> "500,000".
 */
export function perMillion(rate: string): string {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate ?? '');
  if (!m) return rate;
  const frac = (m[2] ?? '').padEnd(6, '0');
  const int = (m[1] + frac.slice(0, 6)).replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+$)/g, ',');
  const rest = frac.slice(6).replace(/0+$/, '');
  return rest ? `${int}.${rest}` : int;
}

/** The composer's live estimate of sending a draft (backend chat.DraftEstimate). */
export interface DraftEstimate {
  estimate: import('./rates').Estimate;
  /** Balance, limit or default-rate warnings, in words, for the person typing. */
  warnings: string[];
  /** The send would be refused now (too few credits or a limit). */
  blocked: boolean;
  /** Set when the model has no rate of its own and the default rate applies (also among warnings). */
  defaultRateNote?: string;
  /** The refusal a send would meet now (credits, a spending limit), classified as a send's error is; absent when none. */
  refusal?: SendError | null;
  /** The warning among warnings that says refusal in the estimate's words (the balance's or the limit's); absent when none. */
  refusalWarning?: string;
}

/**
 * What the composer offers beside a refusal for credits or by a spending
 * limit (a send's error, or its estimate's refusal): the largest Max output
 * tokens that fits now (maxTokens: "Use N" sets the conversation's output
 * budget to it, the draft kept). null when there is nothing to offer: a
 * refusal of another kind, or one with no room (for credits a top-up is the
 * way; for a limit, what its words name: a shorter prompt, a lower Reasoning
 * level, its reset, or an admin raising it where no reset helps). When a
 * limit's send can go as it is is not said here: the limit's words beside
 * the offer say it (the backend's team.LimitError names its RetryTime, in
 * the workspace's zone: "… or the limit resets 2026-11-24 00:00 (Etc/UTC)",
 * or that its reset does not help), and the window said it a second time in
 * another format.
 */
export interface RefusalOffer {
  /** The budget to offer. */
  maxTokens: number;
  /** The sentence beside it. */
  text: string;
}

export function refusalOffer(e: SendError | null | undefined): RefusalOffer | null {
  if (!e || (e.code !== 'insufficient_credits' && e.code !== 'limit_exceeded')) return null;
  const n = e.maxTokens && e.maxTokens > 0 ? Math.floor(e.maxTokens) : 0;
  if (n <= 0) return null;
  return { maxTokens: n, text: `Max output tokens of ${n.toLocaleString('en')} or less fits now.` };
}

/** Prices sending text now (conversationId 0 = a new conversation); reserves nothing. */
export const estimateDraft = (conversationId: number, provider: string, model: string, text: string, editMessageId = '') =>
  editMessageId
    ? call<DraftEstimate>('Chat', 'EstimateEdit', conversationId, editMessageId, provider, model, text)
    : call<DraftEstimate>('Chat', 'EstimateDraft', conversationId, provider, model, text);
