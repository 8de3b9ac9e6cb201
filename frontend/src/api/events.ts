/**
 * Backend events (names mirror backend/events/events.go). Subscribe with
 * `on(name, cb)`, which returns the matching unsubscribe function; prefer it
 * over `offAll`, which drops every listener of that name.
 */
import { runtime } from './runtime';

/** Event names emitted by the Go backend through events.Emitter. */
export const Events = {
  BalanceChanged: 'balance:changed', // no payload: re-read balances and spending limits: credits moved, a limit set or removed
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
 * Event names whose listeners Wails is calling right now, with how deep
 * (an on callback emitting the same event again counts twice).
 */
const dispatching = new Map<string, number>();

/**
 * Calls cb with the first payload each time the backend emits name. Returns a
 * function removing exactly this listener (calling it again does nothing).
 * Outside Wails it is a no-op.
 *
 * Wails 2.9's runtime calls an event's listeners on a copy of their list and
 * writes the copy back afterwards: a listener removed from inside one of
 * them (a one-shot listener's own off, as send's) would come back, and one
 * added would be lost. So while a listener of name runs, removing or adding
 * one of name takes effect in a microtask, once Wails has written its list
 * back; a removed listener is never called again meanwhile.
 */
export function on<T = unknown>(name: EventName, cb: (payload: T) => void): () => void {
  const rt = runtime();
  if (typeof rt.EventsOn !== 'function') return () => {};
  let live = true;
  let remove: () => void = () => {};
  const listen = () => {
    if (!live) return;
    const off = rt.EventsOn!(name, (...data: unknown[]) => {
      if (!live) return;
      dispatching.set(name, (dispatching.get(name) ?? 0) + 1);
      try {
        cb(data[0] as T);
      } finally {
        const depth = (dispatching.get(name) ?? 1) - 1;
        if (depth > 0) dispatching.set(name, depth);
        else dispatching.delete(name);
      }
    });
    remove = typeof off === 'function' ? off : () => rt.EventsOff?.(name);
  };
  if (dispatching.has(name)) queueMicrotask(listen);
  else listen();
  return () => {
    if (!live) return;
    live = false;
    if (dispatching.has(name)) queueMicrotask(() => remove());
    else remove();
  };
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
