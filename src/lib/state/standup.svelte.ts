/**
 * One team's live Daily Standup as a reactive value for screens (contract D13): the stored round,
 * its speaker, its timers on the shared clock, and what the person looking may do.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { StandupSource } from '../sync/standup-feed';
import {
	currentSpeaker,
	isRunning,
	readStandupTimers,
	standupPermissions,
	type LiveStandup,
	type StandupPermissions,
	type StandupViewer,
	type TimerReading
} from '../domain/standup';

/** One team's standup as a reactive value, with its timers on the shared clock. */
export class StandupRoom {
	readonly #source: StandupSource;
	readonly #clock: { readonly now: number };
	readonly #subscribe: () => void;

	constructor(source: StandupSource, clock: { readonly now: number }) {
		this.#source = source;
		this.#clock = clock;
		this.#subscribe = createSubscriber((update) => source.onChange(update));
	}

	/** The stored round (running, ended or abandoned), or null. */
	get standup(): LiveStandup | null {
		this.#subscribe();
		return this.#source.read();
	}

	/** The round while it is on, else null. */
	get running(): LiveStandup | null {
		const standup = this.standup;
		return isRunning(standup, this.#clock.now) ? standup : null;
	}

	/** Who speaks now: null for the incidents topic, at the end, or without a round. */
	get speakerId(): string | null {
		const standup = this.running;
		return standup ? currentSpeaker(standup) : null;
	}

	/** Both timers at the shared clock's now; null without a stored round. */
	get timers(): { speaker: TimerReading; round: TimerReading } | null {
		const standup = this.standup;
		return standup ? readStandupTimers(standup, this.#clock.now) : null;
	}

	permissions(viewer: StandupViewer): StandupPermissions {
		return standupPermissions(this.standup, this.#clock.now, viewer);
	}
}
