// Markup rules checked over every component's source (Vite's raw import).
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob<string>(['./**/*.svelte'], { query: '?raw', import: 'default', eager: true });

/** "file:line: text" for each line of a component that matches re. */
function offending(re: RegExp): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(sources)) {
    text.split('\n').forEach((line, i) => {
      if (re.test(line)) out.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}

describe('markup', () => {
  it('reads the components', () => {
    expect(Object.keys(sources)).toContain('./pages/TeamMembers.svelte');
  });

  // Radios without a shared name are each a group of their own: Tab stops on
  // every one and the arrow keys do not move between them (the first-run
  // wizard's "Sign in with" Password/PIN was so).
  it('gives every radio button a name, so that its choices form one group for the keyboard', () => {
    expect(offending(/<input\b(?=[^>]*type="radio")(?![^>]*\bname=)[^>]*>/)).toEqual([]);
  });

  it('has no empty table header: a screen reader names each column (an actions column gets an sr-only label)', () => {
    expect(offending(/<th\b[^>]*>\s*<\/th>/)).toEqual([]);
  });
});
