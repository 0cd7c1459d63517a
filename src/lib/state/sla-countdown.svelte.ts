/**
 * An SLA countdown for the screen (R9): the same reading the engine uses, taken on the shared
 * clock, with the sentence every screen uses for it (`slaText`), so colour is never the only
 * signal.
 */
import { readSla, slaText, type SlaReading, type SlaState } from '../domain/sla';
import type { WorkPackage } from '../domain/schema';

/** Anything with a `now` on the server's clock: the SharedClock, or a fake in tests. */
export interface ClockReader {
	readonly now: number;
}

type SlaSubject = Pick<WorkPackage, 'status' | 'createdAt' | 'slaDeadline' | 'completedAt'>;

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
		return slaText(this.reading);
	}
}
