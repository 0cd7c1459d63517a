import { describe, expect, test } from 'vitest';
import { AppliedSeqs } from '../../../server/relay/applied-seqs';

describe('the sequence numbers a room has applied', () => {
	const cases: [
		string,
		number,
		number[],
		{ contiguous: number; gap: boolean; missing: number[] }
	][] = [
		['a load only', 5, [], { contiguous: 5, gap: false, missing: [] }],
		['in order', 0, [1, 2, 3], { contiguous: 3, gap: false, missing: [] }],
		['one missing', 0, [1, 3, 4], { contiguous: 1, gap: true, missing: [2] }],
		['filled late', 0, [2, 3, 1], { contiguous: 3, gap: false, missing: [] }],
		['two holes', 4, [6, 8], { contiguous: 4, gap: true, missing: [5, 7] }],
		['below the load', 4, [2, 3], { contiguous: 4, gap: false, missing: [] }]
	];
	test.each(cases)('%s', (_what, loaded, added, expected) => {
		const seqs = new AppliedSeqs(loaded);
		for (const seq of added) seqs.add(seq);
		expect(seqs.contiguous).toBe(expected.contiguous);
		expect(seqs.hasGap).toBe(expected.gap);
		expect(seqs.missing()).toEqual(expected.missing);
	});

	test('a number applied twice is reported once', () => {
		const seqs = new AppliedSeqs();
		expect(seqs.add(2)).toBe(true);
		expect(seqs.add(2)).toBe(false);
		expect(seqs.has(2)).toBe(true);
		expect(seqs.has(1)).toBe(false);
	});

	test('a load from the store closes the gaps below its last number and keeps those above', () => {
		const seqs = new AppliedSeqs(1);
		for (const seq of [3, 5, 9]) seqs.add(seq);
		seqs.addThrough(6);
		expect(seqs.contiguous).toBe(6);
		expect(seqs.highest).toBe(9);
		expect(seqs.missing()).toEqual([7, 8]);
		seqs.add(7);
		seqs.add(8);
		expect(seqs.contiguous).toBe(9);
		expect(seqs.hasGap).toBe(false);
	});
});
