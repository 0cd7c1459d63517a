import * as prng from 'lib0/prng';
import { describe, expect, test } from 'vitest';
import { backlogPreview, PREVIEW_MAX_ROWS } from '../../../src/lib/domain/backlog-preview';
import { compareRanked } from '../../../src/lib/domain/order';
import { boardState, story, team } from '../../helpers/board-builder';

describe('backlogPreview', () => {
	test('gives the first stories in backlog order (rank, then id) among many in any order', () => {
		const gen = prng.create(7);
		const ranks = ['a0', 'a1', 'a2', 'a3', 'a4'];
		const stories = Array.from({ length: 500 }, (_, i) =>
			story({ id: `s-${i}`, rank: prng.oneOf(gen, ranks) })
		);
		const expected = [...stories].sort(compareRanked).slice(0, 40);
		const preview = backlogPreview(boardState({ stories }), 40);
		expect(preview.total).toBe(500);
		expect(preview.stories.map((s) => s.id)).toEqual(expected.map((s) => s.id));
	});

	test('names only the teams of the stories it holds, and never more rows than allowed', () => {
		const web = team({ id: 'web', name: 'Web' });
		const ops = team({ id: 'ops', name: 'Ops' });
		const stories = [
			story({ id: 'a', rank: 'a0', teamIds: ['web'] }),
			story({ id: 'b', rank: 'a1', teamIds: ['ops'] })
		];
		expect(backlogPreview(boardState({ stories, teams: [web, ops] }), 1).teams).toEqual([web]);
		const many = Array.from({ length: 300 }, (_, i) => story({ id: `s-${i}`, rank: 'a0' }));
		expect(backlogPreview(boardState({ stories: many }), 1_000).stories).toHaveLength(
			PREVIEW_MAX_ROWS
		);
		expect(backlogPreview(boardState({ stories: many }), 0).stories).toEqual([]);
	});
});
