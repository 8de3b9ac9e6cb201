// The colour tokens in app.css meet WCAG 2 AA contrast (4.5:1 for normal
// text) on every background they are used on, in the light and the dark
// theme, so that a later change of a token cannot quietly make text hard to read.
import { describe, expect, it } from 'vitest';
// Vitest hands CSS to tests empty unless vite.config.ts's test.css includes it (it does app.css).
import css from './app.css?raw';

/** The --color-* tokens of a block of declarations. */
function tokens(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/--(color-[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) out[m[1]] = m[2].toLowerCase();
  return out;
}

/** The body of the first `{ … }` after `from` (braces balanced). */
function blockAfter(text: string, from: number): string {
  const open = text.indexOf('{', from);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced braces in app.css');
}

const light = tokens(blockAfter(css, css.indexOf(':root')));
const darkAt = css.indexOf('@media (prefers-color-scheme: dark)');
const dark = { ...light, ...tokens(blockAfter(css, darkAt)) };

/** WCAG 2 relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// Where text in these colours is drawn: the page and header (bg), cards
// (surface), the sidebar, a hovered sidebar entry and the active one
// (hover, accent-soft: its shortcut hint shows there).
const backgrounds = ['color-bg', 'color-surface', 'color-sidebar', 'color-hover', 'color-accent-soft'];
const texts = ['color-text', 'color-text-muted', 'color-text-subtle'];

describe('colour contrast (app.css)', () => {
  it('reads both themes', () => {
    expect(darkAt).toBeGreaterThan(0);
    for (const theme of [light, dark]) for (const t of [...backgrounds, ...texts]) expect(theme[t], t).toMatch(/^#[0-9a-f]{6}$/);
    expect(dark['color-sidebar']).not.toBe(light['color-sidebar']);
  });

  it('computes WCAG ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const [name, theme] of [['light', light], ['dark', dark]] as const) {
    it(`${name}: every text colour is at least 4.5:1 on every background it is drawn on`, () => {
      const low: string[] = [];
      for (const t of texts) {
        for (const b of backgrounds) {
          const r = contrast(theme[t], theme[b]);
          if (r < 4.5) low.push(`--${t} ${theme[t]} on --${b} ${theme[b]}: ${r.toFixed(2)}:1`);
        }
      }
      expect(low).toEqual([]);
    });
  }
});
