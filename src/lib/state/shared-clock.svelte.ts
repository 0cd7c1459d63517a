/**
 * The shared clock as a reactive value: `now` is this browser's clock corrected by its offset to
 * the server's, and components reading it re-render every `tickMs` (only while something reads
 * it). SLA countdowns and standup timers read it, so every screen shows the same time.
 */
import { createSubscriber } from 'svelte/reactivity';
import { measureClockOffset, type ClockOffset } from '../client/clock';
import { serverNow } from '../domain/sla';

export class SharedClock {
	offsetMs = $state(0);
	uncertaintyMs = $state(Number.POSITIVE_INFINITY);
	readonly #subscribe: () => void;
	readonly #local: () => number;

	constructor(options: { tickMs?: number; now?: () => number } = {}) {
		const tickMs = options.tickMs ?? 1000;
		this.#local = options.now ?? Date.now;
		this.#subscribe = createSubscriber((update) => {
			const timer = setInterval(update, tickMs);
			return () => clearInterval(timer);
		});
	}

	/** ms since epoch on the server's clock. */
	get now(): number {
		this.#subscribe();
		return serverNow(this.#local(), this.offsetMs);
	}

	/** Measures the offset (call on load and after reconnecting); keeps the better estimate. */
	async synchronize(
		measure: () => Promise<ClockOffset> = () => measureClockOffset()
	): Promise<void> {
		const next = await measure();
		if (next.uncertaintyMs <= this.uncertaintyMs || !Number.isFinite(this.uncertaintyMs)) {
			this.offsetMs = next.offsetMs;
			this.uncertaintyMs = next.uncertaintyMs;
		}
	}
}
