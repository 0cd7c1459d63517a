/**
 * Backlog and column order by fractional index keys. Each item carries its own `rank`, so a
 * concurrent move of the same item is a last-writer-wins on one field: it can never duplicate or
 * drop an item. Concurrent inserts at the same spot may produce equal ranks; ties sort by id and
 * are spread apart the next time someone places an item between them.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

export interface Ranked {
	id: string;
	rank: string;
}

/** Backlog order: rank, then id for ties. Plain code-unit comparison, never locale-dependent. */
export function compareRanked(a: Ranked, b: Ranked): number {
	if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether `rank` is a well-formed fractional-index key (ranks come from other replicas). */
export function isValidRank(rank: string): boolean {
	try {
		generateKeyBetween(rank, null);
		return true;
	} catch {
		return false;
	}
}

/** A rank after every item of `ordered` (sorted by compareRanked). */
export function rankAtEnd(ordered: readonly Ranked[]): string {
	return generateKeyBetween(ordered.at(-1)?.rank ?? null, null);
}

export interface Placement {
	/** The rank for the item being placed. */
	rank: string;
	/** Tied neighbours that must move too so that the placement lands where asked. */
	respaced: Ranked[];
}

/**
 * The rank that puts an item at position `index` of `ordered` (sorted, without the item itself).
 */
export function placeAt(ordered: readonly Ranked[], index: number): Placement {
	if (!Number.isInteger(index) || index < 0 || index > ordered.length) {
		throw new RangeError(`position ${index} is outside the list of ${ordered.length} items`);
	}
	const prev = ordered[index - 1];
	const next = ordered[index];
	if (!prev || !next || prev.rank < next.rank) {
		return { rank: generateKeyBetween(prev?.rank ?? null, next?.rank ?? null), respaced: [] };
	}
	// `next` ties with `prev`: give the new item and the tied run fresh keys below the first
	// strictly greater rank, keeping their relative order.
	let end = index;
	while (end < ordered.length && ordered[end]!.rank === prev.rank) end++;
	const upper = ordered[end]?.rank ?? null;
	const keys = generateNKeysBetween(prev.rank, upper, end - index + 1);
	return {
		rank: keys[0]!,
		respaced: ordered.slice(index, end).map((item, i) => ({ id: item.id, rank: keys[i + 1]! }))
	};
}
