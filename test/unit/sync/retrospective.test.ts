/**
 * [D19] The retrospective's operations on real documents: cards stay in the author's personal
 * document until writing ends, each phase allows only its own intents (refused with the reason,
 * nothing written), votes are bounded, actions become a story, an impediment or a change request
 * with links both ways; and concurrent moves on several replicas, delivered in a seeded random
 * order, converge to one phase and one set of groups and votes.
 */
import * as prng from 'lib0/prng';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { ScrumOpsError } from '../../../src/lib/domain/errors';
import {
	RETRO_CARD_KINDS,
	RETRO_PHASES,
	VOTES_PER_PERSON,
	retroGroups,
	type RetroPhase
} from '../../../src/lib/domain/retrospective';
import { seedDemoBoard, type DemoIds } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { readCards, readVotes } from '../../../src/lib/sync/retro-cards';
import { fixedContext } from '../../helpers/op-context';
import { Network, snapshot, type Replica } from '../../helpers/replicas';
import { BoardDocs } from '../../../src/lib/sync/board-docs';

function board() {
	const docs = new BoardDocs('acme');
	const ids = seedDemoBoard(docs, fixedContext('seed'), '2026-11-23');
	return { docs, ids };
}

function started(docs: BoardDocs, ids: DemoIds) {
	const sam = fixedContext('sam', ids.people.sam);
	const retro = op.startRetro(docs, sam, ids.teams.web, {
		sprintId: ids.sprints.web,
		facilitatorId: ids.people.sam
	});
	return { sam, retro };
}

describe('[D19] retrospective operations', () => {
	test('a card written during write is in its author’s personal document only, until writing ends', () => {
		const { docs, ids } = board();
		const { sam, retro } = started(docs, ids);
		const ana = fixedContext('ana', ids.people.ana);
		const personal = new Y.Doc();
		const card = op.writeCard(docs, ana, personal, ids.teams.web, {
			retroId: retro.id,
			kind: 'idea',
			text: '  Mob on the flaky test  '
		});
		expect(card.text).toBe('Mob on the flaky test');
		expect(readCards(personal).map((c) => c.id)).toEqual([card.id]);
		expect(readCards(docs.team(ids.teams.web))).toEqual([]);
		// Sam moves on; Ana's client reveals her cards (the server would too).
		op.advanceRetro(docs, sam, ids.teams.web, { retroId: retro.id, from: 'write' });
		expect(op.revealOwnCards(docs, ana, ids.teams.web, personal)).toBe(1);
		expect(readCards(docs.team(ids.teams.web))).toEqual([card]);
		expect(readCards(personal)).toEqual([]);
		// Run again: nothing left to move, nothing doubled.
		expect(op.revealOwnCards(docs, ana, ids.teams.web, personal)).toBe(0);
	});

	test('bad input and intents out of their phase are refused with the reason, nothing written', () => {
		const { docs, ids } = board();
		const { sam, retro } = started(docs, ids);
		const personal = new Y.Doc();
		const before = Y.encodeStateAsUpdate(personal);
		expect(() =>
			op.writeCard(docs, sam, personal, ids.teams.web, {
				retroId: retro.id,
				kind: 'went-well',
				text: '   '
			})
		).toThrow(/write something on the card/);
		expect(Y.encodeStateAsUpdate(personal)).toEqual(before);
		expect(() =>
			op.castVote(docs, sam, ids.teams.web, { retroId: retro.id, groupId: 'x' })
		).toThrow(/not possible while the retrospective is in its Write phase/);
		expect(() =>
			op.startRetro(docs, sam, ids.teams.web, {
				sprintId: ids.sprints.web,
				facilitatorId: ids.people.sam
			})
		).toThrow(/under way/);
		expect(() =>
			op.recordAction(docs, sam, ids.teams.web, {
				retroId: retro.id,
				text: 'x',
				becomes: 'story'
			})
		).toThrow(/Write phase/);
	});

	test(`each person has ${VOTES_PER_PERSON} votes; a fourth is refused until one is taken back`, () => {
		const { docs, ids } = board();
		const { sam, retro } = started(docs, ids);
		const personal = new Y.Doc();
		const card = op.writeCard(docs, sam, personal, ids.teams.web, {
			retroId: retro.id,
			kind: 'to-improve',
			text: 'Long reviews'
		});
		op.advanceRetro(docs, sam, ids.teams.web, { retroId: retro.id, from: 'write' }, personal);
		op.advanceRetro(docs, sam, ids.teams.web, { retroId: retro.id, from: 'group' });
		const vote = { retroId: retro.id, groupId: card.id };
		for (let i = 0; i < VOTES_PER_PERSON; i++) op.castVote(docs, sam, ids.teams.web, vote);
		expect(() => op.castVote(docs, sam, ids.teams.web, vote)).toThrow(/used your 3 votes/);
		op.retractVote(docs, sam, ids.teams.web, vote);
		op.castVote(docs, sam, ids.teams.web, vote);
		const team = docs.team(ids.teams.web);
		expect(retroGroups(retro.id, readCards(team), readVotes(team))[0]!.votes).toBe(3);
	});

	test('actions become a story, an impediment and a change request, each linking back', () => {
		const { docs, ids } = board();
		const { sam, retro } = started(docs, ids);
		for (const from of ['write', 'group', 'vote'] as const) {
			op.advanceRetro(docs, sam, ids.teams.web, { retroId: retro.id, from });
		}
		const story = op.recordAction(docs, sam, ids.teams.web, {
			retroId: retro.id,
			text: 'Automate the release notes',
			becomes: 'story'
		});
		const impediment = op.recordAction(docs, sam, ids.teams.web, {
			retroId: retro.id,
			text: 'The test environment is down every Monday',
			becomes: 'impediment'
		});
		const change = op.recordAction(docs, sam, ids.teams.web, {
			retroId: retro.id,
			text: 'Page the database team at once',
			becomes: 'changeRequest',
			templateId: ids.templates.sev1
		});
		const stored = docs.collection('stories').get(story.storyId!)!;
		expect(stored.get('title')).toBe('Automate the release notes');
		// It lands with the team's Product Owner (R3): the owner of the sprint's commitments.
		expect([...(stored.get('productOwnerIds') as Y.Map<unknown>).keys()]).toEqual([
			ids.people.priya
		]);
		expect(String(stored.get('soThat'))).toContain(`/board/acme/retro?team=${ids.teams.web}`);
		expect(docs.collection('impediments').get(impediment.impedimentId!)!.get('status')).toBe(
			'open'
		);
		const requests = (
			docs.collection('templates').get(ids.templates.sev1)!.get('changeRequests') as Y.Array<
				Y.Map<unknown>
			>
		).toArray();
		const request = requests.find((r) => r.get('id') === change.changeRequestId)!;
		expect([
			request.get('sourceKind'),
			request.get('sourceId'),
			request.get('sourceItemId')
		]).toEqual(['retrospective', retro.id, change.id]);
		expect(() =>
			op.recordAction(docs, sam, ids.teams.web, {
				retroId: retro.id,
				text: 'x',
				becomes: 'changeRequest'
			})
		).toThrow(/Choose the template/);

		// The next retrospective opens with them.
		op.advanceRetro(docs, sam, ids.teams.web, { retroId: retro.id, from: 'discuss' });
		op.advanceRetro(docs, sam, ids.teams.web, { retroId: retro.id, from: 'actions' });
		const next = op.startRetro(docs, sam, ids.teams.web, {
			sprintId: ids.sprints.web,
			facilitatorId: ids.people.sam
		});
		expect(next.previousId).toBe(retro.id);
	});
});

/** Every person of the Web team, one replica (and one personal document) each. */
function retroNetwork(seed: number) {
	const network = new Network(3, seed);
	const first = network.replicas[0]!;
	const ids = seedDemoBoard(first.docs, first.ctx, '2026-11-23');
	network.flush();
	const people = [ids.people.sam, ids.people.ana, ids.people.ben];
	const actors = network.replicas.map((replica, i) => ({
		replica,
		ctx: fixedContext(`p${i}`, people[i]!),
		personal: new Y.Doc()
	}));
	return { network, ids, actors };
}

type Actor = ReturnType<typeof retroNetwork>['actors'][number];

/**
 * One random intent of one person, as their replica sees the retrospective now: now and then a
 * phase move (naming the phase they saw), else what the phase they see is for.
 */
function randomIntent(actor: Actor, teamId: string, gen: prng.PRNG): void {
	const { replica, ctx, personal } = actor;
	const docs = replica.docs;
	const retro = op.readRetro(docs, teamId);
	if (!retro) return;
	op.revealOwnCards(docs, ctx, teamId, personal);
	const cards = readCards(docs.team(teamId)).filter((c) => c.retroId === retro.id);
	const pick = () => prng.oneOf(gen, cards).id;
	if (prng.uint32(gen, 0, 24) === 0) {
		// Two facilitators pressing at once each name the phase they saw.
		op.advanceRetro(docs, ctx, teamId, { retroId: retro.id, from: retro.phase }, personal);
		return;
	}
	switch (retro.phase) {
		case 'write':
			op.writeCard(docs, ctx, personal, teamId, {
				retroId: retro.id,
				kind: prng.oneOf(gen, [...RETRO_CARD_KINDS]),
				text: `card ${prng.uint32(gen, 0, 999)}`
			});
			return;
		case 'group':
			if (cards.length > 1) {
				op.groupCard(docs, ctx, teamId, {
					retroId: retro.id,
					cardId: pick(),
					ontoId: prng.uint32(gen, 0, 3) > 0 ? pick() : null
				});
			}
			return;
		case 'vote':
			if (cards.length > 0) {
				const groups = retroGroups(retro.id, cards, readVotes(docs.team(teamId)));
				const groupId = prng.oneOf(gen, groups).id;
				if (prng.uint32(gen, 0, 3) > 0)
					op.castVote(docs, ctx, teamId, { retroId: retro.id, groupId });
				else op.retractVote(docs, ctx, teamId, { retroId: retro.id, groupId });
			}
			return;
		case 'discuss':
			if (prng.bool(gen)) {
				op.discussTopic(docs, ctx, teamId, {
					retroId: retro.id,
					from: retro.discussIndex,
					to: retro.discussIndex + 1
				});
			} else op.startDiscussTimer(docs, ctx, teamId, { retroId: retro.id, minutes: 5 });
			return;
		default:
	}
}

function readable(replica: Replica, teamId: string) {
	const retro = op.readRetro(replica.docs, teamId)!;
	const team = replica.docs.team(teamId);
	const votes = readVotes(team);
	return {
		retro,
		groups: retroGroups(retro.id, readCards(team), votes).map((g) => [
			g.id,
			g.votes,
			g.cards.map((c) => c.id)
		]),
		ballots: [...votes.values()].map((b) => b.cardIds.length)
	};
}

describe('[D19] retrospectives converge', () => {
	test('two facilitators pressing "next" at once move the phase once', () => {
		const { network, ids, actors } = retroNetwork(7);
		const [a, b] = actors as [Actor, Actor];
		const teamId = ids.teams.web;
		const retro = op.startRetro(a.replica.docs, a.ctx, teamId, {
			sprintId: ids.sprints.web,
			facilitatorId: a.ctx.actorId!
		});
		network.flush();
		op.advanceRetro(a.replica.docs, a.ctx, teamId, { retroId: retro.id, from: 'write' });
		op.advanceRetro(b.replica.docs, b.ctx, teamId, { retroId: retro.id, from: 'write' });
		network.flush();
		for (const actor of actors)
			expect(op.readRetro(actor.replica.docs, teamId)!.phase).toBe('group');
		// A stale press (the phase it names has passed) does nothing.
		expect(
			op.advanceRetro(b.replica.docs, b.ctx, teamId, { retroId: retro.id, from: 'write' })
		).toBe(null);
	});

	test.each([1, 2, 3, 4])(
		'seed %i: 3 replicas write, group, vote, discuss and move phases at once',
		(seed) => {
			const { network, ids, actors } = retroNetwork(seed);
			const teamId = ids.teams.web;
			const first = actors[0]!;
			op.startRetro(first.replica.docs, first.ctx, teamId, {
				sprintId: ids.sprints.web,
				facilitatorId: first.ctx.actorId!
			});
			network.flush();
			const seen = new Set<RetroPhase>();
			for (let step = 0; step < 400; step++) {
				if (prng.uint32(network.gen, 0, 9) < 6) {
					const actor = prng.oneOf(network.gen, actors);
					actor.ctx.advance(1);
					try {
						randomIntent(actor, teamId, network.gen);
					} catch (error) {
						if (!(error instanceof ScrumOpsError)) throw error;
					}
					// Updates delivered out of order may leave it unreadable until the rest arrives.
					const now = op.readRetro(actor.replica.docs, teamId);
					if (now) seen.add(now.phase);
				} else network.deliverOne();
			}
			network.flush();
			for (const actor of actors)
				op.revealOwnCards(actor.replica.docs, actor.ctx, teamId, actor.personal);
			network.flush();
			expect(seen.size).toBeGreaterThan(2);
			const team = actors[0]!.replica.docs.team(teamId);
			expect(readCards(team).length).toBeGreaterThan(5);
			expect(readCards(team).some((c) => c.groupId !== null)).toBe(true);
			const [one, ...others] = actors.map((a) => a.replica) as [Replica, ...Replica[]];
			for (const replica of others) {
				expect(snapshot(replica)).toEqual(snapshot(one));
				expect(readable(replica, teamId)).toEqual(readable(one, teamId));
			}
			expect(RETRO_PHASES).toContain(readable(one, teamId).retro.phase);
			for (const count of readable(one, teamId).ballots) {
				expect(count).toBeLessThanOrEqual(VOTES_PER_PERSON);
			}
		}
	);
});
