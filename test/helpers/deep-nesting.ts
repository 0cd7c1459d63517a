/** Structures nested deeper than Yjs can read, delete or integrate in one go, for tests. */
import * as Y from 'yjs';

/**
 * Nests `depth` Y.Maps under `key` of `parent`, one level at a time: each new map is set into an
 * integrated one, because Yjs integrates a prelim map holding another recursively.
 */
export function nestDeep(parent: Y.Map<unknown>, key: string, depth: number): void {
	const nest = () => {
		let level = parent;
		for (let i = 0; i < depth; i++) {
			const next = new Y.Map<unknown>();
			level.set(key, next);
			level = next;
		}
	};
	// One transaction: Yjs notifies every level's ancestors per transaction.
	if (parent.doc) parent.doc.transact(nest);
	else nest();
}
