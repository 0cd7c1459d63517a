/**
 * Which documents exist: a board document `<boardId>`, its team documents
 * `<boardId>/team/<teamId>` and one personal document per person `<boardId>/person/<personId>`
 * (docs/schema.md, D1). Anything else is refused at the upgrade.
 */
import { Id } from '../../src/lib/domain/schema';
import type { DocumentKind } from '../../src/lib/sync/shape/contract';

export interface DocumentAddress {
	name: string;
	boardId: string;
	/** Null for the board document and personal documents. */
	teamId: string | null;
	/** Whose personal document this is; null for the board and team documents. */
	personId: string | null;
}

const MAX_NAME_LENGTH = 200;

/** Parses a document name, or explains in a sentence why it is not one. */
export function parseDocumentName(name: string): DocumentAddress | { error: string } {
	if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
		return { error: `a document name has 1 to ${MAX_NAME_LENGTH} characters` };
	}
	const parts = name.split('/');
	const valid = (id: string | undefined) => id !== undefined && Id.safeParse(id).success;
	if (parts.length === 1 && valid(parts[0])) {
		return { name, boardId: parts[0]!, teamId: null, personId: null };
	}
	if (parts.length === 3 && valid(parts[0]) && valid(parts[2])) {
		if (parts[1] === 'team') return { name, boardId: parts[0]!, teamId: parts[2]!, personId: null };
		if (parts[1] === 'person') {
			return { name, boardId: parts[0]!, teamId: null, personId: parts[2]! };
		}
	}
	return {
		error: `"${name.slice(0, 80)}" is not a document name: use <boardId>, <boardId>/team/<teamId> or <boardId>/person/<personId>, ids of letters, digits, "-" and "_"`
	};
}

/** The shape contract that applies to the document at `address` (docs/schema.md, D2). */
export function documentKind(address: DocumentAddress): DocumentKind {
	if (address.teamId !== null) return 'team';
	return address.personId !== null ? 'person' : 'board';
}
