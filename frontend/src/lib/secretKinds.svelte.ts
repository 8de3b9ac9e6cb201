import { secretKinds, type SecretKind, type SecretKindRule } from '../api/team';

/**
 * The kinds of secret and their rules as Go says them (api/team secretKinds), read once per form: `label(kind)`
 * where one is chosen ("Password (8+ characters)"), `hint(kind)` under the field ("At least 8 characters.").
 * Until the answer is in (or when it fails) a label is the kind alone and there is no hint: the window never
 * writes the rule's numbers itself.
 */
export class SecretKinds {
  list = $state<SecretKindRule[]>([]);
  /** Settles once the answer is in (secretKinds never fails: none then): a dialog opened with a hint waits for it. */
  readonly ready: Promise<void>;

  constructor() {
    this.ready = secretKinds().then((l) => {
      this.list = l;
    });
  }

  #of(kind: SecretKind): SecretKindRule | undefined {
    return this.list.find((k) => k.kind === kind);
  }

  label(kind: SecretKind): string {
    return this.#of(kind)?.label ?? kind;
  }

  hint(kind: SecretKind): string {
    return this.#of(kind)?.hint ?? '';
  }
}
