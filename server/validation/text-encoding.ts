/**
 * Keeps a board document on contract 2's text encoding (docs/schema.md, D17): converts the
 * plain strings (and acceptance-criteria arrays) of a board stored before it, once, as the board
 * loads, and converts what a client of contract 1 writes as soon as it has been stored and
 * relayed, in a server transaction of its own. Every client then edits the same Y.Text.
 */
import * as Y from 'yjs';
import {
	convertTextFields,
	legacyTextFields,
	migrateBoardText,
	recordVersion,
	textKindsOf
} from '../../src/lib/sync/text-encoding';
import { FIELD_KINDS, META_KEY, type FieldKind } from '../../src/lib/sync/layout';
import type { ShapeLimits } from '../../src/lib/sync/shape/contract';
import type { Logger } from '../log';
import type { Room } from '../relay/room';
import { isServerWrite } from './origin';
import type { TransactionOrigin } from '../../src/lib/sync/layout';

type Kinds = Readonly<Record<string, FieldKind>>;

const MIGRATION_ORIGIN: TransactionOrigin = {
	kind: 'server-repair',
	actorId: null,
	intent: 'convertText'
};

export class TextEncodingKeeper {
	readonly #room: Room;
	readonly #log: Logger;
	readonly #limits: ShapeLimits | undefined;
	#closed = false;
	#attached = false;

	constructor(room: Room, log: Logger, limits?: ShapeLimits) {
		this.#room = room;
		this.#log = log;
		this.#limits = limits;
		room.loaded.then(
			() => {
				if (this.#closed) return;
				// Runs before any peer is sent the document: nobody sees the old encoding.
				let converted = 0;
				room.doc.transact(() => {
					converted = migrateBoardText(room.doc, this.#limits);
				}, MIGRATION_ORIGIN);
				if (converted > 0) {
					this.#log.info('converted the board to the text encoding of contract 2', { converted });
				}
				room.doc.on('afterTransaction', this.#onTransaction);
				this.#attached = true;
			},
			() => {}
		);
	}

	close(): void {
		this.#closed = true;
		if (this.#attached) this.#room.doc.off('afterTransaction', this.#onTransaction);
	}

	readonly #onTransaction = (tr: Y.Transaction): void => {
		if (isServerWrite(tr.origin) || !this.#room.peerOf(tr.origin)) return;
		const doc = this.#room.doc;
		const meta = doc.getMap(META_KEY);
		const pending: { entity: Y.Map<unknown>; kinds: Kinds; fields: string[] }[] = [];
		for (const [type, keys] of tr.changed) {
			if (!(type instanceof Y.Map)) continue;
			const kinds = type === meta ? FIELD_KINDS.meta : textKindsOf(doc, type._item?.parent);
			if (kinds === null) continue;
			const fields = legacyTextFields(type, kinds).filter((field) => keys.has(field));
			if (fields.length > 0 || type === meta) pending.push({ entity: type, kinds, fields });
		}
		if (pending.length === 0) return;
		// After this transaction has been stored and relayed, as a change of its own.
		queueMicrotask(() => {
			if (this.#closed || this.#room.state === 'closed') return;
			doc.transact(() => {
				for (const { entity, kinds, fields } of pending) {
					if (entity._item?.deleted) continue;
					// Only what is still legacy: a later write may have converted it already.
					const still = legacyTextFields(entity, kinds).filter((field) => fields.includes(field));
					convertTextFields(entity, kinds, still, this.#limits);
					if (entity === meta && meta.size > 0) recordVersion(meta);
				}
			}, MIGRATION_ORIGIN);
		});
	};
}
