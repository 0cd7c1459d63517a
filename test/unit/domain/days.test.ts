/**
 * Calendar days in the board's time zone: a standup, a task done or an incident arriving is filed
 * under the day it was where the board's teams work, east or west of UTC, in summer and winter.
 */
import { describe, expect, test } from 'vitest';
import {
	DEFAULT_TIME_ZONE,
	addDays,
	dayOf,
	daysBetween,
	isTimeZone,
	timeZoneOf
} from '../../../src/lib/domain/days';

const at = (iso: string) => Date.parse(iso);

describe('dayOf', () => {
	test.each([
		// Sydney is UTC+11 in its summer (November) and UTC+10 in its winter (June).
		{ zone: 'Australia/Sydney', instant: '2026-11-22T21:30:00.000Z', local: '2026-11-23' },
		{ zone: 'Australia/Sydney', instant: '2026-06-14T22:30:00.000Z', local: '2026-06-15' },
		// Tokyo is UTC+9 all year; Auckland UTC+13 in November.
		{ zone: 'Asia/Tokyo', instant: '2026-11-22T23:30:00.000Z', local: '2026-11-23' },
		{ zone: 'Pacific/Auckland', instant: '2026-11-22T19:30:00.000Z', local: '2026-11-23' }
	])('a standup at 08:30 in $zone ($instant) is filed under $local', ({ zone, instant, local }) => {
		expect(dayOf(at(instant), zone)).toBe(local);
		// In UTC the same instant is still the day before: the day the board used to file it under.
		expect(dayOf(at(instant), 'UTC')).toBe(addDays(local, -1));
	});

	test.each([
		// Los Angeles is UTC-8 in November and UTC-7 in June; Honolulu UTC-10; São Paulo UTC-3.
		{ zone: 'America/Los_Angeles', instant: '2026-11-24T01:30:00.000Z', local: '2026-11-23' },
		{ zone: 'America/Los_Angeles', instant: '2026-06-16T00:30:00.000Z', local: '2026-06-15' },
		{ zone: 'Pacific/Honolulu', instant: '2026-11-24T08:00:00.000Z', local: '2026-11-23' },
		{ zone: 'America/Sao_Paulo', instant: '2026-11-24T02:00:00.000Z', local: '2026-11-23' }
	])(
		'west of UTC, an evening in $zone ($instant) is still $local there',
		({ zone, instant, local }) => {
			expect(dayOf(at(instant), zone)).toBe(local);
			expect(dayOf(at(instant), 'UTC')).toBe(addDays(local, 1));
		}
	);

	test('the day changes at local midnight, not at UTC midnight', () => {
		// Midnight in Sydney on 23 November is 13:00 UTC on the 22nd.
		const midnight = at('2026-11-22T13:00:00.000Z');
		expect(dayOf(midnight - 1, 'Australia/Sydney')).toBe('2026-11-22');
		expect(dayOf(midnight, 'Australia/Sydney')).toBe('2026-11-23');
		// UTC midnight changes nothing there.
		expect(dayOf(at('2026-11-23T00:00:00.000Z'), 'Australia/Sydney')).toBe('2026-11-23');
		expect(dayOf(at('2026-11-22T23:59:59.999Z'), 'Australia/Sydney')).toBe('2026-11-23');
		// Half-hour zones too: midnight in Kolkata (UTC+5:30) is 18:30 UTC.
		expect(dayOf(at('2026-11-22T18:29:59.999Z'), 'Asia/Kolkata')).toBe('2026-11-22');
		expect(dayOf(at('2026-11-22T18:30:00.000Z'), 'Asia/Kolkata')).toBe('2026-11-23');
	});

	test('on the days the clocks change, every hour still falls on its own day', () => {
		// Sydney moves its clocks from 02:00 to 03:00 on 4 October 2026 (UTC+10 to UTC+11).
		expect(dayOf(at('2026-10-03T13:59:59.999Z'), 'Australia/Sydney')).toBe('2026-10-03');
		expect(dayOf(at('2026-10-03T14:00:00.000Z'), 'Australia/Sydney')).toBe('2026-10-04');
		expect(dayOf(at('2026-10-04T12:59:59.999Z'), 'Australia/Sydney')).toBe('2026-10-04');
		expect(dayOf(at('2026-10-04T13:00:00.000Z'), 'Australia/Sydney')).toBe('2026-10-05');
		// New York moves from 02:00 back to 01:00 on 1 November 2026 (UTC-4 to UTC-5).
		expect(dayOf(at('2026-11-02T04:59:59.999Z'), 'America/New_York')).toBe('2026-11-01');
		expect(dayOf(at('2026-11-02T05:00:00.000Z'), 'America/New_York')).toBe('2026-11-02');
	});

	test('in UTC it is the ISO date of the instant', () => {
		expect(dayOf(at('2026-11-23T00:00:00.000Z'), 'UTC')).toBe('2026-11-23');
		expect(dayOf(at('2026-11-23T23:59:59.999Z'), 'UTC')).toBe('2026-11-23');
		expect(dayOf(at('2026-11-23T23:59:59.999Z'), 'Etc/UTC')).toBe('2026-11-23');
	});

	test('an unknown zone or an unreadable instant is refused', () => {
		expect(() => dayOf(at('2026-11-23T09:00:00.000Z'), 'Mars/Olympus_Mons')).toThrow(RangeError);
		expect(() => dayOf(Number.NaN, 'Australia/Sydney')).toThrow(RangeError);
		expect(() => dayOf(Number.NaN, 'UTC')).toThrow(RangeError);
	});
});

describe('time zones', () => {
	test.each(['UTC', 'Europe/Berlin', 'Australia/Sydney', 'America/Argentina/Buenos_Aires'])(
		'%s is a time zone',
		(zone) => expect(isTimeZone(zone)).toBe(true)
	);

	test.each(['', 'Mars/Olympus_Mons', '+05:00', 'UTC+1', '../UTC', 'Europe/', 'x'.repeat(65)])(
		'"%s" is not',
		(zone) => expect(isTimeZone(zone)).toBe(false)
	);

	test('a board that names no zone, or no board yet, reads its days in UTC', () => {
		expect(DEFAULT_TIME_ZONE).toBe('UTC');
		expect(timeZoneOf(null)).toBe('UTC');
		expect(timeZoneOf(undefined)).toBe('UTC');
		expect(timeZoneOf({ timeZone: 'Asia/Tokyo' })).toBe('Asia/Tokyo');
	});
});

describe('calendar arithmetic on days', () => {
	test('adding days crosses months, years and leap days', () => {
		expect(addDays('2026-11-23', 13)).toBe('2026-12-06');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		// Calendar days know nothing of clock changes.
		expect(addDays('2026-10-03', 2)).toBe('2026-10-05');
	});

	test('days between two days', () => {
		expect(daysBetween('2026-11-23', '2026-12-06')).toBe(13);
		expect(daysBetween('2026-11-23', '2026-11-23')).toBe(0);
		expect(daysBetween('2026-11-25', '2026-11-23')).toBe(-2);
		expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
	});

	test('a string that is no day is refused', () => {
		expect(() => addDays('23/11/2026', 1)).toThrow(RangeError);
		expect(() => daysBetween('2026-11-23', 'tomorrow')).toThrow(RangeError);
	});
});
