/**
 * Calendar dates as the backend takes them ("YYYY-MM-DD", "YYYY-MM"): dates
 * in the workspace time zone, which defaults to this computer's. Instants
 * from the backend (RFC 3339) are shown in the workspace time zone too
 * (localTime with session.timeZone), labelled where they appear.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar date of d, "YYYY-MM-DD" (not toISOString's UTC date). */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The local calendar month of d, "YYYY-MM". */
export function isoMonth(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}

/**
 * The calendar date of now in the IANA zone (the workspace's), "YYYY-MM-DD";
 * this computer's date when this browser does not know the zone.
 */
export function todayIn(zone: string, now = new Date()): string {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    const date = `${part('year')}-${part('month')}-${part('day')}`;
    return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : isoDate(now);
  } catch {
    return isoDate(now);
  }
}

/** Whether this engine knows the IANA zone name (the backend still decides; "" is not a zone). */
export function knownZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone.trim() });
    return true;
  } catch {
    return false;
  }
}

/** The date n days after (or before, n < 0) the date "YYYY-MM-DD"; "" for anything else. */
export function addDays(date: string, n: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return '';
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/**
 * Why a From–To pair of dates ("YYYY-MM-DD", both included; "" = no bound)
 * selects nothing, said under the fields instead of asking the backend
 * (which refuses it as an invalid date range): '' when it selects something.
 */
export function rangeProblem(from: string, to: string): string {
  return from !== '' && to !== '' && from > to ? 'From is after To: pick a From on or before To.' : '';
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** A formatter of the parts localTime needs in zone, made once per zone (long lists format many times). */
function zoneFormat(zone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit' });
    zoneFormats.set(zone, f);
  }
  return f;
}

/**
 * An RFC 3339 instant as "2026-11-21 16:51" (with seconds: "16:51:05") in the
 * IANA zone given (the workspace's, as the CLI and the exports show times),
 * or in this computer's local time when no zone is given or this browser
 * does not know it; unreadable text unchanged.
 */
export function localTime(iso: string, seconds = false, zone = ''): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (zone) {
    try {
      const parts = zoneFormat(zone).formatToParts(d);
      const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
      const hm = `${part('hour')}:${part('minute')}`;
      return `${part('year')}-${part('month')}-${part('day')} ${seconds ? `${hm}:${part('second')}` : hm}`;
    } catch {
      // an unknown zone: this computer's time below
    }
  }
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return `${isoDate(d)} ${seconds ? `${hm}:${pad(d.getSeconds())}` : hm}`;
}
