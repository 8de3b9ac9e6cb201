/**
 * Keeping the keyboard focus when the control that had it goes away: a
 * button swapped by an `{#if}` (Edit → the editor, Send → Stop, Disable →
 * Enable), a form that closes, a row that is deleted. Without this the focus
 * falls to <body> and a keyboard or screen reader user starts again at the
 * top of the window.
 *
 *   - `use:focusOnMount` on the first field of something that opens in place
 *     of the button that opened it;
 *   - `await focusAfterUpdate(target)` to move the focus once Svelte has
 *     updated the page (back to the button that opened a form that closed, to
 *     the next row of a list after a delete).
 */
import { tick } from 'svelte';

/** An element, a CSS selector (in the document) or a function finding the element once the page is updated. */
export type FocusTarget = HTMLElement | null | undefined | string | (() => HTMLElement | null | undefined);

function resolve(target: FocusTarget): HTMLElement | null {
  if (typeof target === 'string') return document.querySelector<HTMLElement>(target);
  if (typeof target === 'function') return target() ?? null;
  return target ?? null;
}

/**
 * Focuses target after the pending DOM update (Svelte's tick). Resolves to
 * whether it took the focus (false: not there, disabled or not focusable).
 */
export async function focusAfterUpdate(target: FocusTarget, options?: FocusOptions): Promise<boolean> {
  await tick();
  const el = resolve(target);
  if (!el || !el.isConnected) return false;
  el.focus(options);
  return document.activeElement === el;
}

/**
 * Svelte action: focuses the element as it is mounted (after the update
 * that mounts it), unless `enabled` is false.
 */
export function focusOnMount(node: HTMLElement, enabled: boolean = true): void {
  if (!enabled) return;
  void tick().then(() => {
    if (node.isConnected) node.focus();
  });
}
