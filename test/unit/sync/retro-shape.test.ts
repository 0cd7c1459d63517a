/**
 * [D2][D14][D19] The shape check at the write boundary covers the retrospective: the team
 * document takes its live state, its cards and its votes; a personal document takes the hidden
 * cards; the operations write only what the relay accepts; and anything nested deeper than the
 * contract allows, or a root key in the wrong kind of document, is refused with its path.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	RETRO_CARDS_KEY,
	RETRO_KEY,
	RETRO_VOTES_KEY,
	type TransactionOrigin
} from '../../../src/lib/sync/layout';
import * as op from '../../../src/lib/sync/operations';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { UpdateChecker } from '../../../src/lib/sync/shape/check-update';
import { inspectDocument, repairDocument } from '../../../src/lib/sync/shape/inspect';
import { readCards } from '../../../src/lib/sync/retro-cards';
import {
	DEFAULT_SHAPE_LIMITS,
	rootKeys,
	type DocumentKind
} from '../../../src/lib/sync/shape/contract';
import { fixedContext } from '../../helpers/op-context';

/** Every update `write` makes to `doc`, judged by a fresh server copy of a `kind` document. */
function verdicts(doc: Y.Doc, kind: DocumentKind, write: () => void): string[] {
	const mirror = new Y.Doc();
	Y.applyUpdate(mirror, Y.encodeStateAsUpdate(doc));
	const checker = new UpdateChecker(mirror, kind, DEFAULT_SHAPE_LIMITS);
	const out: string[] = [];
	const listen = (update: Uint8Array, origin: TransactionOrigin | null) => {
		if (origin?.kind !== 'local') return;
		const verdict = checker.check(Y.decodeUpdate(update), update.byteLength);
		if (verdict.kind === 'accept') Y.applyUpdate(mirror, update);
		out.push(verdict.kind === 'refuse' ? verdict.violation.path : verdict.kind);
	};
	doc.on('update', listen);
	try {
		write();
	} finally {
		doc.off('update', listen);
	}
	return out;
}

describe('[D19] the retrospective at the write boundary', () => {
	test('the root keys: three in a team document, the hidden cards in a personal one', () => {
		expect([RETRO_KEY, RETRO_CARDS_KEY, RETRO_VOTES_KEY]).toEqual([
			'retrospective',
			'retroCards',
			'retroVotes'
		]);
		expect(rootKeys('team')).toEqual([
			'tasks',
			'standup',
			...[RETRO_KEY, RETRO_CARDS_KEY, RETRO_VOTES_KEY]
		]);
		expect(rootKeys('person')).toContain(RETRO_CARDS_KEY);
		expect(rootKeys('board')).not.toContain(RETRO_CARDS_KEY);
	});

	test('a whole retrospective written by the app passes the boundary', () => {
		const docs = new BoardDocs('acme');
		const ids = seedDemoBoard(docs, fixedContext('seed'), '2026-11-23');
		const ctx = fixedContext('sam', ids.people.sam);
		const team = docs.team(ids.teams.web);
		const personal = new Y.Doc();
		const teamId = ids.teams.web;
		const all: string[] = [];
		let retroId = '';
		all.push(
			...verdicts(team, 'team', () => {
				retroId = op.startRetro(docs, ctx, teamId, {
					sprintId: ids.sprints.web,
					facilitatorId: ids.people.sam
				}).id;
			})
		);
		const cards: string[] = [];
		all.push(
			...verdicts(personal, 'person', () => {
				for (const text of ['One', 'Two']) {
					cards.push(op.writeCard(docs, ctx, personal, teamId, { retroId, kind: 'idea', text }).id);
				}
			})
		);
		all.push(
			...verdicts(team, 'team', () => {
				op.advanceRetro(docs, ctx, teamId, { retroId, from: 'write' });
				op.revealOwnCards(docs, ctx, teamId, personal);
				op.groupCard(docs, ctx, teamId, { retroId, cardId: cards[1]!, ontoId: cards[0]! });
				op.advanceRetro(docs, ctx, teamId, { retroId, from: 'group' });
				op.castVote(docs, ctx, teamId, { retroId, groupId: cards[0]! });
				op.advanceRetro(docs, ctx, teamId, { retroId, from: 'vote' });
				op.startDiscussTimer(docs, ctx, teamId, { retroId });
				op.discussTopic(docs, ctx, teamId, { retroId, from: 0, to: 1 });
			})
		);
		expect(all.length).toBeGreaterThan(8);
		expect(new Set(all)).toEqual(new Set(['accept']));
	});

	test.each([
		[
			'a nested map in a card field',
			'team',
			(doc: Y.Doc) => {
				const card = new Y.Map<unknown>();
				card.set('text', new Y.Map());
				doc.getMap(RETRO_CARDS_KEY).set('c1', card);
			},
			'retroCards/c1'
		],
		[
			'a card that is a plain object',
			'person',
			(doc: Y.Doc) => doc.getMap(RETRO_CARDS_KEY).set('c1', { text: 'x' }),
			'retroCards/c1'
		],
		[
			'a nested type in the live state',
			'team',
			(doc: Y.Doc) => doc.getMap(RETRO_KEY).set('phase', new Y.Text('write')),
			'retrospective'
		],
		[
			'votes in a personal document',
			'person',
			(doc: Y.Doc) => doc.getMap(RETRO_VOTES_KEY).set('ana', { retroId: 'r', cardIds: [] }),
			'retroVotes'
		],
		[
			'cards in the board document',
			'board',
			(doc: Y.Doc) => doc.getMap(RETRO_CARDS_KEY).set('c1', new Y.Map()),
			'retroCards'
		]
	] as const)('%s is refused (%s document)', (_what, kind, write, path) => {
		const doc = new Y.Doc();
		const checker = new UpdateChecker(new Y.Doc(), kind, DEFAULT_SHAPE_LIMITS);
		let update: Uint8Array | null = null;
		doc.on('update', (u: Uint8Array) => (update = u));
		write(doc);
		const verdict = checker.check(Y.decodeUpdate(update!), update!.byteLength);
		expect(verdict.kind).toBe('refuse');
		if (verdict.kind === 'refuse') expect(verdict.violation.path).toBe(path);
	});
});

describe('[D15][D19] stored retrospective parts that break the contract', () => {
	test('are listed and repaired part by part: the good card stays, the bad field goes', () => {
		const doc = new Y.Doc();
		doc.transact(() => {
			const good = new Y.Map<unknown>();
			const fields = {
				id: 'good',
				retroId: 'r1',
				teamId: 'web',
				authorId: 'ana',
				kind: 'idea',
				text: 'Pair more',
				groupId: null,
				createdAt: '2026-11-23T09:00:00.000Z'
			};
			for (const [k, v] of Object.entries(fields)) good.set(k, v);
			const bad = new Y.Map<unknown>();
			bad.set('text', new Y.Map());
			const cards = doc.getMap(RETRO_CARDS_KEY);
			cards.set('good', good);
			cards.set('bad', bad);
			doc.getMap(RETRO_KEY).set('phase', new Y.Array());
		});
		expect(
			inspectDocument(doc, 'team')
				.map((v) => v.path)
				.sort()
		).toEqual(['retroCards/bad/text', 'retrospective/phase']);
		repairDocument(doc, 'team', DEFAULT_SHAPE_LIMITS, {
			kind: 'server-repair',
			actorId: null,
			intent: 'repairBoard'
		});
		expect(inspectDocument(doc, 'team')).toEqual([]);
		expect(readCards(doc).map((c) => c.id)).toEqual(['good']);
	});
});
