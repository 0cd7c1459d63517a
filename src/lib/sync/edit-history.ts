/**
 * Undo and redo of one person's own edits, one history per view. Each view keeps a
 * `Y.UndoManager` per document the person writes (the board document and their teams' task
 * documents) that captures only transactions whose origin is a `LocalEdit` made in that view:
 * remote updates, stored state and the server's repairs are never captured, so undo never
 * reverts someone else's edit, and a concurrent edit by someone else to the same field wins
 * over the undo (Yjs does not redo a map entry another client has overwritten since).
 *
 * Why one manager per view and document rather than one per document with a view filter at
 * undo time: a Yjs stack item cannot be split after the fact, and managers of different views
 * never merge each other's edits, so "undo in the backlog" can only ever reach backlog edits.
 * The transactions of one write (an operation may write the board and a team document) carry
 * the same write number and undo together.
 */
import * as Y from 'yjs';
import type { BoardDocs } from './board-docs';
import { LocalEdit, type EditScope } from './layout';

/** Stack item metadata: the write a stack item belongs to. */
const WRITE = 'write';
/** Edits of one write, or a run of edits with one intent (typing), within this merge as one. */
const CAPTURE_MS = 500;

interface ViewHistory {
	readonly managers: Map<Y.Doc, Y.UndoManager>;
	/** The write and intent last captured, to tell a new step from a continuing one. */
	last: { write: number; intent: string } | null;
}

export class EditHistory {
	readonly #docs: BoardDocs;
	readonly #writableTeams: () => readonly string[];
	readonly #views = new Map<string, ViewHistory>();
	readonly #listeners = new Set<() => void>();
	#writes = 0;
	/** While undoing or redoing: the write whose steps are moving between the stacks. */
	#moving: number | null = null;

	/**
	 * @param writableTeams the teams whose task documents the person writes (R11): their edits
	 *   there are undoable too
	 */
	constructor(docs: BoardDocs, writableTeams: () => readonly string[]) {
		this.#docs = docs;
		this.#writableTeams = writableTeams;
	}

	/** The scope of a new write in `view`; its history starts listening before it runs. */
	begin(view: string): EditScope {
		this.#ensure(view);
		return { view, write: ++this.#writes };
	}

	canUndo(view: string): boolean {
		return this.#top(view, 'undo') !== null;
	}

	canRedo(view: string): boolean {
		return this.#top(view, 'redo') !== null;
	}

	/** Undoes the person's last write in `view`; false when there was nothing to undo. */
	undo(view: string): boolean {
		return this.#move(view, 'undo');
	}

	/** Redoes the write last undone in `view`; false when there was nothing to redo. */
	redo(view: string): boolean {
		return this.#move(view, 'redo');
	}

	/** Calls `listener` whenever what can be undone or redone may have changed. */
	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	destroy(): void {
		for (const history of this.#views.values()) {
			for (const manager of history.managers.values()) manager.destroy();
		}
		this.#views.clear();
		this.#listeners.clear();
	}

	#move(view: string, direction: 'undo' | 'redo'): boolean {
		const write = this.#top(view, direction);
		const history = this.#views.get(view);
		if (write === null || !history) return false;
		this.#moving = write;
		try {
			for (const manager of history.managers.values()) {
				const stack = direction === 'undo' ? manager.undoStack : manager.redoStack;
				if (stack.at(-1)?.meta.get(WRITE) === write) manager[direction]();
			}
		} finally {
			this.#moving = null;
		}
		this.#changed();
		return true;
	}

	/** The write at the top of `view`'s undo or redo stacks: the latest across its documents. */
	#top(view: string, direction: 'undo' | 'redo'): number | null {
		let top: number | null = null;
		for (const manager of this.#views.get(view)?.managers.values() ?? []) {
			const stack = direction === 'undo' ? manager.undoStack : manager.redoStack;
			const write = stack.at(-1)?.meta.get(WRITE) as number | undefined;
			if (write !== undefined && (top === null || write > top)) top = write;
		}
		return top;
	}

	/** Managers for `view` on the board document and every team document the person writes. */
	#ensure(view: string): void {
		let history = this.#views.get(view);
		if (!history) this.#views.set(view, (history = { managers: new Map(), last: null }));
		const docs = [this.#docs.board, ...this.#writableTeams().map((id) => this.#docs.team(id))];
		for (const doc of docs) {
			if (!history.managers.has(doc)) history.managers.set(doc, this.#manager(doc, view, history));
		}
	}

	#manager(doc: Y.Doc, view: string, history: ViewHistory): Y.UndoManager {
		const manager: Y.UndoManager = new Y.UndoManager(doc, {
			trackedOrigins: new Set([LocalEdit]),
			captureTimeout: CAPTURE_MS,
			captureTransaction: (tr) => {
				if (tr.origin === manager) return true;
				const origin = tr.origin;
				if (!(origin instanceof LocalEdit) || origin.scope?.view !== view) return false;
				const { write } = origin.scope;
				const last = history.last;
				// A new write starts a new step, unless it goes on with the same intent (typing).
				if (last && last.write !== write && last.intent !== origin.intent) {
					for (const other of history.managers.values()) other.stopCapturing();
				}
				history.last = { write, intent: origin.intent };
				return true;
			}
		});
		manager.on('stack-item-added', ({ stackItem, origin }) => {
			const write = origin instanceof LocalEdit ? origin.scope?.write : (this.#moving ?? undefined);
			stackItem.meta.set(WRITE, write ?? 0);
			// A new edit makes what was undone before unreachable, in every document of the view.
			if (origin instanceof LocalEdit) {
				for (const other of history.managers.values()) {
					if (other !== manager) other.clear(false, true);
				}
			}
			this.#changed();
		});
		manager.on('stack-item-popped', () => this.#changed());
		manager.on('stack-cleared', () => this.#changed());
		return manager;
	}

	#changed(): void {
		for (const listener of this.#listeners) listener();
	}
}
