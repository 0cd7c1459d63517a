import { describe, expect, test } from 'vitest';
import {
	canEditComment,
	completeMention,
	mentionedIds,
	mentionQuery,
	mentionsOf,
	mentionSuggestions,
	threadOf
} from '../../../src/lib/domain/comments';
import { Comment } from '../../../src/lib/domain/schema';

const comment = (fields: Partial<Comment> & { id: string }): Comment =>
	Comment.parse({
		targetKind: 'story',
		targetId: 's1',
		parentId: null,
		authorId: 'ana',
		body: `Comment ${fields.id}`,
		mentions: [],
		createdAt: '2026-11-23T09:00:00.000Z',
		editedAt: null,
		...fields
	});
const at = (minute: number) => `2026-11-23T09:${String(minute).padStart(2, '0')}:00.000Z`;

describe('threads', () => {
	test('threads oldest first, each reply after what it answers, nested by depth', () => {
		const comments = [
			comment({ id: 'b', createdAt: at(2) }),
			comment({ id: 'a', createdAt: at(1) }),
			comment({ id: 'a2', parentId: 'a', createdAt: at(5) }),
			comment({ id: 'a1', parentId: 'a', createdAt: at(3) }),
			comment({ id: 'a1x', parentId: 'a1', createdAt: at(4) }),
			comment({ id: 'other', targetId: 's2', createdAt: at(0) })
		];
		expect(threadOf(comments, 'story', 's1').map((t) => [t.comment.id, t.depth])).toEqual([
			['a', 0],
			['a1', 1],
			['a1x', 2],
			['a2', 1],
			['b', 0]
		]);
	});

	test('a reply to a missing comment, another target, or in a cycle starts its own thread', () => {
		const comments = [
			comment({ id: 'orphan', parentId: 'gone', createdAt: at(1) }),
			comment({ id: 'x', parentId: 'y', createdAt: at(2) }),
			comment({ id: 'y', parentId: 'x', createdAt: at(3) }),
			comment({ id: 'self', parentId: 'self', createdAt: at(4) }),
			comment({ id: 'elsewhere', targetId: 's2' }),
			comment({ id: 'cross', parentId: 'elsewhere', createdAt: at(5) })
		];
		const ids = threadOf(comments, 'story', 's1').map((t) => t.comment.id);
		expect(ids.sort()).toEqual(['cross', 'orphan', 'self', 'x', 'y']);
	});
});

describe('mentions', () => {
	const people = [
		{ id: 'ana', name: 'Ana' },
		{ id: 'anabel', name: 'Anabel' },
		{ id: 'priya', name: 'Priya (PO)' },
		{ id: 'ana2', name: 'ana' }
	];
	const rows: { body: string; picked?: string[]; ids: string[] }[] = [
		{ body: 'Hi @Anabel', ids: ['anabel'] },
		{ body: '@Priya (PO), see this', ids: ['priya'] },
		{ body: 'mail ana@Anabel.com', ids: [] },
		{ body: '@Ana, and @Anabel', picked: ['ana'], ids: ['ana', 'anabel'] },
		{ body: '@ana: both namesakes when none was picked', ids: ['ana', 'ana2'] },
		{ body: 'no mention of Ana', ids: [] }
	];
	test.each(rows)('"$body" mentions $ids', ({ body, picked, ids }) => {
		expect(mentionedIds(body, people, picked)).toEqual(ids);
	});

	test('the mention being typed, its suggestions, and completing it', () => {
		expect(mentionQuery('Hi @An', 6)).toEqual({ start: 3, query: 'An' });
		expect(mentionQuery('Hi @An', 2)).toBeNull();
		expect(mentionQuery('mail a@b', 8)).toBeNull();
		expect(mentionQuery('@\nx', 3)).toBeNull();
		expect(mentionSuggestions('an', people).map((p) => p.id)).toEqual(['ana2', 'ana', 'anabel']);
		expect(mentionSuggestions('PO', people).map((p) => p.id)).toEqual(['priya']);
		expect(completeMention('Hi @An!', { start: 3, query: 'An' }, 6, 'Anabel')).toEqual({
			body: 'Hi @Anabel !',
			caret: 11
		});
	});

	test('notices: others mentioning me, standing comments only, newest (or last edited) first', () => {
		const notices = mentionsOf(
			[
				comment({ id: 'old', mentions: ['ben'], createdAt: at(1) }),
				comment({ id: 'edited', mentions: ['ben'], createdAt: at(0), editedAt: at(9) }),
				comment({ id: 'mine', authorId: 'ben', mentions: ['ben'], createdAt: at(5) }),
				comment({ id: 'gone', mentions: [], body: '', deletedAt: at(6) }),
				comment({ id: 'others', mentions: ['cy'], createdAt: at(7) })
			],
			'ben'
		);
		expect(notices.map((n) => [n.id, n.at])).toEqual([
			['edited', at(9)],
			['old', at(1)]
		]);
	});

	test('only its author edits a comment, and not once withdrawn', () => {
		expect(canEditComment(comment({ id: 'c' }), 'ana')).toBe(true);
		expect(canEditComment(comment({ id: 'c' }), 'ben')).toBe(false);
		expect(canEditComment(comment({ id: 'c' }), null)).toBe(false);
		expect(canEditComment(comment({ id: 'c', deletedAt: at(1) }), 'ana')).toBe(false);
	});
});
