/**
 * Only its author changes a comment (docs/schema.md D6.13). Unlike a role-guarded field, which
 * the server can only record (A1), a comment names its author in the document, so the write
 * boundary can refuse, per connection, an update that creates a comment in someone else's name,
 * or changes, withdraws or removes a comment another person wrote. The update is refused whole,
 * like one that breaks the shape of the contract (docs/security.md), and nothing of it is stored
 * or relayed.
 *
 * Runs on updates the shape check accepted, so every struct an update refers to is either in
 * the update or already in the document.
 */
import * as Y from 'yjs';
import type { DecodedUpdate } from '../../src/lib/sync/shape/check-update';
import type { Violation } from '../../src/lib/sync/shape/contract';
import type { PeerPerson } from '../relay/room';
import { UpdateIndex } from './update-index';

const COMMENTS = 'comments';
const AUTHOR_FIELD = 'authorId';

/** The problem with `decoded` sent by `person` to the board document `doc`, or null. */
export function commentAuthorProblem(
	doc: Y.Doc,
	decoded: DecodedUpdate,
	person: PeerPerson
): Violation | null {
	const comments = doc.share.get(COMMENTS);
	const update = new UpdateIndex(doc, decoded);
	/** Comment id → what the update does to it. */
	const touched = new Map<string, Touch>();
	const touch = (id: string) => {
		let entry = touched.get(id);
		if (!entry) touched.set(id, (entry = { fields: new Set(), created: false, authors: [] }));
		return entry;
	};

	for (const struct of decoded.structs) {
		if (!(struct instanceof Y.Item) || update.integrated(struct)) continue;
		if (struct.content instanceof Y.ContentDeleted) continue;
		const place = update.written(COMMENTS, struct);
		if (!place) continue;
		const entry = touch(place.id);
		const field = place.path[0] ?? null;
		if (field === null) entry.created = true;
		else entry.fields.add(field);
		if (field === AUTHOR_FIELD && struct.content instanceof Y.ContentAny) {
			entry.authors.push(...struct.content.arr);
		}
	}
	for (const item of update.deletedItems()) {
		const place = update.removed(COMMENTS, item);
		if (place) touch(place.id).fields.add(place.path[0] ?? '');
	}

	for (const [id, { fields, created, authors }] of touched) {
		const stored = comments instanceof Y.Map ? comments.get(id) : undefined;
		const storedAuthor = stored instanceof Y.Map ? stored.get(AUTHOR_FIELD) : undefined;
		if (typeof storedAuthor === 'string' && storedAuthor !== person.id) {
			return refusal(id, 'only its author may change a comment; reply to it instead');
		}
		if (created) {
			// A new comment, or one written anew under a key: it names the person sending it.
			if (authors.length === 0 || authors.some((author) => author !== person.id)) {
				return refusal(id, `a new comment names its author, the person sending it (${person.id})`);
			}
		} else if (fields.has(AUTHOR_FIELD)) {
			return refusal(id, 'a comment keeps its author');
		}
	}
	return null;
}

/** What one update does to one comment. */
interface Touch {
	/** Fields it writes or deletes in the stored comment ('' for the comment itself). */
	fields: Set<string>;
	/** It writes the comment itself: a new one, or a replacement under the same key. */
	created: boolean;
	/** The author ids it writes. */
	authors: unknown[];
}

function refusal(id: string, problem: string): Violation {
	return { code: 'author', path: `${COMMENTS}/${id}`, problem };
}
