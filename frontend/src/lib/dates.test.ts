import { describe, expect, it } from 'vitest';
import { addDays, isoDate, isoMonth, localTime, rangeProblem, todayIn, zonedTime } from './dates';
// The table the backend's workzone.LocalTime is tested against: one rule for
// the window, the CLI and the files Meterdesk writes.
import table from '../../../backend/workzone/testdata/localtime.json?raw';

describe('dates', () => {
  it('says when From is after To (both included; either may be empty)', () => {
    expect(rangeProblem('2026-11-25', '2026-11-22')).toBe('From is after To: pick a From on or before To.');
    expect(rangeProblem('2026-11-22', '2026-11-22')).toBe('');
    expect(rangeProblem('2026-11-01', '2026-11-22')).toBe('');
    expect(rangeProblem('', '2026-11-22')).toBe('');
    expect(rangeProblem('2026-11-25', '')).toBe('');
  });

  it('isoDate and isoMonth use the local calendar, not UTC', () => {
    // 23:30 local on 31 December is still 2025 here, whatever UTC says.
    const d = new Date(2025, 11, 31, 23, 30);
    expect(d.toISOString().slice(0, 10)).toBe('2026-01-01'); // the tests run in America/Los_Angeles (vite.config.ts)
    expect(isoDate(d)).toBe('2025-12-31');
    expect(isoMonth(d)).toBe('2025-12');
    expect(isoDate(new Date(2026, 0, 1, 0, 5))).toBe('2026-01-01');
  });

  it('addDays crosses months, years and leap days', () => {
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-11-21', -29)).toBe('2025-10-23');
    expect(addDays('2025-11-21', 0)).toBe('2025-11-21');
    expect(addDays('21.11.2025', 1)).toBe('');
    expect(addDays('', 1)).toBe('');
  });

  it("todayIn gives the zone's date, and this computer's for a zone it does not know", () => {
    const t = new Date(Date.UTC(2026, 10, 30, 23, 30)); // 30 Nov 23:30 UTC
    expect(todayIn('UTC', t)).toBe('2026-11-30');
    expect(todayIn('Europe/Berlin', t)).toBe('2026-12-01');
    expect(todayIn('America/Los_Angeles', t)).toBe('2026-11-30');
    expect(todayIn('Pacific/Kiritimati', new Date(Date.UTC(2026, 11, 31, 10, 0)))).toBe('2027-01-01');
    expect(todayIn('Mars/Olympus_Mons', t)).toBe(isoDate(t)); // this computer's (Los Angeles in the tests)
    expect(todayIn('', t)).toBe(isoDate(t));
  });

  it('localTime shows an instant in local time', () => {
    const d = new Date(2025, 5, 7, 8, 9, 10);
    expect(localTime(d.toISOString())).toBe('2025-06-07 08:09');
    expect(localTime(d.toISOString(), true)).toBe('2025-06-07 08:09:10');
    expect(localTime('not a time')).toBe('not a time');
  });

  it('localTime shows an instant in the zone given, and local time for a zone it does not know', () => {
    const iso = '2026-11-22T22:00:00Z';
    expect(localTime(iso, false, 'Europe/Berlin')).toBe('2026-11-22 23:00');
    expect(localTime('2026-07-01T22:00:00Z', true, 'Europe/Berlin')).toBe('2026-07-02 00:00:00');
    expect(localTime(iso, false, 'UTC')).toBe('2026-11-22 22:00');
    expect(localTime(iso, false, 'Asia/Kolkata')).toBe('2026-11-23 03:30');
    expect(localTime(iso, false, 'Mars/Phobos')).toBe(localTime(iso));
  });

  // The backend's wording of a limit's reset (team.resetText) and the CLI's
  // of a lot's expiry: the local time, then the zone it is in, once.
  it('zonedTime names the zone the time is shown in', () => {
    expect(zonedTime('2026-11-22T22:00:00Z', false, 'Europe/Berlin')).toBe('2026-11-22 23:00 (Europe/Berlin)');
    expect(zonedTime('2026-11-24T00:00:00Z', false, 'Etc/UTC')).toBe('2026-11-24 00:00 (Etc/UTC)');
    expect(zonedTime('2026-07-01T22:00:00Z', true, 'Asia/Kolkata')).toBe('2026-07-02 03:30:00 (Asia/Kolkata)');
    // The repeated hour keeps its offset, then the zone.
    expect(zonedTime('2026-10-25T00:30:00Z', false, 'Europe/Berlin')).toBe('2026-10-25 02:30 +02:00 (Europe/Berlin)');
    // A zone this browser does not know: shown, and named, as this computer's (Los Angeles in the tests).
    expect(zonedTime('2026-11-22T22:00:00Z', false, 'Mars/Phobos')).toBe('2026-11-22 14:00 (America/Los_Angeles)');
    expect(zonedTime('2026-11-22T22:00:00Z')).toBe('2026-11-22 14:00 (America/Los_Angeles)');
    expect(zonedTime('not a time', false, 'Europe/Berlin')).toBe('not a time');
  });
});

describe('localTime in the hour repeated when the clocks go back', () => {
  const cases = (JSON.parse(table) as { zone?: string; utc?: string; minutes?: string; seconds?: string }[]).filter((c) => c.zone);

  it('has the shared cases', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases)('$utc in $zone reads $minutes', (c) => {
    expect(localTime(c.utc!, false, c.zone)).toBe(c.minutes);
    expect(localTime(c.utc!, true, c.zone)).toBe(c.seconds);
  });

  it("tells the repeated hour apart in this computer's zone too (Los Angeles in the tests)", () => {
    // Los Angeles falls back at 09:00Z on 2026-11-01: 02:00 PDT -> 01:00 PST.
    expect(localTime('2026-11-01T08:30:00Z')).toBe('2026-11-01 01:30 -07:00');
    expect(localTime('2026-11-01T09:30:00Z')).toBe('2026-11-01 01:30 -08:00');
    expect(localTime('2026-11-01T10:30:00Z', true)).toBe('2026-11-01 02:30:00');
    expect(localTime('2026-11-01T08:30:00Z', false, 'Mars/Phobos')).toBe('2026-11-01 01:30 -07:00');
  });
});
