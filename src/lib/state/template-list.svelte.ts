/**
 * The board's work package templates as a reactive list, read straight from the board document
 * (the board view does not carry them): re-read whenever a template changes, local or remote.
 */
import { createSubscriber } from 'svelte/reactivity';
import { Template } from '../domain/schema';
import type { BoardDocs } from '../sync/board-docs';
import { readEntity } from '../sync/codec';
import { FIELD_KINDS } from '../sync/layout';

export class TemplateList {
	readonly #docs: BoardDocs;
	readonly #subscribe: () => void;

	constructor(docs: BoardDocs) {
		this.#docs = docs;
		this.#subscribe = createSubscriber((update) => {
			const templates = docs.collection('templates');
			templates.observeDeep(update);
			return () => templates.unobserveDeep(update);
		});
	}

	/** Every valid template, by name (an invalid stored one is left out). */
	get current(): Template[] {
		this.#subscribe();
		const list: Template[] = [];
		for (const map of this.#docs.collection('templates').values()) {
			try {
				const parsed = Template.safeParse(readEntity(map, FIELD_KINDS.templates));
				if (parsed.success) list.push(parsed.data);
			} catch {
				// An entity the codec cannot read is not offered.
			}
		}
		return list.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
	}
}
