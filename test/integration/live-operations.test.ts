/**
 * Live operations at the size of a large board (docs/domain.md#ceremonies-on-the-board): 50
 * people on one board over real sockets with the official y-websocket client. The facilitator
 * walks a standup and everyone sees the same step; presence lists all 50; the facilitator drops
 * out and someone takes over; ten people join a SEV1 swarm at once and every screen sees all ten,
 * with R13 gone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { currentSpeaker } from '../../src/lib/domain/standup';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { fixedContext } from '../helpers/op-context';
import { eventually, startTestServer, type TestServer } from '../helpers/server';

const PEOPLE = 50;
const WAIT = { timeoutMs: 20_000, intervalMs: 20 };

let server: TestServer;
let clients: BoardClient[] = [];
let teamId: string;
let incidentId: string;
const gone = new Set<BoardClient>();

beforeAll(async () => {
	server = await startTestServer();
	const admin = await BoardClient.open(server, 'standup');
	const ctx = fixedContext('setup', 'tester');
	op.createBoard(admin.docs, ctx, { name: 'Big team' });
	const team = op.createTeam(admin.docs, ctx, { name: 'Platform', velocity: 60 });
	teamId = team.id;
	const story = op.createStory(admin.docs, ctx, {
		title: 'Production support',
		duration: 'recurring',
		workType: 'ops',
		sla: 'policy',
		teamIds: [team.id]
	});
	incidentId = op.createWorkPackage(admin.docs, ctx, {
		storyId: story.id,
		title: 'Payments down',
		category: 'incident',
		severity: 'SEV1'
	}).id;
	await admin.synced();
	clients = await Promise.all(
		Array.from({ length: PEOPLE }, (_, i) =>
			BoardClient.open(server, 'standup', {
				personId: `p${i}`,
				name: `Person ${i}`,
				teams: [team.id],
				roles: i === 0 ? ['scrum-master'] : ['team-member'],
				admin: false
			})
		)
	);
	admin.destroy();
	await Promise.all(clients.map((client) => client.synced()));
	for (const [i, client] of clients.entries()) {
		client.providers[0]!.awareness.setLocalStateField('user', { name: `Person ${i}` });
	}
}, 60_000);

afterAll(async () => {
	for (const client of clients) if (!gone.has(client)) client.destroy();
	await server.close();
});

describe(`live operations with ${PEOPLE} people on one board`, { timeout: 120_000 }, () => {
	test('presence lists everyone on every screen', async () => {
		await eventually(
			() => clients.every((c) => c.providers[0]!.awareness.getStates().size >= PEOPLE),
			{ ...WAIT, what: `everyone sees ${PEOPLE} people` }
		);
	});

	test('a standup walked by its facilitator shows the same speaker everywhere; another takes over', async () => {
		const sm = clients[0]!;
		const ctx = op.liveContext('p0');
		op.startStandup(sm.docs, ctx, teamId, {
			facilitatorId: 'p0',
			speakerIds: clients.map((_, i) => `p${i}`),
			incidentsFirst: true
		});
		for (let step = -1; step < 4; step++) {
			op.advanceStandup(sm.docs, ctx, teamId, step);
			await eventually(
				() => clients.every((c) => op.readStandup(c.docs, teamId)?.step === step + 1),
				{ ...WAIT, what: `everyone at step ${step + 1}` }
			);
		}
		const startedAt = op.readStandup(sm.docs, teamId)!.stepStartedAt;
		expect(new Set(clients.map((c) => op.readStandup(c.docs, teamId)!.stepStartedAt))).toEqual(
			new Set([startedAt])
		);
		expect(currentSpeaker(op.readStandup(clients[17]!.docs, teamId)!)).toBe('p4');

		// The facilitator drops out; the next speaker takes over and carries on.
		sm.destroy();
		gone.add(sm);
		const next = clients[4]!;
		const taken = op.takeOverStandup(next.docs, op.liveContext('p4'), teamId, 'p4');
		op.advanceStandup(next.docs, op.liveContext('p4'), teamId, taken.step);
		const others = clients.slice(1);
		await eventually(
			() =>
				others.every((c) => {
					const standup = op.readStandup(c.docs, teamId);
					return standup?.facilitatorId === 'p4' && currentSpeaker(standup) === 'p5';
				}),
			{ ...WAIT, what: 'everyone sees the take-over' }
		);
	});

	test('[R13] ten people join a SEV1 swarm at once; every screen sees all ten and the warning goes', async () => {
		const live = clients.slice(1);
		await eventually(
			() => live.every((c) => c.projection.findings().some((f) => f.rule === 'R13')),
			{ ...WAIT, what: 'R13 before the swarm' }
		);
		const swarm = live.slice(0, 10);
		for (const [i, client] of swarm.entries()) {
			op.setSwarming(client.docs, op.liveContext(`p${i + 1}`), incidentId, `p${i + 1}`, true);
		}
		await eventually(
			() => live.every((c) => c.projection.state.workPackages.get(incidentId)?.swarm.length === 10),
			{ ...WAIT, what: 'everyone sees ten swarming' }
		);
		expect(live.some((c) => c.projection.findings().some((f) => f.rule === 'R13'))).toBe(false);
		await eventually(
			() => live.every((c) => !c.publishedFindings().some((f) => f.rule === 'R13')),
			{ ...WAIT, what: 'the server’s findings agree' }
		);
	});
});
