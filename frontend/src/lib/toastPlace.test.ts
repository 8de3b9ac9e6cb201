import { describe, expect, it } from 'vitest';
import { toastLift, TOAST_GAP } from './toastPlace';

/** An element whose box is at top..bottom (px) and width wide. */
function box(top: number, bottom: number, width = 600): Element {
  const el = document.createElement('div');
  el.getBoundingClientRect = () => ({ top, bottom, left: 0, right: width, width, height: bottom - top }) as DOMRect;
  return el;
}

describe('toastLift', () => {
  it.each([
    { name: 'nothing marked', els: [], want: 0 },
    { name: "the chat's composer at the foot", els: [box(690, 790)], want: 110 + TOAST_GAP },
    { name: 'the highest of two', els: [box(740, 790), box(700, 760)], want: 100 + TOAST_GAP },
    { name: 'hidden (no box)', els: [box(0, 0, 0)], want: 0 },
    { name: 'scrolled below the window', els: [box(820, 900)], want: 0 },
    { name: 'scrolled above the window', els: [box(-200, -100)], want: 0 },
    { name: 'in the upper half: no bar at the foot', els: [box(300, 790)], want: 0 },
  ])('$name: $want', ({ els, want }) => {
    expect(toastLift(els, 800)).toBe(want);
  });
});
