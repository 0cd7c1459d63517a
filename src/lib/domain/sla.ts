/** The SLA clock (R9): deadlines from the board policy and how much of the window is left. */
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
