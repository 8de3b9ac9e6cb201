/**
 * Backend events (names mirror backend/events/events.go). Subscribe with
 * `on(name, cb)`, which returns the matching unsubscribe function; prefer it
 * over `offAll`, which drops every listener of that name.
 */
import { runtime } from './runtime';

/** Event names emitted by the Go backend through events.Emitter. */
export const Events = {
  BalanceChanged: 'balance:changed', // no payload: re-read balances
  ChatDelta: 'chat:delta', // payload: chat.Delta
  ChatDone: 'chat:done', // payload: chat.Done (api/chat.ts)
  ChatSent: 'chat:sent', // payload: chat.SendResult (api/chat.ts): how a window's StartSend ended
  Notification: 'notification', // payload: Notification
  ExportProgress: 'export:progress', // payload: progress record
  RatesChanged: 'rates:changed',
  DataChanged: 'data:changed', // no payload: another process changed the data; re-read what is shown
  MenuNavigate: 'menu:navigate', // payload: 'chat' | 'usage' | 'statements' | 'settings'
  MenuNewChat: 'menu:new-chat',
  MenuBackup: 'menu:backup',
  MenuRestore: 'menu:restore',
} as const;

/** One of the backend event names. */
export type EventName = (typeof Events)[keyof typeof Events];

/** Payload of the `notification` event (shown as a toast). */
export interface Notification {
  level?: 'info' | 'success' | 'warning' | 'error';
  title?: string;
  message: string;
}

/**
 * Calls cb with the first payload each time the backend emits name. Returns a
 * function removing exactly this listener. Outside Wails it is a no-op.
 */
export function on<T = unknown>(name: EventName, cb: (payload: T) => void): () => void {
  const rt = runtime();
  if (typeof rt.EventsOn !== 'function') return () => {};
  const off = rt.EventsOn(name, (...data: unknown[]) => cb(data[0] as T));
  return typeof off === 'function' ? off : () => rt.EventsOff?.(name);
}

/**
 * Calls cb on each of the given events and whenever another process (the
 * CLI, `meterdesk serve`, a second window) changed the data: `data:changed`,
 * at most about once a second. Pages use it to re-read what they show.
 * Returns a function removing exactly these listeners.
 */
export function onDataChange(cb: () => void, ...names: EventName[]): () => void {
  const offs = [Events.DataChanged, ...names].map((name) => on(name, () => cb()));
  return () => offs.forEach((off) => off());
}

/** Removes every listener of the given events. */
export function offAll(name: EventName, ...more: EventName[]): void {
  runtime().EventsOff?.(name, ...more);
}
