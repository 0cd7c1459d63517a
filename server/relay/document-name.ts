/**
 * Which documents exist: a board document `<boardId>` and its team documents
 * `<boardId>/team/<teamId>` (docs/schema.md, D1). Anything else is refused at the upgrade.
 */
import { Id } from '../../src/lib/domain/schema';

export interface DocumentAddress {
	name: string;
	boardId: string;
	/** Null for the board document. */
	teamId: string | null;
}

const MAX_NAME_LENGTH = 200;

/** Parses a document name, or explains in a sentence why it is not one. */
export function parseDocumentName(name: string): DocumentAddress | { error: string } {
	if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
		return { error: `a document name has 1 to ${MAX_NAME_LENGTH} characters` };
	}
	const parts = name.split('/');
	const valid = (id: string | undefined) => id !== undefined && Id.safeParse(id).success;
	if (parts.length === 1 && valid(parts[0])) return { name, boardId: parts[0]!, teamId: null };
	if (parts.length === 3 && valid(parts[0]) && parts[1] === 'team' && valid(parts[2])) {
		return { name, boardId: parts[0]!, teamId: parts[2]! };
	}
	return {
		error: `"${name.slice(0, 80)}" is not a document name: use <boardId> or <boardId>/team/<teamId>, ids of letters, digits, "-" and "_"`
	};
}
