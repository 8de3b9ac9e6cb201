/**
 * Who is signed in, as the shell needs it: the role decides which sidebar
 * entries show. This is presentation only — the Go backend enforces every
 * role check itself (backend/access), so a hidden entry is a courtesy, not
 * the protection.
 */
import type { Session } from '../api/team';

class SessionState {
  signedIn = $state(false);
  userId = $state(0);
  name = $state('');
  /** The member's display name ("" = none). */
  displayName = $state('');
  role = $state<'admin' | 'member' | ''>('');
  /** The workspace's IANA time zone: times are shown in it ("" before sign-in). */
  timeZone = $state('');

  /** How the member is shown: their display name, else their sign-in name. */
  get label(): string {
    return this.displayName || this.name;
  }

  /** True for admins and the system actor (a workspace before set-up). */
  get isAdmin(): boolean {
    return this.role === 'admin';
  }

  /**
   * How many times a member other than the one signed in before (in this
   * window) has signed in: the shell starts them on the home page, not on
   * the page the previous member left open (their Usage, their account).
   * A lock and unlock, or a session read again, by the same member does not
   * count, so they keep their page; nor does the first sign-in, which keeps
   * the page the window opened on.
   */
  otherMemberSignIns = $state(0);
  /** The member last signed in in this window (null before anyone). */
  #lastMember: number | null = null;

  /** Copies what the backend reported. */
  set(s: Session | null): void {
    if (s?.signedIn) {
      const id = s.actor?.userId ?? 0;
      if (this.#lastMember !== null && this.#lastMember !== id) this.otherMemberSignIns++;
      this.#lastMember = id;
    }
    this.signedIn = !!s?.signedIn;
    this.userId = s?.actor?.userId ?? 0;
    this.name = s?.actor?.name ?? '';
    this.displayName = s?.signedIn ? (s.displayName ?? '') : '';
    this.role = (s?.signedIn ? s.actor?.role : '') as SessionState['role'];
    this.timeZone = s?.timeZone ?? '';
  }
}

/**
 * "Signed in as …" for a member: by their display name where they have
 * one, as everywhere a member is named (backend/people), with their sign-in
 * name (what they type at sign-in, and `--user` takes) in `signInName` for
 * a tooltip; by the sign-in name alone otherwise (`signInName` "").
 */
export function signedInAs(name: string, displayName?: string): { text: string; signInName: string } {
  const shown = displayName?.trim() ?? '';
  if (!shown || shown === name) return { text: `Signed in as ${name}`, signInName: '' };
  return { text: `Signed in as ${shown}`, signInName: name };
}

/** The shell's session state, kept current by TeamAuthGate. */
export const session = new SessionState();
