/**
 * Comments and assignees through the operations and back through the projection, and what a
 * board written by an earlier client (contract 1.1: no comments, no work package assignee)
 * reads as.
 */
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

function demo() {
	const docs = new BoardDocs('acme');
	const ids = seedDemoBoard(docs, fixedContext('seed'), '2026-11-23');
	const view = new BoardProjection(docs, { now: NOW });
	const as = (person: keyof typeof ids.people) => fixedContext(person, ids.people[person], NOW);
	return { docs, ids, view, as };
}

/** Every document's content, to show a refused intent wrote nothing. */
function contents(docs: BoardDocs): unknown {
	return [docs.board, ...docs.teams().values()].map((doc) => Y.encodeStateVector(doc));
}

describe('[D6.13] comments', () => {
	test('a comment, a reply and an edit read back as written, with the mentions kept', () => {
		const { docs, ids, view, as } = demo();
		const first = op.addComment(docs, as('ana'), {
			targetKind: 'story',
			targetId: ids.stories.checkout,
			body: '  Looks good, @Ben  ',
			mentions: [ids.people.ben, ids.people.ben, 'nobody-here']
		});
		expect(view.state.comments.get(first.id)).toEqual({
			id: first.id,
			targetKind: 'story',
			targetId: ids.stories.checkout,
			parentId: null,
			authorId: ids.people.ana,
			body: 'Looks good, @Ben',
			mentions: [ids.people.ben],
			createdAt: first.createdAt,
			editedAt: null,
			deletedAt: null
		});
		const reply = op.addComment(docs, as('ben'), {
			targetKind: 'story',
			targetId: ids.stories.checkout,
			parentId: first.id,
			body: 'Thanks'
		});
		expect(view.state.comments.get(reply.id)?.parentId).toBe(first.id);

		const edited = op.editComment(docs, as('ana'), first.id, { body: 'Looks great', mentions: [] });
		expect(view.state.comments.get(first.id)).toMatchObject({
			body: 'Looks great',
			mentions: [],
			editedAt: edited.editedAt
		});
		expect(edited.editedAt).not.toBeNull();

		op.deleteComment(docs, as('ana'), first.id);
		expect(view.state.comments.get(first.id)).toMatchObject({
			body: '',
			deletedAt: expect.any(String)
		});
		expect(view.state.comments.get(reply.id)?.body).toBe('Thanks');
		expect([...view.rejected]).toEqual([]);
	});

	const refusals: {
		name: string;
		run: (d: ReturnType<typeof demo>, commentId: string) => unknown;
		says: RegExp;
	}[] = [
		{
			name: 'an empty comment',
			run: ({ docs, ids, as }) =>
				op.addComment(docs, as('ana'), {
					targetKind: 'story',
					targetId: ids.stories.search,
					body: '   '
				}),
			says: /A comment needs some text/
		},
		{
			name: 'a comment longer than 10,000 characters',
			run: ({ docs, ids, as }) =>
				op.addComment(docs, as('ana'), {
					targetKind: 'workPackage',
					targetId: ids.incident,
					body: 'x'.repeat(10_001)
				}),
			says: /10001 characters is longer than the 10000 allowed/
		},
		{
			name: 'a comment without an author',
			run: ({ docs, ids }) =>
				op.addComment(docs, fixedContext('sys'), {
					targetKind: 'story',
					targetId: ids.stories.search,
					body: 'Hi'
				}),
			says: /A comment needs an author/
		},
		{
			name: 'a comment on a story that is not there',
			run: ({ docs, as }) =>
				op.addComment(docs, as('ana'), { targetKind: 'story', targetId: 'gone', body: 'Hi' }),
			says: /No story with id "gone"/
		},
		{
			name: 'a reply filed on another story than what it answers',
			run: ({ docs, ids, as }, commentId) =>
				op.addComment(docs, as('ben'), {
					targetKind: 'story',
					targetId: ids.stories.search,
					parentId: commentId,
					body: 'Hi'
				}),
			says: /reply on the same story or work package/
		},
		{
			name: "an edit of someone else's comment",
			run: ({ docs, as }, commentId) =>
				op.editComment(docs, as('ben'), commentId, { body: 'Mine now' }),
			says: /Only Ana can change this comment; reply to it instead/
		},
		{
			name: "withdrawing someone else's comment",
			run: ({ docs, as }, commentId) => op.deleteComment(docs, as('ben'), commentId),
			says: /Only Ana can change this comment/
		}
	];

	test.each(refusals)('refuses $name, writing nothing', ({ run, says }) => {
		const board = demo();
		const comment = op.addComment(board.docs, board.as('ana'), {
			targetKind: 'story',
			targetId: board.ids.stories.checkout,
			body: 'First'
		});
		const before = contents(board.docs);
		expect(() => run(board, comment.id)).toThrow(says);
		expect(contents(board.docs)).toEqual(before);
	});

	test('a comment and a reply written with yjs alone, as docs/schema.md describes, read back', () => {
		const { docs, ids, view } = demo();
		const ymap = (fields: Record<string, unknown>) => {
			const map = new Y.Map<unknown>();
			for (const [key, value] of Object.entries(fields)) map.set(key, value);
			return map;
		};
		const comment = (id: string, parentId: string | null, body: string, mentions: string[]) =>
			ymap({
				id,
				targetKind: 'workPackage',
				targetId: ids.incident,
				parentId,
				authorId: ids.people.ana,
				body,
				mentions: ymap(Object.fromEntries(mentions.map((m) => [m, true]))),
				createdAt: '2026-11-23T09:30:00.000Z',
				editedAt: null
			});
		docs.board.transact(() => {
			const comments = docs.board.getMap('comments');
			comments.set('c-1', comment('c-1', null, 'Rolled back @Ben', [ids.people.ben]));
			comments.set('c-2', comment('c-2', 'c-1', 'Verified', []));
		});
		expect([...view.rejected]).toEqual([]);
		expect(view.state.comments.get('c-1')).toMatchObject({
			mentions: [ids.people.ben],
			deletedAt: null
		});
		expect(view.state.comments.get('c-2')?.parentId).toBe('c-1');
	});

	test('a board without a comments collection (contract 1.1) reads as one without comments', () => {
		const docs = new BoardDocs('acme');
		seedDemoBoard(docs, fixedContext('seed'), '2026-11-23');
		expect(docs.board.share.has('comments')).toBe(false);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(docs.board));
		const view = new BoardProjection(new BoardDocs('acme', copy), { now: NOW });
		expect(view.state.comments.size).toBe(0);
		expect([...view.rejected]).toEqual([]);
	});

	test('a comment missing a required field, or with mentions stored as a list, is rejected alone', () => {
		const { docs, ids, view, as } = demo();
		const good = op.addComment(docs, as('ana'), {
			targetKind: 'story',
			targetId: ids.stories.checkout,
			body: 'Fine'
		});
		docs.board.transact(() => {
			const noAuthor = new Y.Map<unknown>();
			noAuthor.set('id', 'c-bad');
			noAuthor.set('targetKind', 'story');
			noAuthor.set('targetId', ids.stories.checkout);
			noAuthor.set('body', 'who said this?');
			docs.collection('comments').set('c-bad', noAuthor);
			const listed = docs.collection('comments').get(good.id)!;
			const mentions = new Y.Array<unknown>();
			mentions.push([ids.people.ben]);
			listed.set('mentions', mentions);
		});
		expect(view.state.comments.has('c-bad')).toBe(false);
		expect(view.rejected.get('comments/c-bad')).toMatch(/authorId/);
		expect(view.rejected.get(`comments/${good.id}`)).toMatch(/mentions: must be a Y.Map/);
	});
});

describe('[D6.6][R18] assignees', () => {
	test('a work package written without assigneeId (contract 1.1) reads as unassigned', () => {
		const { docs, ids, view } = demo();
		docs.board.transact(() =>
			docs.collection('workPackages').get(ids.incident)!.delete('assigneeId')
		);
		expect(view.state.workPackages.get(ids.incident)?.assigneeId).toBeNull();
		expect(view.rejected.has(`workPackages/${ids.incident}`)).toBe(false);
	});

	test('a task and a work package go to members of their teams, and back to nobody', () => {
		const { docs, ids, view, as } = demo();
		const task = [...view.state.tasks.values()].find((t) => t.workPackageId === ids.incident)!;
		op.assignTask(docs, as('sam'), ids.teams.web, task.id, ids.people.ana);
		expect(view.state.tasks.get(task.id)?.assigneeId).toBe(ids.people.ana);
		op.assignWorkPackage(docs, as('sam'), ids.incident, ids.people.ben);
		expect(view.state.workPackages.get(ids.incident)?.assigneeId).toBe(ids.people.ben);
		op.assignWorkPackage(docs, as('sam'), ids.incident, null);
		expect(view.state.workPackages.get(ids.incident)?.assigneeId).toBeNull();
		expect(view.findings().filter((f) => f.rule === 'R18')).toEqual([]);
	});

	test('someone outside the teams is refused with the reason, writing nothing', () => {
		const { docs, ids, view, as } = demo();
		const task = [...view.state.tasks.values()].find((t) => t.workPackageId === ids.incident)!;
		const before = contents(docs);
		expect(() => op.assignTask(docs, as('sam'), ids.teams.web, task.id, ids.people.fay)).toThrow(
			'Fay is not in Web; assign a member, or add Fay to the team first.'
		);
		expect(() => op.assignWorkPackage(docs, as('sam'), ids.incident, ids.people.fay)).toThrow(
			/Fay is not in Web/
		);
		expect(() => op.assignWorkPackage(docs, as('sam'), ids.incident, 'ghost')).toThrow(
			/Nobody with id "ghost" is on this board/
		);
		expect(contents(docs)).toEqual(before);
	});

	test('[R18] someone who leaves the team after being assigned is reported', () => {
		const { docs, ids, view, as } = demo();
		op.assignWorkPackage(docs, as('sam'), ids.incident, ids.people.ana);
		op.setTeamMember(docs, as('sam'), ids.teams.web, ids.people.ana, false);
		expect(
			view
				.findings()
				.filter((f) => f.rule === 'R18')
				.map((f) => f.message)
		).toEqual([
			'Work package "Checkout returns HTTP 500 for EU cards" is assigned to Ana, who is not in Web; assign a member of its teams, or add Ana to one.'
		]);
	});
});
