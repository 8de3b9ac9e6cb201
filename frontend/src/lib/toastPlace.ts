/**
 * Where toasts go (components/Toasts.svelte): bottom-right, above any
 * control at the window's foot marked `data-toast-above` that is in view.
 */

/** Gap kept between a toast and the control it stays above (px). */
export const TOAST_GAP = 8;

/**
 * How far above the window's foot the toasts sit (px) so as to cover none of
 * the elements (the chat's composer, the Rates page's Save bar): the height
 * from the highest element's top to the window's bottom, and a gap; 0 when
 * none is in view (hidden, or scrolled below the window). An element whose
 * top is in the window's upper half is no bar at its foot: the toasts would
 * rise over the page's top, so it is not counted.
 */
export function toastLift(elements: Iterable<Element>, windowHeight: number): number {
  let room = 0;
  for (const el of elements) {
    const r = el.getBoundingClientRect();
    if (r.height <= 0 || r.width <= 0 || r.top >= windowHeight || r.bottom <= 0 || r.top < windowHeight / 2) continue;
    room = Math.max(room, Math.ceil(windowHeight - r.top) + TOAST_GAP);
  }
  return room;
}
