import { secretProblem, type SecretKind } from '../api/team';

/**
 * The backend's words for a new password or PIN as it is typed (api/team secretProblem), for a form to show and to
 * go by: `ask` on each edit (from an $effect), `problem` the answer for the latest secret asked about ('' when
 * taken), `answered` whether that answer is in, `settled` a promise of it, for a press that comes before it.
 * An answer to a secret typed over since is dropped.
 */
export class SecretCheck {
  problem = $state('');
  #answeredFor = $state<string | null>(null);
  #asked = '';
  #pending: Promise<string> = Promise.resolve('');

  ask(kind: SecretKind, secret: string): void {
    const key = `${kind}\u0000${secret}`;
    if (key === this.#asked) return;
    this.#asked = key;
    this.#pending = secretProblem(kind, secret).then((p) => {
      if (this.#asked === key) {
        this.problem = p;
        this.#answeredFor = key;
      }
      return p;
    });
  }

  /** Whether the answer shown is about this secret (kind and text). */
  answered(kind: SecretKind, secret: string): boolean {
    return this.#answeredFor === `${kind}\u0000${secret}`;
  }

  /** The answer about the secret asked last, once it is in. */
  settled(): Promise<string> {
    return this.#pending;
  }
}
