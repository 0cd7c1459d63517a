/**
 * What every operation needs besides the documents: who acts, the clock and an id source. Tests
 * inject deterministic ones; the app uses the defaults.
 */
import { Map as YMap } from 'yjs';
import type * as Y from 'yjs';
import { ScrumOpsError } from '../../domain/errors';
import { ENTITY_LABELS, schemaOf, type Collection, type EntityOf } from '../../domain/schema';
import { EncodingError, readEntity } from '../codec';
import { FIELD_KINDS, LocalEdit, type EditScope } from '../layout';

export interface OpContext {
	/** The acting person, or null for system actions (seeding, repairs). */
	actorId: string | null;
	/** The current instant as an ISO string. */
	now(): string;
	/** A fresh id, unique across replicas. */
	newId(): string;
	/** The view and write this intent belongs to, for the person's undo history in that view. */
	readonly scope?: EditScope;
}

/**
 * An OpContext with random ids and a clock: the wall clock, or (in the app) the shared clock, so
 * instants written from browsers whose clocks disagree (SLA windows, timestamps) still agree.
 */
export function liveContext(actorId: string | null, clock: () => number = Date.now): OpContext {
	return {
		actorId,
		now: () => new Date(clock()).toISOString(),
		newId: () => crypto.randomUUID().replaceAll('-', '').slice(0, 20)
	};
}

/**
 * `base` with its instants taken from the shared clock (standup writes): start and step instants
 * then agree on every screen, whatever each machine's own clock says.
 */
export function onSharedClock(base: OpContext, clock: { readonly now: number }): OpContext {
	return {
		get actorId() {
			return base.actorId;
		},
		now: () => new Date(clock.now).toISOString(),
		newId: () => base.newId(),
		get scope() {
			return base.scope;
		}
	};
}

/** `base` writing as part of `scope`: one write of the person, in one view. */
export function inScope(base: OpContext, scope: EditScope): OpContext {
	return {
		get actorId() {
			return base.actorId;
		},
		now: () => base.now(),
		newId: () => base.newId(),
		scope
	};
}

/** Runs `fn` as one transaction of `doc`, labelled with the intent and the actor. */
export function transact<T>(doc: Y.Doc, ctx: OpContext, intent: string, fn: () => T): T {
	const origin = new LocalEdit(ctx.actorId, intent, ctx.scope);
	let result!: T;
	doc.transact(() => {
		result = fn();
	}, origin);
	return result;
}

/** Reads and parses one stored entity, or throws naming what is missing. */
export function readStored<C extends Collection>(
	map: Y.Map<Y.Map<unknown>>,
	collection: C,
	id: string
): EntityOf<C> {
	const stored = map.get(id);
	if (!stored)
		throw new ScrumOpsError(`No ${ENTITY_LABELS[collection]} with id "${id}" on this board.`);
	const invalid = (reason: string | undefined) =>
		new ScrumOpsError(
			`The stored ${ENTITY_LABELS[collection]} "${id}" is invalid (${reason}); fix or recreate it first.`
		);
	if (!(stored instanceof YMap)) throw invalid('it is not a Y.Map');
	let plain: Record<string, unknown>;
	try {
		plain = readEntity(stored, FIELD_KINDS[collection]);
	} catch (error) {
		throw invalid(error instanceof EncodingError ? error.message : String(error));
	}
	const parsed = schemaOf(collection).safeParse(plain);
	if (!parsed.success) throw invalid(parsed.error.issues[0]?.message);
	return parsed.data;
}

/**
 * The board settings as stored, not yet checked by the Board schema, read within the contract's
 * limits; throws a ScrumOpsError saying why when they cannot be read.
 */
export function readSettings(meta: Y.Map<unknown>): Record<string, unknown> {
	try {
		return readEntity(meta, FIELD_KINDS.meta);
	} catch (error) {
		const reason = error instanceof EncodingError ? error.message : String(error);
		throw new ScrumOpsError(
			`The stored board settings cannot be read (${reason}); ask the board's admin to repair the board, then try again.`
		);
	}
}

/** The entity's Y.Map, or a clear error. */
export function storedMap(
	map: Y.Map<Y.Map<unknown>>,
	collection: Collection,
	id: string
): Y.Map<unknown> {
	const stored = map.get(id);
	if (!stored)
		throw new ScrumOpsError(`No ${ENTITY_LABELS[collection]} with id "${id}" on this board.`);
	return stored;
}
