/**
 * The board's measures as a reactive value: `measures()` is the same computation the server runs
 * for `GET /api/boards/:id/measures`, kept incremental (IncrementalMeasures) and computed again
 * whenever a merged change, local or remote, reaches the projection.
 */
import type { Measures } from '../contract/measures';
import { IncrementalMeasures, type MeasureOptions } from '../domain/measures';
import type { BoardProjection } from '../sync/projection';

export class LiveMeasures {
	readonly #incremental: IncrementalMeasures;
	readonly #stop: () => void;
	/** Counts the changes merged, so readers depend on every one of them. */
	#version = $state(0);

	constructor(projection: BoardProjection) {
		this.#incremental = new IncrementalMeasures(projection.state);
		this.#stop = projection.subscribe((changes) => {
			this.#incremental.apply(changes);
			this.#version++;
		});
	}

	/** Every measure over the period, for the whole board or one team (see `measures()`). */
	measures(options: MeasureOptions): Measures {
		void this.#version;
		return this.#incremental.measures(options);
	}

	destroy(): void {
		this.#stop();
	}
}
