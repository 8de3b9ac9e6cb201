/**
 * The credit balance shown in the header, and the account it is of. The
 * credits area registers how to load it with `setBalanceLoader` (from
 * api/credits.ts); the shell reloads it on start, on every
 * `balance:changed` / `data:changed` backend event, on a page change and
 * when the window gets the focus back, so the account named follows a
 * change of the member's funding or department.
 *
 * Which account pays is the backend's decision (Credits.MyBalance, from
 * team.Service.MyPayer); this module only names it.
 */
import { errorMessage } from '../api/errors';
import type { PayerBalance } from '../api/credits';

/** The account that pays for the signed-in member's sends (no amount). */
export type Payer = Pick<PayerBalance, 'account' | 'kind' | 'name'> & Partial<Pick<PayerBalance, 'accountName'>>;

/** Resolves to the paying account and its available balance (a decimal string). */
export type BalanceLoader = () => Promise<PayerBalance | null>;

/**
 * The short name the header badge shows for a payer: "Workspace pool" (as
 * the Credits page, Team and every table name it; it read "Pool"), the
 * department's name ("Research"), "Your wallet"; "Balance" while the payer
 * is unknown.
 */
export function payerLabel(p: Payer | null | undefined): string {
  switch (p?.kind) {
    case 'pool':
      return 'Workspace pool';
    case 'department':
      return p.name.trim() || 'Department';
    case 'wallet':
      return 'Your wallet';
    default:
      return 'Balance';
  }
}

/**
 * The payer said in full, for the badge's tooltip and accessible name:
 * "Research department's credits, which pay for your messages" ("" while
 * the payer is unknown).
 */
export function payerDescription(p: Payer | null | undefined): string {
  let whose: string;
  switch (p?.kind) {
    case 'pool':
      whose = "The workspace pool's";
      break;
    case 'department':
      // The backend names it ("Research department's credits", "Department 3's
      // credits": team.DepartmentCredits, the one rule); unknown, "Your department's".
      return `${p.accountName?.trim() || "Your department's credits"}, which pay for your messages`;
    case 'wallet':
      whose = "Your wallet's";
      break;
    default:
      return '';
  }
  return `${whose} credits, which pay for your messages`;
}

class BalanceState {
  /** Available credits as a decimal string, or null while unknown. */
  value = $state<string | null>(null);
  /** The account the value is of, or null while unknown. */
  payer = $state<Payer | null>(null);
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
      this.value = v?.available ?? null;
      this.payer = v ? { account: v.account, kind: v.kind, name: v.name ?? '', accountName: v.accountName ?? '' } : null;
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
