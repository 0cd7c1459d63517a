/**
 * An SLA countdown for the screen (R9): the same reading the engine uses, taken on the shared
 * clock, with a sentence that says the state in words, so colour is never the only signal.
 */
import { readSla, type SlaReading, type SlaState } from '../domain/sla';
import type { WorkPackage } from '../domain/schema';

/** Anything with a `now` on the server's clock: the SharedClock, or a fake in tests. */
export interface ClockReader {
	readonly now: number;
}

type SlaSubject = Pick<WorkPackage, 'status' | 'createdAt' | 'slaDeadline' | 'completedAt'>;

/** "2 h 05 min", "12 min 30 s", "45 s": coarse enough to read at a glance, fine near the end. */
export function formatDuration(ms: number): string {
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

/** The reading in words: what a person on call needs to know without the colour. */
export function describeSla(reading: SlaReading): string {
	const left = reading.remainingMs ?? 0;
	const words: Record<SlaState, () => string> = {
		none: () => 'No SLA',
		'on-track': () => `On track: ${formatDuration(left)} left`,
		'at-risk': () => `At risk: ${formatDuration(left)} left`,
		breached: () => `Breached ${formatDuration(left)} ago`,
		met: () => `Met with ${formatDuration(left)} to spare`,
		missed: () => `Missed by ${formatDuration(left)}`
	};
	return words[reading.state]();
}

/** The countdown of one work package, re-read whenever the clock ticks or the package changes. */
export class SlaCountdown {
	readonly #clock: ClockReader;
	readonly #subject: () => SlaSubject;

	constructor(clock: ClockReader, subject: () => SlaSubject) {
		this.#clock = clock;
		this.#subject = subject;
	}

	get reading(): SlaReading {
		return readSla(this.#subject(), this.#clock.now);
	}

	get state(): SlaState {
		return this.reading.state;
	}

	get label(): string {
		return describeSla(this.reading);
	}
}
