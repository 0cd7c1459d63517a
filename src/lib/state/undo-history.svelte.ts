/**
 * The person's undo and redo in the view they are looking at, for the header's buttons and the
 * keyboard. Every write made through the BoardSession belongs to the view it was made in, and
 * each view undoes only its own (src/lib/sync/edit-history.ts). An undo that would leave part of
 * the board invalid is taken back and refused with the reason, like any write.
 */
import { createSubscriber } from 'svelte/reactivity';
import { ScrumOpsError } from '../domain/errors';
import type { EditHistory } from '../sync/edit-history';
import type { EditScope } from '../sync/layout';
import { attempt } from '../client/attempt';

/** What the undo needs to know of the board: what readers reject now. */
interface Rejections {
	readonly rejected: ReadonlyMap<string, string>;
}

export class UndoHistory {
	/** The view whose history the buttons and keys act on (set by the board's frame). */
	view = $state('backlog');
	readonly #history: EditHistory;
	readonly #board: Rejections;
	readonly #readOnly: () => boolean;
	readonly #subscribe: () => void;

	constructor(history: EditHistory, board: Rejections, readOnly: () => boolean) {
		this.#history = history;
		this.#board = board;
		this.#readOnly = readOnly;
		this.#subscribe = createSubscriber((update) => history.onChange(update));
	}

	/** The scope of a write made now: it belongs to the current view's history. */
	begin(): EditScope {
		return this.#history.begin(this.view);
	}

	get canUndo(): boolean {
		this.#subscribe();
		return !this.#readOnly() && this.#history.canUndo(this.view);
	}

	get canRedo(): boolean {
		this.#subscribe();
		return !this.#readOnly() && this.#history.canRedo(this.view);
	}

	/** Undoes the person's last edit in this view: null, or why it was refused. */
	undo(): string | null {
		return this.#step('undo');
	}

	/** Redoes the edit last undone in this view: null, or why it was refused. */
	redo(): string | null {
		return this.#step('redo');
	}

	#step(direction: 'undo' | 'redo'): string | null {
		if (this.#readOnly()) return null;
		const view = this.view;
		return attempt(() => {
			const before = [...this.#board.rejected.keys()];
			if (!this.#history[direction](view)) return;
			const broken = [...this.#board.rejected].find(([key]) => !before.includes(key));
			if (!broken) return;
			// Merged with what others did since, the old state no longer holds: take it back.
			this.#history[direction === 'undo' ? 'redo' : 'undo'](view);
			const [part, reason] = broken;
			throw new ScrumOpsError(
				`That cannot be ${direction === 'undo' ? 'undone' : 'redone'}: it would leave ${part} invalid (${reason}). Change it by hand instead.`
			);
		});
	}
}
