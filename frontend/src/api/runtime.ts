/**
 * The subset of the Wails JS runtime (window.runtime, injected by Wails from
 * /wails/runtime.js) the frontend uses, behind an injectable seam for tests.
 */

/** Callback registered for a backend event; Wails passes the payload(s). */
export type EventCallback = (...data: unknown[]) => void;

/** The window.runtime functions Meterdesk relies on. */
export interface WailsRuntime {
  EventsOn(name: string, callback: EventCallback): (() => void) | void;
  EventsOff(name: string, ...additional: string[]): void;
  BrowserOpenURL(url: string): void;
}

declare global {
  interface Window {
    runtime?: Partial<WailsRuntime>;
  }
}

let injected: Partial<WailsRuntime> | null = null;

/** Replaces window.runtime for tests; `null` restores the real one. */
export function setRuntime(rt: Partial<WailsRuntime> | null): void {
  injected = rt;
}

/** Returns the active runtime (possibly empty when not running inside Wails). */
export function runtime(): Partial<WailsRuntime> {
  return injected ?? window.runtime ?? {};
}

/**
 * Opens url in the user's browser, never in the app window. Only http(s) and
 * mailto URLs are opened; anything else is ignored and reported as false.
 */
export function openExternal(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!['http:', 'https:', 'mailto:'].includes(parsed.protocol)) return false;
  const rt = runtime();
  if (typeof rt.BrowserOpenURL === 'function') {
    rt.BrowserOpenURL(parsed.href);
  } else {
    window.open(parsed.href, '_blank', 'noopener,noreferrer');
  }
  return true;
}
