/**
 * A board as a hostile member could have stored it before the relay checked updates: a story's
 * `estimates` nesting Y.Maps thousands of levels deep, junk under the server's `findings`, an
 * entity that is plain JSON, a set written as a plain array, a Y.Map where an authorship record
 * belongs, root keys the contract does not have, and a task with a Yjs type in a plain field;
 * next to stories that are fine. Written with `yjs` and the app's operations, then stored the way
 * the server stores documents, so a test can start a server on it.
 */
import * as Y from 'yjs';
import { SqliteStore } from '../../server/store/sqlite';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { AUTHORSHIP_KEY, documentName, FINDINGS_KEY } from '../../src/lib/sync/layout';
import * as op from '../../src/lib/sync/operations';
import { nestDeep } from './deep-nesting';
import { fixedContext } from './op-context';

export const POISON_ADMIN = { personId: 'ada', name: 'Ada' } as const;

export interface PoisonedBoard {
	boardId: string;
	docs: BoardDocs;
	teamId: string;
	/** Titles of the stories every reader shows, before and after the repair. */
	goodStories: string[];
	/** Titles of the stories rejected for one bad part, shown once the repair removed it. */
	healedStories: string[];
	/** What the readers reject before the repair: `collection/id` → a pattern of the reason. */
	rejected: Record<string, RegExp>;
	/** What Repair board removes, document by document. */
	violations: { document: string; path: string; problem: string }[];
}

export function poisonedBoard(boardId: string, depth = 5_000): PoisonedBoard {
	const docs = new BoardDocs(boardId);
	const ctx = fixedContext('p', POISON_ADMIN.personId);
	op.createBoard(docs, ctx, { name: 'Acme Poisoned' });
	op.addPerson(docs, ctx, {
		id: POISON_ADMIN.personId,
		name: POISON_ADMIN.name,
		roles: ['product-owner', 'scrum-master']
	});
	const team = op.createTeam(docs, ctx, { name: 'Web', velocity: 30 });
	const good = ['Onboarding tour', 'Price alerts'].map((title) =>
		op.createStory(docs, ctx, { title, teamIds: [team.id], estimates: { [team.id]: 3 } })
	);
	const deep = op.createStory(docs, ctx, { title: 'Checkout flow', teamIds: [team.id] });
	const plainSet = op.createStory(docs, ctx, { title: 'Search suggestions' });
	const task = op.addTask(docs, ctx, team.id, { title: 'Wire the payment form' });

	const board = docs.board;
	const stories = docs.collection('stories');
	board.transact(() => {
		nestDeep(stories.get(deep.id)!.get('estimates') as Y.Map<unknown>, team.id, depth);
		stories.get(plainSet.id)!.set('teamIds', [team.id]);
		(stories as Y.Map<unknown>).set('s-plain', { id: 's-plain', title: 'Plain JSON story' });
		const findings = board.getMap(FINDINGS_KEY);
		findings.set('junk', 'written by a client');
		findings.set('nested', new Y.Map());
		board.getMap(AUTHORSHIP_KEY).set('stories/s-x/duration', new Y.Map());
		board.getMap('scratch').set('note', 'a root key no board has');
	});
	const teamDoc = docs.team(team.id);
	teamDoc.transact(() => {
		teamDoc.getMap<Y.Map<unknown>>('tasks').get(task.id)!.set('attachments', new Y.Map());
		teamDoc.getMap('notes').set('note', 'a root key no team document has');
	});

	const boardName = documentName.board(boardId);
	const teamName = documentName.team(boardId, team.id);
	return {
		boardId,
		docs,
		teamId: team.id,
		goodStories: good.map((story) => story.title),
		healedStories: [deep.title, plainSet.title],
		rejected: {
			'authorship/stories/s-x/duration': /plain JSON object, not a Yjs type/,
			[`stories/${deep.id}`]: /^estimates: nested deeper than the contract allows$/,
			[`stories/${plainSet.id}`]: /^teamIds: must be a Y.Map, not a JSON array$/,
			'stories/s-plain': /^must be a Y.Map, not a JSON object$/,
			[`tasks/${task.id}`]: /^attachments: nested deeper than the contract allows$/
		},
		violations: [
			{
				document: boardName,
				path: 'authorship/stories/s-x/duration',
				problem: 'must be a plain JSON object, not a Y.Map'
			},
			{
				document: boardName,
				path: 'findings/junk',
				problem: 'the server writes only "list" and "updatedAt" here'
			},
			{
				document: boardName,
				path: 'findings/nested',
				problem: 'the server writes only "list" and "updatedAt" here'
			},
			{ document: boardName, path: 'scratch', problem: 'is not part of a board document' },
			{
				document: boardName,
				path: 'stories/s-plain',
				problem: 'must be a Y.Map, not a JSON object'
			},
			{
				document: boardName,
				path: `stories/${deep.id}/estimates`,
				problem: 'nested deeper than the contract allows'
			},
			{
				document: boardName,
				path: `stories/${plainSet.id}/teamIds`,
				problem: 'must be a Y.Map, not a JSON array'
			},
			{ document: teamName, path: 'notes', problem: 'is not part of a team document' },
			{
				document: teamName,
				path: `tasks/${task.id}/attachments`,
				problem: 'nested deeper than the contract allows'
			}
		]
	};
}

/**
 * Writes the board into the SQLite store in `dataDir`, as the server would have stored it: its
 * row, its admin and its documents. Call it before any server opens the board.
 */
export async function storePoisonedBoard(dataDir: string, board: PoisonedBoard): Promise<void> {
	const store = SqliteStore.open(dataDir);
	try {
		const members = store.members();
		await members.createBoard({ id: board.boardId, name: 'Acme Poisoned', createdAt: Date.now() });
		await members.putMember({
			boardId: board.boardId,
			personId: POISON_ADMIN.personId,
			name: POISON_ADMIN.name,
			teams: [],
			roles: ['product-owner', 'scrum-master'],
			admin: true,
			joinedAt: Date.now()
		});
		await store.append(documentName.board(board.boardId), Y.encodeStateAsUpdate(board.docs.board));
		for (const [teamId, doc] of board.docs.teams()) {
			await store.append(documentName.team(board.boardId, teamId), Y.encodeStateAsUpdate(doc));
		}
	} finally {
		await store.close();
	}
}
