/**
 * Global keyboard shortcuts: Ctrl+1..4 (Cmd+1..4 on macOS) jump to the
 * sections of the sidebar. Pure function so it can be tested without a DOM.
 */

/** The event fields shortcutIndex looks at. */
export type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/**
 * Returns the section index (1-based) a key event selects, or null. Ctrl or
 * Cmd must be held, and neither Alt nor Shift (those combos belong to the OS
 * or the webview).
 */
export function shortcutIndex(e: KeyLike, max = 4): number | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return null;
  if (!/^[1-9]$/.test(e.key)) return null;
  const n = Number(e.key);
  return n <= max ? n : null;
}

/** The modifier label for the current platform ("⌘" on macOS, "Ctrl" elsewhere). */
export function modifierLabel(platform = typeof navigator === 'undefined' ? '' : navigator.platform): string {
  return /mac/i.test(platform) ? '⌘' : 'Ctrl';
}
