/**
 * [D19] Hidden means hidden, over real sockets: while a team writes its retrospective, a card
 * lives in its author's personal document, which the relay sends to that person alone. Another
 * member's connection, and a watcher of the team document, receive none of it; once the phase
 * moves past writing the server moves every member's cards into the team document, the cards of
 * someone who is offline at that moment included.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { RETRO_CARDS_KEY } from '../../src/lib/sync/layout';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { advanceRetro, startRetro, writeCard } from '../../src/lib/sync/operations/retrospective';
import { readCards } from '../../src/lib/sync/retro-cards';
import { fixedContext } from '../helpers/op-context';
import { eventually, roundTrip, startTestServer, synced, type TestServer } from '../helpers/server';

let server: TestServer;
const closers: (() => void)[] = [];

beforeEach(async () => {
	server = await startTestServer();
});

afterEach(async () => {
	for (const close of closers.splice(0)) close();
	await server.close();
});

const member = (personId: string) => ({
	personId,
	name: personId,
	roles: ['team-member' as const],
	teams: ['web']
});

async function open(name: string, personId: string) {
	const provider = await server.connect(name, { as: member(personId) });
	closers.push(() => provider.destroy());
	await synced(provider);
	return provider;
}

/** A person's board, team and personal documents, with the operations' view of them. */
async function person(personId: string) {
	const board = await open('acme', personId);
	const team = await open('acme/team/web', personId);
	const personal = await open(`acme/person/${personId}`, personId);
	const docs = new BoardDocs('acme', board.doc, () => team.doc);
	return { board, team, personal, docs, ctx: fixedContext(personId, personId) };
}

function seedBoard(doc: Y.Doc) {
	doc.transact(() => {
		const team = new Y.Map<unknown>();
		const members = new Y.Map<unknown>();
		for (const id of ['ana', 'bob', 'cy']) members.set(id, true);
		team.set('id', 'web');
		team.set('memberIds', members);
		team.set('scrumMasterId', null);
		doc.getMap('teams').set('web', team);
		const sprint = new Y.Map<unknown>();
		sprint.set('id', 'web-s1');
		doc.getMap('sprints').set('web-s1', sprint);
	});
}

describe('[D19] hidden retrospective cards', () => {
	test('nobody else receives a card while the team writes; everyone does once writing ends, an offline author’s too', async () => {
		const ana = await person('ana');
		const bob = await person('bob');
		seedBoard(ana.board.doc);
		await eventually(() => bob.board.doc.getMap('sprints').has('web-s1'));
		const retro = startRetro(ana.docs, ana.ctx, 'web', {
			sprintId: 'web-s1',
			facilitatorId: 'ana'
		});
		await eventually(() => bob.docs.team('web').getMap('retrospective').get('id') === retro.id);

		// Cy writes a card and goes offline before writing ends.
		const cy = await person('cy');
		writeCard(cy.docs, cy.ctx, cy.personal.doc, 'web', {
			retroId: retro.id,
			kind: 'to-improve',
			text: 'Reviews wait too long'
		});
		await roundTrip(cy.personal);
		cy.personal.destroy();
		cy.team.destroy();
		cy.board.destroy();

		const card = writeCard(ana.docs, ana.ctx, ana.personal.doc, 'web', {
			retroId: retro.id,
			kind: 'went-well',
			text: 'Pairing on the checkout'
		});
		// Another device of Ana's receives it: her own connections do.
		const laptop = await open('acme/person/ana', 'ana');
		await eventually(() => readCards(laptop.doc).some((c) => c.id === card.id));

		// Bob's connections, and a fresh reader of the team document, receive nothing.
		await roundTrip(ana.personal);
		await roundTrip(bob.team);
		const watcher = await open('acme/team/web', 'bob');
		await roundTrip(watcher);
		expect(readCards(bob.team.doc)).toEqual([]);
		expect(readCards(bob.personal.doc)).toEqual([]);
		expect(readCards(watcher.doc)).toEqual([]);
		expect(JSON.stringify(watcher.doc.toJSON())).not.toContain('Pairing');

		// Ana's facilitator moves on; the server reveals every member's cards, Cy's too.
		advanceRetro(ana.docs, ana.ctx, 'web', { retroId: retro.id, from: 'write' });
		const texts = () =>
			readCards(watcher.doc)
				.map((c) => c.text)
				.sort();
		await eventually(() => texts().length === 2, { what: 'both cards in the team document' });
		expect(texts()).toEqual(['Pairing on the checkout', 'Reviews wait too long']);
		await eventually(() => readCards(bob.team.doc).length === 2);
		// They left the personal documents: Ana's devices see them moved, not twice.
		await eventually(() => ana.personal.doc.getMap(RETRO_CARDS_KEY).size === 0);
		await eventually(() => laptop.doc.getMap(RETRO_CARDS_KEY).size === 0);
		const cyLater = await open('acme/person/cy', 'cy');
		expect(cyLater.doc.getMap(RETRO_CARDS_KEY).size).toBe(0);
	});

	test('a card that arrives after writing ended moves at once; one for a team its author is not on stays where it is', async () => {
		const ana = await person('ana');
		seedBoard(ana.board.doc);
		const retro = startRetro(ana.docs, ana.ctx, 'web', {
			sprintId: 'web-s1',
			facilitatorId: 'ana'
		});
		advanceRetro(ana.docs, ana.ctx, 'web', { retroId: retro.id, from: 'write' });
		// Dan (not on the team) forges a card for Web in his own document.
		const dan = await server.connect('acme/person/dan', {
			as: { personId: 'dan', name: 'Dan', roles: ['team-member'], teams: [] }
		});
		closers.push(() => dan.destroy());
		await synced(dan);
		const forged = new Y.Map<unknown>();
		for (const [k, v] of Object.entries({
			id: 'forged',
			retroId: retro.id,
			teamId: 'web',
			authorId: 'dan',
			kind: 'idea',
			text: 'smuggled',
			groupId: null,
			createdAt: '2026-11-23T09:00:00.000Z'
		}))
			forged.set(k, v);
		dan.doc.getMap(RETRO_CARDS_KEY).set('forged', forged);
		await roundTrip(dan);
		// Ana's card written offline during the phase reaches the server later: it moves at once.
		const late = forged.clone();
		late.set('id', 'late');
		late.set('authorId', 'ana');
		late.set('text', 'written on the train');
		ana.personal.doc.getMap(RETRO_CARDS_KEY).set('late', late);
		await eventually(() => readCards(ana.team.doc).some((c) => c.id === 'late'), {
			what: 'the late card in the team document'
		});
		expect(readCards(ana.team.doc).map((c) => c.id)).not.toContain('forged');
		expect(dan.doc.getMap(RETRO_CARDS_KEY).has('forged')).toBe(true);
	});
});
