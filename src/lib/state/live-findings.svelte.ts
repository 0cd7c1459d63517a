/**
 * A board's findings as a reactive value: components read `current` and re-render whenever a
 * merged change (local or remote) alters the board.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { Finding } from '../domain/findings';
import type { BoardProjection } from '../sync/projection';

export class LiveFindings {
	readonly #projection: BoardProjection;
	readonly #subscribe: () => void;

	constructor(projection: BoardProjection) {
		this.#projection = projection;
		this.#subscribe = createSubscriber((update) => projection.subscribe(update));
	}

	/** Every finding, in the engine's order. */
	get current(): readonly Finding[] {
		this.#subscribe();
		return this.#projection.findings();
	}
}
