/**
 * Model names in running text and in the chat's model picker: a name such as
 * "local/gpt-4o-mini" is one word to the reader, so it never breaks at its
 * hyphens; a line may break only after its "/".
 */

/** A piece of text: plain, or a model name to be kept whole. */
export interface Run {
  text: string;
  model: boolean;
}

/** A character a model name may have ("gpt-4.1", "claude-haiku-4-5@20251001"). */
const NAME_CHAR = /[\p{L}\p{N}._:@+-]/u;

/**
 * Whether the name that ends before text[j] goes on ("gpt-4o" in "gpt-4o-mini"): a name character follows, but
 * a "." or ":" only when a letter or digit comes after it (a full stop or a colon ends the name).
 */
function continues(text: string, j: number): boolean {
  const c = text[j] ?? '';
  if (c === '.' || c === ':') return /[\p{L}\p{N}]/u.test(text[j + 1] ?? '');
  return c !== '' && NAME_CHAR.test(c);
}

/**
 * Splits text into runs, marking every whole occurrence of one of names (the
 * longest first, so "local/gpt-4o-mini" is not read as "local/gpt-4o" and
 * "-mini"). A name inside a longer word is not a match.
 */
export function modelRuns(text: string, names: readonly string[]): Run[] {
  const wanted = [...new Set(names.filter((n) => n !== ''))].sort((a, b) => b.length - a.length);
  const out: Run[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const before = i > 0 ? text[i - 1] : '';
    const hit = NAME_CHAR.test(before)
      ? undefined
      : wanted.find((n) => text.startsWith(n, i) && !continues(text, i + n.length));
    if (hit) {
      if (plain) out.push({ text: plain, model: false });
      plain = '';
      out.push({ text: hit, model: true });
      i += hit.length;
    } else {
      plain += text[i];
      i++;
    }
  }
  if (plain) out.push({ text: plain, model: false });
  return out;
}

/** A model name's pieces between which a line may break: after each "/" ("local/", "gpt-4o-mini"). */
export function nameParts(name: string): string[] {
  return name.split(/(?<=\/)/);
}

/**
 * Room the model picker takes besides its option's text: the "Model" label, the
 * gap, the select's padding and its arrow (px).
 */
export const PICKER_CHROME = 110;

/**
 * Whether the chat's model picker must show each model's rate on a line of its
 * own, under the name, rather than beside it in the option: when the widest
 * option with its rate (labelWidth) and the picker's chrome do not fit the row
 * (rowWidth). Unmeasured (0) widths keep the one-line form.
 */
export function rateUnderName(rowWidth: number, labelWidth: number): boolean {
  return rowWidth > 0 && labelWidth > 0 && labelWidth + PICKER_CHROME > rowWidth;
}
