import { describe, expect, it } from 'vitest';
import { modelRuns, nameParts, rateUnderName, PICKER_CHROME } from './modelNames';

const names = ['local/gpt-4o', 'local/gpt-4o-mini', 'google/gemini-2.0-flash', 'local/my model'];
/** The runs written as text with the model names in [brackets]. */
const marked = (text: string, ns = names) => modelRuns(text, ns).map((r) => (r.model ? `[${r.text}]` : r.text)).join('');

describe('modelRuns', () => {
  it.each([
    ['Set rates for local/gpt-4o and local/gpt-4o-mini', 'Set rates for [local/gpt-4o] and [local/gpt-4o-mini]'],
    ['Set rates for local/gpt-4o-mini', 'Set rates for [local/gpt-4o-mini]'],
    ['2 models are charged the default rate (local/gpt-4o, local/my model)', '2 models are charged the default rate ([local/gpt-4o], [local/my model])'],
    ['google/gemini-2.0-flash.', '[google/gemini-2.0-flash].'], // a full stop ends the name
    ['local/gpt-4o: 2 credits', '[local/gpt-4o]: 2 credits'],
    ['local/gpt-4o.1 is another', 'local/gpt-4o.1 is another'], // a longer name this one is only the start of
    ['xlocal/gpt-4o', 'xlocal/gpt-4o'], // inside a longer word
    ['local/gpt-4o-mini-2', 'local/gpt-4o-mini-2'],
    ['No model here', 'No model here'],
    ['', ''],
  ])('%s', (text, want) => {
    expect(marked(text)).toBe(want);
  });

  it('marks nothing without names, and keeps the text whole', () => {
    expect(modelRuns('local/gpt-4o-mini', [])).toEqual([{ text: 'local/gpt-4o-mini', model: false }]);
  });
});

describe('nameParts', () => {
  it.each([
    ['local/gpt-4o-mini', ['local/', 'gpt-4o-mini']],
    ['openrouter/meta/llama-3', ['openrouter/', 'meta/', 'llama-3']],
    ['gpt-4o-mini', ['gpt-4o-mini']],
  ])('%s breaks only after "/"', (name, want) => {
    expect(nameParts(name)).toEqual(want);
  });
});

describe('rateUnderName', () => {
  it.each([
    { row: 708, label: 560, under: false }, // 1280 px window: one line
    { row: 388, label: 560, under: true }, // 900 px: the rate under the name
    { row: 560 + PICKER_CHROME, label: 560, under: false },
    { row: 559 + PICKER_CHROME, label: 560, under: true },
    { row: 0, label: 560, under: false }, // not measured (no layout)
    { row: 388, label: 0, under: false },
  ])('row $row, label $label: under $under', ({ row, label, under }) => {
    expect(rateUnderName(row, label)).toBe(under);
  });
});
