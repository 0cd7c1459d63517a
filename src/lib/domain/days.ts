/**
 * Calendar days in the board's time zone. Sprints start and end on days, a standup is held on a
 * day and unknown work arrives on a day of a sprint; which day an instant falls on depends on
 * where the board's teams work. A standup at 08:30 in Sydney is still 21:30 of the previous day
 * in UTC, so every day here is read in the board's time zone (an IANA name, `UTC` by default;
 * docs/domain.md#days-and-the-boards-time-zone). Days are `YYYY-MM-DD` strings; arithmetic on them
 * is plain calendar arithmetic.
 */

/** The zone of a board that names none: boards created before boards had one read as UTC. */
export const DEFAULT_TIME_ZONE = 'UTC';

const DAY_MS = 86_400_000;
/** IANA names: `UTC`, `Europe/Berlin`, `America/Argentina/Buenos_Aires`, `Etc/GMT+5`. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
const MAX_CACHED_ZONES = 64;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than using it. */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit'
		});
		if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** Whether `name` is an IANA time zone this runtime knows (e.g. "Australia/Sydney", "UTC"). */
export function isTimeZone(name: string): boolean {
	if (name.length > 64 || !ZONE_NAME.test(name)) return false;
	try {
		formatterOf(name);
		return true;
	} catch {
		return false;
	}
}

/** The board's time zone, or UTC when there is no board yet. */
export function timeZoneOf(board: { readonly timeZone: string } | null | undefined): string {
	return board?.timeZone ?? DEFAULT_TIME_ZONE;
}

/**
 * The calendar day (YYYY-MM-DD) an instant (ms since epoch) falls on in `timeZone`. Throws a
 * RangeError for an invalid instant or an unknown zone.
 */
export function dayOf(instant: number, timeZone: string): string {
	if (timeZone === 'UTC') return new Date(instant).toISOString().slice(0, 10);
	let year = '';
	let month = '';
	let day = '';
	for (const part of formatterOf(timeZone).formatToParts(instant)) {
		if (part.type === 'year') year = part.value;
		else if (part.type === 'month') month = part.value;
		else if (part.type === 'day') day = part.value;
	}
	return `${year.padStart(4, '0')}-${month}-${day}`;
}

/** UTC midnight of days already parsed: measures walk the same days over and over. */
const midnights = new Map<string, number>();
const MAX_KEPT_MIDNIGHTS = 4096;

function midnightOf(day: string): number {
	let at = midnights.get(day);
	if (at !== undefined) return at;
	at = Date.parse(`${day}T00:00:00.000Z`);
	if (Number.isNaN(at)) throw new RangeError(`"${day}" is not a calendar day (YYYY-MM-DD)`);
	if (midnights.size >= MAX_KEPT_MIDNIGHTS) midnights.clear();
	midnights.set(day, at);
	return at;
}

/** The day `days` calendar days after `day` (before it when negative). */
export function addDays(day: string, days: number): string {
	return new Date(midnightOf(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to`: 0 on the same day, negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
	return Math.round((midnightOf(to) - midnightOf(from)) / DAY_MS);
}

/**
 * The first instant (ms since epoch) of calendar day `day` in `timeZone`: midnight there, or the
 * first instant after it when a clock change skips midnight. `[startOfDay(d), startOfDay(d + 1))`
 * is the day `d` in that zone, so a period of whole days becomes a span of instants.
 */
export function startOfDay(day: string, timeZone: string): number {
	const utcMidnight = midnightOf(day);
	if (timeZone === 'UTC') return utcMidnight;
	// Zones are at most 14 hours from UTC: the day starts within a day of UTC midnight.
	let low = utcMidnight - DAY_MS;
	let high = utcMidnight + DAY_MS;
	// The first instant whose day is on or after `day`; days are ordered like the instants.
	while (high - low > 1000) {
		const mid = low + Math.floor((high - low) / 2000) * 1000;
		if (dayOf(mid, timeZone) >= day) high = mid;
		else low = mid;
	}
	return high;
}
