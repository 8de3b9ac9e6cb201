import { describe, expect, it } from 'vitest';
import { focusAfterUpdate, focusOnMount } from './focus';

describe('focus helpers', () => {
  it('focusAfterUpdate focuses an element, a selector or what a function finds; says when it could not', async () => {
    document.body.innerHTML = '<button id="a">A</button><button id="b" disabled>B</button>';
    const a = document.getElementById('a')!;
    expect(await focusAfterUpdate(a)).toBe(true);
    expect(document.activeElement).toBe(a);
    a.blur();
    expect(await focusAfterUpdate('#a')).toBe(true);
    expect(document.activeElement).toBe(a);
    expect(await focusAfterUpdate(() => document.getElementById('b'))).toBe(false); // disabled
    expect(await focusAfterUpdate('#missing')).toBe(false);
    const gone = document.createElement('button');
    expect(await focusAfterUpdate(gone)).toBe(false); // not in the page
    document.body.innerHTML = '';
  });

  it('focusOnMount focuses the element once it is in the page, unless disabled', async () => {
    const input = document.body.appendChild(document.createElement('input'));
    focusOnMount(input);
    const other = document.body.appendChild(document.createElement('input'));
    focusOnMount(other, false);
    await Promise.resolve();
    await new Promise((r) => setTimeout(r));
    expect(document.activeElement).toBe(input);
    document.body.innerHTML = '';
  });
});
