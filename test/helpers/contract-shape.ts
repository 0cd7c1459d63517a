/**
 * An independent look at a document's shape, for tests of the write boundary: what a reader of
 * docs/schema.md (D1–D3) would check by hand, written without the relay's checker.
 */
import { expect } from 'vitest';
import * as Y from 'yjs';
import type { DocumentStore } from '../../server/store/store';
import {
	AUTHORSHIP_KEY,
	BOARD_COLLECTIONS,
	FINDINGS_KEY,
	META_KEY,
	RETRO_CARDS_KEY,
	RETRO_KEY,
	RETRO_VOTES_KEY,
	STANDUP_KEY
} from '../../src/lib/sync/layout';

/** The fields docs/schema.md (D3, D17) stores as a Y.Text, by root key. */
const TEXT_FIELDS: Record<string, string[]> = {
	meta: ['vision'],
	epics: ['description'],
	stories: ['asA', 'iWant', 'soThat', 'successMeasure', 'acceptanceCriteria'],
	workPackages: ['description'],
	sprints: ['goal'],
	standups: ['done', 'next', 'impediments'],
	impediments: ['description'],
	retro: ['text']
};

const ROOTS = {
	board: [META_KEY, ...BOARD_COLLECTIONS, FINDINGS_KEY, AUTHORSHIP_KEY],
	team: ['tasks', STANDUP_KEY, RETRO_KEY, RETRO_CARDS_KEY, RETRO_VOTES_KEY]
};

/** The document as the store holds it. */
export async function storedDoc(store: DocumentStore, name: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	for (const update of (await store.load(name)).updates) Y.applyUpdate(doc, update);
	return doc;
}

/**
 * Asserts that `doc` holds only contract roots, no Yjs type deeper than a mapList entry
 * (collection → entity → nested field → entry), Y.Texts of plain text only in text fields, no
 * findings of clients' making and no text longer than any field may hold.
 */
export function assertContractShape(doc: Y.Doc, kind: 'board' | 'team'): void {
	for (const [root, type] of [...doc.share]) {
		if (!isLive(type)) continue;
		expect(ROOTS[kind], `root key "${root}"`).toContain(root);
		expect(type._start, `root "${root}" holds list items`).toBeNull();
		// A root nobody opened yet is untyped; every root of the contract is a Y.Map.
		doc.getMap(root);
	}
	const findings = doc.share.has(FINDINGS_KEY) ? doc.getMap(FINDINGS_KEY) : null;
	for (const key of findings?.keys() ?? []) expect(['list', 'updatedAt']).toContain(key);
	const stack: { value: unknown; depth: number; path: string }[] = [];
	for (const [root, type] of doc.share) {
		if (isLive(type)) stack.push({ value: type, depth: 0, path: root });
	}
	while (stack.length > 0) {
		const { value, depth, path } = stack.pop()!;
		if (typeof value === 'string') {
			expect(value.length, path).toBeLessThanOrEqual(10_000);
			continue;
		}
		if (!(value instanceof Y.AbstractType)) continue;
		if (value instanceof Y.Text) {
			// D17: only where a text field is, holding plain text within the bound.
			const [root, , field] = path.split('/');
			const at = root === META_KEY ? path.split('/')[1] : field;
			const fieldDepth = root === META_KEY ? 1 : 2;
			expect(depth, `${path} is a Y.Text where no text field is`).toBe(fieldDepth);
			expect(TEXT_FIELDS[root!] ?? [], `${path} is a Y.Text where no text field is`).toContain(at);
			expect(value.length, path).toBeLessThanOrEqual(10_000);
			for (const op of value.toDelta() as { insert: unknown; attributes?: unknown }[]) {
				expect(typeof op.insert, `${path} holds something other than text`).toBe('string');
				expect(op.attributes, `${path} holds formatting`).toBeUndefined();
			}
			continue;
		}
		expect(depth, `${path} nests Yjs types too deep`).toBeLessThanOrEqual(3);
		if (value instanceof Y.Map) {
			value.forEach((child, key) =>
				stack.push({ value: child, depth: depth + 1, path: `${path}/${key}` })
			);
		} else if (value instanceof Y.Array) {
			value.forEach((child) => stack.push({ value: child, depth: depth + 1, path: `${path}[]` }));
		}
	}
}

/** Whether a root holds anything not deleted. */
function isLive(type: Y.Doc['share'] extends Map<string, infer T> ? T : never): boolean {
	return type._length > 0 || [...type._map.values()].some((item) => !item.deleted);
}
