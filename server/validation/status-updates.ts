/**
 * Who speaks for an incident (docs/schema.md D6.6): a status update is posted by the incident's
 * commander or communications lead, in their own name, and once posted it is the record
 * stakeholders read, so nobody rewrites or removes it. The write boundary refuses, per
 * connection, an update that adds a status update for someone else or by someone without the
 * role, or changes or removes one already posted. Refused whole, like a change to another
 * person's comment (comment-authors.ts).
 */
import * as Y from 'yjs';
import type { DecodedUpdate } from '../../src/lib/sync/shape/check-update';
import type { Violation } from '../../src/lib/sync/shape/contract';
import type { PeerPerson } from '../relay/room';
import { UpdateIndex } from './update-index';

const WORK_PACKAGES = 'workPackages';
const UPDATES_FIELD = 'statusUpdates';
const ROLE_FIELDS = ['commanderId', 'commsLeadId'] as const;

/** What one update does to one work package's status updates. */
interface Touch {
	/** It adds an entry (a new status update). */
	posts: boolean;
	/** It changes or removes something already posted. */
	rewrites: boolean;
	/** The `personId`s the new entries name. */
	authors: unknown[];
	/** Roles the same update gives (so a commander named offline may post in the same update). */
	roles: Partial<Record<(typeof ROLE_FIELDS)[number], unknown>>;
}

/** The problem with `decoded` sent by `person` to the board document `doc`, or null. */
export function statusUpdateProblem(
	doc: Y.Doc,
	decoded: DecodedUpdate,
	person: PeerPerson
): Violation | null {
	const update = new UpdateIndex(doc, decoded);
	const touched = new Map<string, Touch>();
	const touch = (id: string) => {
		let entry = touched.get(id);
		if (!entry) {
			touched.set(id, (entry = { posts: false, rewrites: false, authors: [], roles: {} }));
		}
		return entry;
	};
	const stored = (id: string): Y.Map<unknown> | undefined => {
		const collection = doc.share.get(WORK_PACKAGES);
		const map = collection instanceof Y.Map ? collection.get(id) : undefined;
		return map instanceof Y.Map ? map : undefined;
	};
	const storedUpdates = (id: string) => {
		const list = stored(id)?.get(UPDATES_FIELD);
		return list instanceof Y.Array && list.length > 0 ? list : null;
	};

	for (const struct of decoded.structs) {
		if (!(struct instanceof Y.Item) || update.integrated(struct)) continue;
		if (struct.content instanceof Y.ContentDeleted) continue;
		const place = update.written(WORK_PACKAGES, struct);
		if (!place) continue;
		const [field, position, entryField] = place.path;
		const values = struct.content instanceof Y.ContentAny ? struct.content.arr : [];
		if (place.path.length === 1 && ROLE_FIELDS.includes(field as (typeof ROLE_FIELDS)[number])) {
			touch(place.id).roles[field as (typeof ROLE_FIELDS)[number]] = values.at(-1);
			continue;
		}
		if (field !== UPDATES_FIELD) continue;
		const entry = touch(place.id);
		if (place.path.length === 1) {
			// The list itself, written anew: fine for a first post, a rewrite if posts exist.
			if (storedUpdates(place.id)) entry.rewrites = true;
		} else if (place.path.length === 2 && position === null) {
			entry.posts = true;
		} else if (place.path.length === 3) {
			// A field of an entry: of a new entry (its parent is in the update) or a posted one.
			const parent = update.parentOf(struct);
			if (parent?.kind === 'stored') entry.rewrites = true;
			else if (entryField === 'personId') entry.authors.push(...values);
		}
	}
	for (const item of update.deletedItems()) {
		const place = update.removed(WORK_PACKAGES, item);
		if (!place || place.path[0] !== UPDATES_FIELD) continue;
		if (place.path.length > 1 || storedUpdates(place.id)) touch(place.id).rewrites = true;
	}

	for (const [id, { posts, rewrites, authors, roles }] of touched) {
		if (rewrites) {
			return refusal(id, 'a status update, once posted, stays as it was: post a new one');
		}
		if (!posts) continue;
		if (authors.length === 0 || authors.some((author) => author !== person.id)) {
			return refusal(
				id,
				`a status update names who posts it, the person sending it (${person.id})`
			);
		}
		const wp = stored(id);
		const speakers = ROLE_FIELDS.map((field) => (field in roles ? roles[field] : wp?.get(field)));
		if (!speakers.includes(person.id)) {
			return refusal(
				id,
				'only the incident commander or the communications lead posts its status updates'
			);
		}
	}
	return null;
}

function refusal(id: string, problem: string): Violation {
	return { code: 'speaker', path: `${WORK_PACKAGES}/${id}/${UPDATES_FIELD}`, problem };
}
