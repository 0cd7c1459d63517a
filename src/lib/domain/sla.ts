/**
 * The SLA clock (R9): deadlines from the board policy, how much of the window is left, and the
 * words every screen uses to say where a work package stands against its SLA.
 */
import type { Severity, SlaPolicy } from './schema';

/** The deadline of work created at `createdAt` with `severity`, as an ISO instant. */
export function slaDeadline(createdAt: string, severity: Severity, policy: SlaPolicy): string {
	return new Date(Date.parse(createdAt) + policy[severity] * 60_000).toISOString();
}

/** Share of the SLA window still left at `now` (1 = untouched, 0 = due, negative = breached). */
export function slaRemainingShare(createdAt: string, deadline: string, now: number): number {
	const start = Date.parse(createdAt);
	const end = Date.parse(deadline);
	const window = end - start;
	return window <= 0 ? (now < end ? 1 : -1) : (end - now) / window;
}

/** A window with less than this share left is at risk (R9); exactly a quarter left is not. */
export const AT_RISK_SHARE = 0.25;

/**
 * Where a work package stands against its SLA: `none` without a deadline; while open
 * `on-track`, `at-risk` (under a quarter of the window left) or `breached` (deadline passed);
 * once done `met` or `missed`, frozen at its completion.
 */
export type SlaState = 'none' | 'on-track' | 'at-risk' | 'breached' | 'met' | 'missed';

export interface SlaReading {
	state: SlaState;
	/** ms since epoch; null without a deadline. */
	deadline: number | null;
	/** Time left at `now` (negative once breached); at completion for done work. */
	remainingMs: number | null;
	/** Share of the window left (1 = untouched, 0 = due, negative = breached). */
	share: number | null;
}

/**
 * Reads the SLA clock of a work package at `now` (ms since epoch, on the shared clock: see
 * `serverNow`). Instants carry their offset, so readers in any time zone agree. The same reading
 * the engine uses for R9, so a countdown on screen and the finding never disagree.
 */
export function readSla(
	wp: {
		status: 'open' | 'done';
		createdAt: string;
		slaDeadline: string | null;
		completedAt: string | null;
	},
	now: number
): SlaReading {
	const deadline = wp.slaDeadline === null ? NaN : Date.parse(wp.slaDeadline);
	if (Number.isNaN(deadline))
		return { state: 'none', deadline: null, remainingMs: null, share: null };
	const window = deadline - Date.parse(wp.createdAt);
	const at = wp.status === 'done' && wp.completedAt !== null ? Date.parse(wp.completedAt) : now;
	const remainingMs = deadline - at;
	const share = window > 0 ? remainingMs / window : remainingMs > 0 ? 1 : -1;
	let state: SlaState;
	if (wp.status === 'done') state = remainingMs >= 0 ? 'met' : 'missed';
	else if (remainingMs <= 0) state = 'breached';
	else if (remainingMs < window * AT_RISK_SHARE) state = 'at-risk';
	else state = 'on-track';
	return { state, deadline, remainingMs, share };
}

/**
 * A duration as a person on call reads it: "2 d 3 h", "2 h 05 min", "12 min 30 s", "45 s";
 * coarse when there is time, down to the second near the end. The sign is dropped.
 */
export function durationText(ms: number): string {
	const total = Math.floor(Math.abs(ms) / 1000);
	const days = Math.floor(total / 86_400);
	const hours = Math.floor((total % 86_400) / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = total % 60;
	const pad = (n: number) => String(n).padStart(2, '0');
	if (days > 0) return `${days} d ${hours} h`;
	if (hours > 0) return `${hours} h ${pad(minutes)} min`;
	if (minutes > 0) return `${minutes} min ${pad(seconds)} s`;
	return `${seconds} s`;
}

/**
 * An SLA reading in words, the same on every screen (the incident desk, the standup, the Scrum
 * of Scrums), so the state never depends on colour: "SLA on track: 2 h 05 min left", "SLA at
 * risk: 12 min 30 s left", "SLA breached 4 min 10 s ago", "SLA met with 3 h 00 min to spare",
 * "SLA missed by 1 h 00 min", "No SLA".
 */
export function slaText(reading: SlaReading): string {
	if (reading.state === 'none' || reading.remainingMs === null) return 'No SLA';
	const left = durationText(reading.remainingMs);
	switch (reading.state) {
		case 'on-track':
			return `SLA on track: ${left} left`;
		case 'at-risk':
			return `SLA at risk: ${left} left`;
		case 'breached':
			return `SLA breached ${left} ago`;
		case 'met':
			return `SLA met with ${left} to spare`;
		case 'missed':
			return `SLA missed by ${left}`;
	}
}

/** One round trip to the server: when it left, the server's clock, when the answer came back. */
export interface ClockSample {
	sentAt: number;
	serverTime: number;
	receivedAt: number;
}

/**
 * How far this browser's clock is behind the server's (add it to `Date.now()`), from a few round
 * trips: the sample with the shortest round trip bounds the error best (as NTP does), and its
 * error is at most half that round trip. Every screen that reads the shared clock this way shows
 * the same SLA countdown and standup timer, whatever its own clock says.
 */
export function estimateOffset(samples: readonly ClockSample[]): {
	offsetMs: number;
	uncertaintyMs: number;
} {
	const valid = samples.filter(
		(s) => Number.isFinite(s.serverTime) && s.receivedAt >= s.sentAt && Number.isFinite(s.sentAt)
	);
	if (valid.length === 0) return { offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY };
	const best = valid.reduce((a, b) => (b.receivedAt - b.sentAt < a.receivedAt - a.sentAt ? b : a));
	const roundTrip = best.receivedAt - best.sentAt;
	return {
		offsetMs: best.serverTime - (best.sentAt + roundTrip / 2),
		uncertaintyMs: roundTrip / 2
	};
}

/** The shared clock: this browser's clock corrected by the offset to the server. */
export function serverNow(localNow: number, offsetMs: number): number {
	return localNow + offsetMs;
}

/** A timebox started at `startedAt` lasting `seconds`, read at `now` (the shared clock). */
export function readTimebox(
	startedAt: string,
	seconds: number,
	now: number
): { elapsedMs: number; remainingMs: number; overrun: boolean } {
	const elapsedMs = Math.max(0, now - Date.parse(startedAt));
	const remainingMs = seconds * 1000 - elapsedMs;
	return { elapsedMs, remainingMs, overrun: remainingMs < 0 };
}
