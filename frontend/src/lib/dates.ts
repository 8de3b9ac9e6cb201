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

/** A local date and time of day, as localTime prints it. */
interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock of the instant ms in zone ('' = this computer's zone); throws for a zone this engine does not know. */
function wallAt(ms: number, zone: string): Wall {
  if (!zone) {
    const d = new Date(ms);
    return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
  }
  const parts = zoneFormat(zone).formatToParts(new Date(ms));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour') % 24, minute: part('minute'), second: part('second') };
}

/** The UTC offset of zone at the instant ms, in seconds east of UTC (to the second, as the wall clock shows it). */
function offsetAt(ms: number, zone: string, w = wallAt(ms, zone)): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole) / 1000);
}

/** The most the clocks go back at once that `repeated` looks for (a day: real changes are an hour or less). */
const lookAround = 24 * 3600 * 1000;

/**
 * Whether the local time of the instant ms in zone also names another
 * instant: the hour repeated when the clocks go back (Europe/Berlin
 * 02:00–02:59 on 2026-10-25, before and after the change). The rule of the
 * backend's workzone.Repeated: another instant with another offset whose
 * wall clock is the same.
 */
function repeated(ms: number, zone: string, off = offsetAt(ms, zone)): boolean {
  for (const near of [ms - lookAround, ms + lookAround]) {
    const other = offsetAt(near, zone);
    if (other !== off && offsetAt(ms + (off - other) * 1000, zone) === other) return true;
  }
  return false;
}

/** "+02:00", "-04:00", "+10:30": an offset in seconds, as Go's "-07:00". */
function offsetText(seconds: number): string {
  const m = Math.round(Math.abs(seconds) / 60);
  return `${seconds < 0 ? '-' : '+'}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/**
 * An RFC 3339 instant as "2026-11-21 16:51" (with seconds: "16:51:05") in the
 * IANA zone given (the workspace's, as the CLI and the exports show times),
 * or in this computer's local time when no zone is given or this browser
 * does not know it; unreadable text unchanged. A local time that occurs
 * twice — in the hour repeated when the clocks go back — gets its UTC
 * offset, "2026-10-25 02:30 +02:00" and, an hour later, "2026-10-25 02:30
 * +01:00", as the backend prints it (workzone.LocalTime; both are tested
 * against backend/workzone/testdata/localtime.json).
 */
export function localTime(iso: string, seconds = false, zone = ''): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const ms = d.getTime();
  let z = zone;
  let w: Wall;
  try {
    w = wallAt(ms, z);
  } catch {
    z = ''; // an unknown zone: this computer's time
    w = wallAt(ms, z);
  }
  const hm = `${pad(w.hour)}:${pad(w.minute)}`;
  const text = `${w.year}-${pad(w.month)}-${pad(w.day)} ${seconds ? `${hm}:${pad(w.second)}` : hm}`;
  const off = offsetAt(ms, z, w);
  return repeated(ms, z, off) ? `${text} ${offsetText(off)}` : text;
}

/**
 * An RFC 3339 instant as localTime shows it in zone, then the zone named
 * once in brackets: "2026-06-01 00:00 (Europe/Berlin)". It is how the
 * backend words a limit's reset (team.resetText) and the CLI a lot's expiry
 * (`meterdesk credits topup`), the zone being the workspace's as the backend
 * reports it (session.timeZone, a limit's timeZone): for a single time a
 * member in another zone would otherwise read as their own. A zone this
 * browser does not know is shown and named as this computer's; unreadable
 * text is returned unchanged.
 */
export function zonedTime(iso: string, seconds = false, zone = ''): string {
  const z = knownZone(zone) ? zone.trim() : '';
  const text = localTime(iso, seconds, z);
  if (Number.isNaN(new Date(iso).getTime())) return text;
  const named = z || Intl.DateTimeFormat().resolvedOptions().timeZone;
  return named ? `${text} (${named})` : text;
}

/**
 * Calls fn once, a second after the wall clock passes the RFC 3339 instant
 * at (a spending limit's reset, which no event marks), and returns what
 * cancels it; nothing for no instant, an unreadable one or one passed
 * already (whoever read it reads again on the next event). The wait is
 * the wall clock's, checked each minute at most: a timer's delay counts
 * only the time its page runs, so one set for the whole wait fired that
 * much late after the computer slept across the reset or its clock was
 * set forward, and one over 2^31 ms (24.8 days: a monthly reset) fired at
 * once.
 */
export function atInstant(at: string | null | undefined, fn: () => void): () => void {
  const when = at ? new Date(at).getTime() + 1000 : NaN;
  if (Number.isNaN(when) || when - 1000 <= Date.now()) return () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    const left = when - Date.now();
    if (left <= 0) {
      timer = undefined;
      fn();
      return;
    }
    timer = setTimeout(tick, Math.min(left, 60_000));
  };
  tick();
  return () => clearTimeout(timer);
}
