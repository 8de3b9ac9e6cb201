/** Pause in typing before a field's text is asked about (ms), as the composer's estimate. */
export const FIELD_CHECK_DELAY = 300;

/**
 * The backend's words for what is typed in a form field, from a bound "…Problem" method (Credits.AmountProblem,
 * PriceProblem, TaxRateProblem: '' when the backend takes the text, else its refusal as the window shows it), so that
 * the form keeps no copy of the rule and says what the CLI says. `watch` the field's text from an $effect: it is
 * asked after a pause in typing (FIELD_CHECK_DELAY), an empty field never (nothing is said while nothing is typed).
 * `hint(text)` is the answer to show for the text in the field now ('' while none is in for it: an answer for an
 * earlier text is not shown). `check(text)` is for a press within the pause: the answer already in for text, else
 * asked now, an empty field's too (Credits.AmountProblem('') is Go's "Enter an amount"; an empty Price or Tax rate
 * is taken: ''), so that a press says the backend's words for it under the field. An answer for a text typed over
 * since is dropped; a failure to ask is '' (the form sends it, and the backend's refusal, if any, is said then).
 */
export class FieldCheck {
  #problem = $state('');
  #for = $state<string | null>(null);
  #seq = 0;
  readonly #ask: (text: string) => Promise<string>;

  constructor(ask: (text: string) => Promise<string>) {
    this.#ask = ask;
  }

  /** Asks about text after the pause (from an $effect: returns its cleanup). */
  watch(text: string): (() => void) | undefined {
    if (text.trim() === '') {
      this.#seq++;
      this.#problem = '';
      this.#for = null; // nothing said for it, and nothing in: a press asks it
      return undefined;
    }
    const timer = setTimeout(() => void this.check(text, true), FIELD_CHECK_DELAY);
    return () => clearTimeout(timer);
  }

  /** The answer for text, when it is the one in; '' otherwise. */
  hint(text: string): string {
    return this.#for === text ? this.#problem : '';
  }

  /**
   * The backend's words for text: the answer in for it, or asked now (fresh: asked even when one is in); an empty text
   * too (watch asks none, so a press asks it).
   */
  async check(text: string, fresh = false): Promise<string> {
    if (!fresh && this.#for === text) return this.#problem;
    const mine = ++this.#seq;
    let words = '';
    try {
      words = await this.#ask(text);
    } catch {
      words = ''; // could not ask: the form sends it, and the backend's refusal, if any, is said then
    }
    if (mine === this.#seq) {
      this.#problem = words;
      this.#for = text;
    }
    return words;
  }
}
