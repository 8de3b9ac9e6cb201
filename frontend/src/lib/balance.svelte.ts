/**
 * The credit balance shown in the header. The credits area registers how to
 * load it with `setBalanceLoader` (from api/credits.ts); the shell reloads it
 * on start and on every `balance:changed` backend event.
 */
import { errorMessage } from '../api/errors';

/** Resolves to the current user's spendable balance as a decimal string. */
export type BalanceLoader = () => Promise<string | null>;

class BalanceState {
  /** Decimal string, or null while unknown. */
  value = $state<string | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  #loader: BalanceLoader | null = null;
  #seq = 0;

  /** Installs the loader and loads at once. */
  setLoader(loader: BalanceLoader | null): Promise<void> {
    this.#loader = loader;
    return this.refresh();
  }

  /** Re-reads the balance (later calls win over slower earlier ones). */
  async refresh(): Promise<void> {
    if (!this.#loader) return;
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const v = await this.#loader();
      if (seq !== this.#seq) return;
      this.value = v;
      this.error = null;
    } catch (err) {
      if (seq !== this.#seq) return;
      this.error = errorMessage(err);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}

/** The header's balance. */
export const balance = new BalanceState();

/** Registers the function that loads the header balance. */
export function setBalanceLoader(loader: BalanceLoader | null): Promise<void> {
  return balance.setLoader(loader);
}
