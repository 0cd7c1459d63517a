/**
 * Backlog and column order by fractional index keys: where `placeAt` puts an item, how it spreads
 * apart ties left by concurrent inserts, and how `compareRanked` and `rankAtEnd` order a list.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import { describe, expect, test } from 'vitest';
import { compareRanked, placeAt, rankAtEnd, type Ranked } from '../../../src/lib/domain/order';

/** Five items A…E with distinct, increasing ranks. */
const DISTINCT: Ranked[] = generateNKeysBetween(null, null, 5).map((rank, i) => ({
	id: 'ABCDE'[i]!,
	rank
}));

/**
 * Two replicas inserted at the same spot concurrently: B, C and D share one rank, between A and
 * E. Ties sort by id.
 */
const [LOW, TIED, HIGH] = generateNKeysBetween(null, null, 3) as [string, string, string];
const WITH_TIES: Ranked[] = [
	{ id: 'A', rank: LOW },
	{ id: 'B', rank: TIED },
	{ id: 'C', rank: TIED },
	{ id: 'D', rank: TIED },
	{ id: 'E', rank: HIGH }
];

/** The ids in order after placing `newId` with `placeAt(ordered, index)` and its respacing. */
function idsAfterPlacing(ordered: readonly Ranked[], index: number, newId = 'new'): string[] {
	const { rank, respaced } = placeAt(ordered, index);
	const moved = new Map(respaced.map((r) => [r.id, r.rank]));
	const next = ordered.map((item) => ({ id: item.id, rank: moved.get(item.id) ?? item.rank }));
	next.push({ id: newId, rank });
	return next.sort(compareRanked).map((item) => item.id);
}

function ids(ordered: readonly Ranked[]): string[] {
	return ordered.map((item) => item.id);
}

describe('compareRanked', () => {
	test.each([
		{ a: { id: 'x', rank: 'a0' }, b: { id: 'y', rank: 'a1' }, sign: -1, why: 'lower rank first' },
		{ a: { id: 'a', rank: 'a2' }, b: { id: 'b', rank: 'a1' }, sign: 1, why: 'rank beats id' },
		{ a: { id: 'a', rank: 'a1' }, b: { id: 'b', rank: 'a1' }, sign: -1, why: 'ties by id' },
		{ a: { id: 'b', rank: 'a1' }, b: { id: 'a', rank: 'a1' }, sign: 1, why: 'ties by id' },
		{ a: { id: 'a', rank: 'a1' }, b: { id: 'a', rank: 'a1' }, sign: 0, why: 'same item' },
		// Fractional keys use 0-9A-Za-z: upper case sorts before lower case by code unit, unlike
		// a locale comparison.
		{ a: { id: 'x', rank: 'a0V' }, b: { id: 'y', rank: 'a0a' }, sign: -1, why: 'code units' },
		{ a: { id: 'Z', rank: 'a1' }, b: { id: 'a', rank: 'a1' }, sign: -1, why: 'id code units' }
	])('$a.rank/$a.id vs $b.rank/$b.id → $sign ($why)', ({ a, b, sign }) => {
		expect(Math.sign(compareRanked(a, b))).toBe(sign);
	});

	test('sorting a shuffled backlog gives rank order, ties by id', () => {
		const shuffled = [WITH_TIES[3]!, WITH_TIES[4]!, WITH_TIES[1]!, WITH_TIES[0]!, WITH_TIES[2]!];
		expect(ids([...shuffled].sort(compareRanked))).toEqual(['A', 'B', 'C', 'D', 'E']);
	});
});

describe('rankAtEnd', () => {
	test.each([
		{ name: 'an empty list', ordered: [] as Ranked[] },
		{ name: 'distinct ranks', ordered: DISTINCT },
		{ name: 'a list ending in a tie', ordered: WITH_TIES.slice(0, 4) }
	])('the new item sorts after every item of $name', ({ ordered }) => {
		const rank = rankAtEnd(ordered);
		const next = [...ordered, { id: '0-sorts-first-on-ties', rank }].sort(compareRanked);
		expect(next.at(-1)!.rank).toBe(rank);
		for (const item of ordered) expect(rank > item.rank).toBe(true);
	});
});

describe('placeAt on distinct ranks', () => {
	test.each([
		{ where: 'the top', index: 0, expected: ['new', 'A', 'B', 'C', 'D', 'E'] },
		{ where: 'the second place', index: 1, expected: ['A', 'new', 'B', 'C', 'D', 'E'] },
		{ where: 'the middle', index: 3, expected: ['A', 'B', 'C', 'new', 'D', 'E'] },
		{ where: 'the last but one place', index: 4, expected: ['A', 'B', 'C', 'D', 'new', 'E'] },
		{ where: 'the bottom', index: 5, expected: ['A', 'B', 'C', 'D', 'E', 'new'] }
	])(
		'placing at $where (index $index) lands there and moves nobody else',
		({ index, expected }) => {
			expect(idsAfterPlacing(DISTINCT, index)).toEqual(expected);
			expect(placeAt(DISTINCT, index).respaced).toEqual([]);
		}
	);

	test('placing into an empty list gives a valid first rank', () => {
		const { rank, respaced } = placeAt([], 0);
		expect(rank).toBe(rankAtEnd([]));
		expect(respaced).toEqual([]);
	});
});

describe('placeAt between items tied by concurrent inserts', () => {
	test.each([
		{ index: 0, expected: ['new', 'A', 'B', 'C', 'D', 'E'], respaced: [] },
		{ index: 1, expected: ['A', 'new', 'B', 'C', 'D', 'E'], respaced: [] },
		{ index: 2, expected: ['A', 'B', 'new', 'C', 'D', 'E'], respaced: ['C', 'D'] },
		{ index: 3, expected: ['A', 'B', 'C', 'new', 'D', 'E'], respaced: ['D'] },
		{ index: 4, expected: ['A', 'B', 'C', 'D', 'new', 'E'], respaced: [] },
		{ index: 5, expected: ['A', 'B', 'C', 'D', 'E', 'new'], respaced: [] }
	])(
		'placing at index $index lands exactly there; respaced: $respaced',
		({ index, expected, respaced }) => {
			expect(idsAfterPlacing(WITH_TIES, index)).toEqual(expected);
			expect(ids(placeAt(WITH_TIES, index).respaced)).toEqual(respaced);
		}
	);

	test('the respaced tied items keep their relative order and stay below the next rank', () => {
		const { rank, respaced } = placeAt(WITH_TIES, 2);
		const ranks = [rank, ...respaced.map((r) => r.rank)];
		expect([...ranks].sort()).toEqual(ranks);
		expect(new Set(ranks).size).toBe(ranks.length);
		expect(ranks.every((r) => r > TIED && r < HIGH)).toBe(true);
	});

	test('a tie at the very bottom is spread out without an upper bound', () => {
		const tiedAtEnd: Ranked[] = [
			{ id: 'A', rank: LOW },
			{ id: 'B', rank: TIED },
			{ id: 'C', rank: TIED },
			{ id: 'D', rank: TIED }
		];
		expect(idsAfterPlacing(tiedAtEnd, 2)).toEqual(['A', 'B', 'new', 'C', 'D']);
		expect(ids(placeAt(tiedAtEnd, 2).respaced)).toEqual(['C', 'D']);
	});

	test('a new item whose id sorts first still lands after the tied item above it', () => {
		// With a plain "rank between" the new item would get B's rank and, as "0", sort before B.
		expect(idsAfterPlacing(WITH_TIES, 2, '0')).toEqual(['A', 'B', '0', 'C', 'D', 'E']);
	});

	test('after one placement the former tie is spread: the next placement needs no respacing', () => {
		const first = placeAt(WITH_TIES, 2);
		const moved = new Map(first.respaced.map((r) => [r.id, r.rank]));
		const after = [
			...WITH_TIES.map((item) => ({ ...item, rank: moved.get(item.id) ?? item.rank })),
			{ id: 'X', rank: first.rank }
		].sort(compareRanked);
		expect(ids(after)).toEqual(['A', 'B', 'X', 'C', 'D', 'E']);
		expect(idsAfterPlacing(after, 4, 'Y')).toEqual(['A', 'B', 'X', 'C', 'Y', 'D', 'E']);
		expect(placeAt(after, 4).respaced).toEqual([]);
	});
});

describe('placeAt refuses positions outside the list', () => {
	test.each([
		{ index: -1, why: 'negative' },
		{ index: 6, why: 'past the end' },
		{ index: 1.5, why: 'not an integer' },
		{ index: Number.NaN, why: 'not a number' }
	])('position $index ($why) throws a RangeError naming it', ({ index }) => {
		expect(() => placeAt(DISTINCT, index)).toThrow(RangeError);
		expect(() => placeAt(DISTINCT, index)).toThrow(
			`position ${index} is outside the list of 5 items`
		);
	});
});
