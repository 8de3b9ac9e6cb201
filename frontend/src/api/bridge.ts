/**
 * The one place the frontend reaches the Go backend.
 *
 * Wails binds each Go struct in app/ (Credits, System, ...) and exposes its
 * methods as `window.go.app.<Struct>.<Method>(...args): Promise<T>`; the
 * generated files in frontend/wailsjs/go/app/*.js are one-line wrappers over
 * exactly those functions. Going through `call()` instead of importing the
 * generated files keeps the build independent of binding generation and lets
 * tests swap the backend for a fake with `setBridge()`.
 */
import { BackendError } from './errors';

/** A function Wails generated for one bound Go method. */
export type BoundMethod = (...args: unknown[]) => Promise<unknown>;

/** Transport for calls into bound Go structs (the real Wails one or a test fake). */
export interface Bridge {
  call(struct: string, method: string, args: unknown[]): Promise<unknown>;
}

declare global {
  interface Window {
    /** Bound Go methods, created by Wails' /wails/runtime.js. */
    go?: Record<string, Record<string, Record<string, BoundMethod | undefined> | undefined> | undefined>;
  }
}

/** The real bridge: calls the functions Wails generated on window.go.app. */
export const wailsBridge: Bridge = {
  call(struct, method, args) {
    const fn = window.go?.app?.[struct]?.[method];
    if (typeof fn !== 'function') {
      return Promise.reject(
        new BackendError(`${struct}.${method}`, 'The Meterdesk backend is not connected.', 'unavailable'),
      );
    }
    return fn(...args);
  },
};

let current: Bridge = wailsBridge;

/** Replaces the bridge (tests pass a fake); `null` restores the Wails bridge. */
export function setBridge(bridge: Bridge | null): void {
  current = bridge ?? wailsBridge;
}

/** Reports whether Wails bindings are present (false in a plain browser). */
export function bindingsAvailable(): boolean {
  return current !== wailsBridge || typeof window.go?.app === 'object';
}

/**
 * Calls `<struct>.<method>(...args)` on the backend. A Go error (which Wails
 * delivers as a rejected promise carrying a string) becomes a BackendError
 * whose message is the Go error text and whose `op` names the call.
 */
export async function call<T>(struct: string, method: string, ...args: unknown[]): Promise<T> {
  try {
    return (await current.call(struct, method, args)) as T;
  } catch (err) {
    throw BackendError.from(`${struct}.${method}`, err);
  }
}
