/**
 * Who is on the board, through y-protocols awareness: each person's name, colour, the view they
 * look at and the item they edit. Others' states expire 30 s after their last heartbeat.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { SharedSelection } from '../sync/shared-text';

/**
 * What presence needs of the y-protocols awareness that travels with the board document
 * (BoardConnection.awareness): the states of everyone, this tab's own, and change events.
 */
export interface AwarenessChannel {
	readonly clientID: number;
	getStates(): Map<number, Record<string, unknown>>;
	setLocalState(state: Record<string, unknown> | null): void;
	on(event: 'change', listener: () => void): void;
	off(event: 'change', listener: () => void): void;
}

export interface EditingRef {
	/** `retro`: writing cards in the retrospective of that id (D19). */
	kind: 'story' | 'task' | 'sprint' | 'retro';
	id: string;
}

export interface PresenceState {
	personId: string;
	name: string;
	colour: string;
	/** The view they look at, e.g. 'Backlog'. */
	view: string;
	editing: EditingRef | null;
	/** Their caret or selection in a text field (D17), shown there in their colour. */
	selection?: SharedSelection | null;
}

export interface Peer extends PresenceState {
	clientId: number;
}

const COLOURS = ['#d1495b', '#2e86ab', '#3c9d5d', '#9b5de5', '#f18f01', '#00a6a6', '#c2185b'];

/** A stable colour for a person, the same in every browser. */
export function colourOf(personId: string): string {
	let hash = 0;
	for (const char of personId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
	return COLOURS[hash % COLOURS.length]!;
}

function isPresence(value: unknown): value is PresenceState {
	return (
		!!value &&
		typeof value === 'object' &&
		typeof (value as PresenceState).name === 'string' &&
		typeof (value as PresenceState).personId === 'string'
	);
}

export class Presence {
	readonly #awareness: AwarenessChannel;
	readonly #subscribe: () => void;
	#self: PresenceState;

	constructor(awareness: AwarenessChannel, self: { personId: string; name: string }) {
		this.#awareness = awareness;
		this.#self = {
			...self,
			colour: colourOf(self.personId),
			view: 'Backlog',
			editing: null
		};
		awareness.setLocalState({ ...this.#self });
		this.#subscribe = createSubscriber((update) => {
			awareness.on('change', update);
			return () => awareness.off('change', update);
		});
	}

	/**
	 * Everyone else on the board, once per person however many tabs they have open (this
	 * person's other tabs included), by name. Of a person's tabs, the one editing something
	 * stands for them, else the one that joined first.
	 */
	get peers(): Peer[] {
		this.#subscribe();
		const byPerson: Record<string, Peer> = {};
		for (const [clientId, state] of this.#awareness.getStates()) {
			if (clientId === this.#awareness.clientID || !isPresence(state)) continue;
			if (state.personId === this.#self.personId) continue;
			const peer: Peer = { ...state, clientId };
			const kept = byPerson[peer.personId];
			if (
				!kept ||
				(!kept.editing && peer.editing) ||
				(!!kept.editing === !!peer.editing && peer.clientId < kept.clientId)
			) {
				byPerson[peer.personId] = peer;
			}
		}
		return Object.values(byPerson).sort(
			(a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId
		);
	}

	get self(): PresenceState {
		return this.#self;
	}

	/** The first other person editing this item, for a focus ring in their colour. */
	editorOf(kind: EditingRef['kind'], id: string): Peer | undefined {
		return this.peers.find((p) => p.editing?.kind === kind && p.editing.id === id);
	}

	/** After a rename: others see the new name at once. */
	setName(name: string): void {
		if (name !== this.#self.name) this.#update({ name });
	}

	setView(view: string): void {
		this.#update({ view });
	}

	setEditing(editing: EditingRef | null): void {
		const current = this.#self.editing;
		if (current?.kind === editing?.kind && current?.id === editing?.id) return;
		this.#update({ editing });
	}

	/** Where this person's caret is in a shared text field; null when they leave it. */
	setSelection(selection: SharedSelection | null): void {
		const current = this.#self.selection ?? null;
		if (current === null && selection === null) return;
		if (
			current !== null &&
			selection !== null &&
			current.field === selection.field &&
			JSON.stringify(current) === JSON.stringify(selection)
		) {
			return;
		}
		this.#update({ selection });
	}

	/** The field this person's caret is in, if any. */
	get selectionField(): string | null {
		return this.#self.selection?.field ?? null;
	}

	#update(patch: Partial<PresenceState>): void {
		this.#self = { ...this.#self, ...patch };
		this.#awareness.setLocalState({ ...this.#self });
	}
}
