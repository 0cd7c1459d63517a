/**
 * `GET /api/boards/:id/measures`: a board seeded through the operations, its measures over HTTP
 * checked against numbers worked out by hand, and the refusals (401, 404, 400 with the reason).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Measures } from '../../src/lib/contract/measures';
import * as op from '../../src/lib/sync/operations';
import { callApi } from '../helpers/api';
import { BoardClient } from '../helpers/board-client';
import { fixedContext } from '../helpers/op-context';
import { eventually, startTestServer, type TestServer } from '../helpers/server';

/** The server's clock: the day after the period asked for. */
const NOW = Date.parse('2026-12-01T00:00:00.000Z');
const PERIOD = 'from=2026-11-23&to=2026-11-30';

let server: TestServer;
let client: BoardClient;
let token: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
	server = await startTestServer({ now: () => NOW });
	client = await BoardClient.open(server, 'acme');
	await client.synced();
	token = await server.token('acme');
	const { docs } = client;
	// One person seeds the board: one context, so ids never collide.
	const sm = fixedContext('sm', null, Date.parse('2026-11-23T09:00:00.000Z'));
	const at = (iso: string) => sm.advance((Date.parse(iso) - Date.parse(sm.now())) / 60_000);

	op.createBoard(docs, sm, { name: 'Acme' });
	const team = op.createTeam(docs, sm, { name: 'Ops', velocity: 40, kind: 'mixed' });
	const recurring: Omit<op.StoryInput, 'title'> = {
		duration: 'recurring',
		workType: 'ops',
		sla: 'policy',
		teamIds: [team.id]
	};
	const incidents = op.createStory(docs, sm, {
		title: 'Incidents',
		...recurring,
		escalationAllowed: true
	});
	const secondLevel = op.createStory(docs, sm, { title: 'Second level', ...recurring });
	op.editStory(docs, sm, incidents.id, { escalationTargetIds: [secondLevel.id] });
	const feature = op.createStory(docs, sm, {
		title: 'Checkout',
		teamIds: [team.id],
		successMeasure: 'Checkout conversion',
		successTarget: 4,
		successUnit: '%',
		valueEstimate: 21
	});
	const fix = op.createStory(docs, sm, {
		title: 'Fix login',
		teamIds: [team.id],
		valueEstimate: 5
	});
	const sprint = op.planSprint(docs, sm, {
		teamId: team.id,
		name: 'Sprint 1',
		start: '2026-11-23',
		end: '2026-12-04'
	});
	op.commitStory(docs, sm, sprint.id, feature.id, 13);
	op.commitStory(docs, sm, sprint.id, fix.id, 8);
	op.reserveUnknownWork(docs, sm, sprint.id, incidents.id, 9);
	op.startSprint(docs, sm, sprint.id);
	Object.assign(ids, {
		team: team.id,
		incidents: incidents.id,
		feature: feature.id,
		sprint: sprint.id
	});

	const sev = (severity: 'SEV1' | 'SEV2', points: number | null) =>
		op.createWorkPackage(docs, sm, {
			storyId: incidents.id,
			title: `${severity} incident`,
			category: 'incident',
			severity,
			points
		});
	// A: SEV1 at 09:00, done 250 minutes later (deadline 360): met.
	const a = sev('SEV1', 4);
	sm.advance(250);
	op.completeWorkPackage(docs, sm, a.id);
	// B: SEV1 at +250, escalated 10 minutes later, back 90 minutes after that, done after 410: missed.
	const b = sev('SEV1', 3);
	sm.advance(10);
	op.escalate(docs, sm, b.id, secondLevel.id, 'database');
	sm.advance(90);
	op.resolveEscalation(docs, sm, b.id);
	sm.advance(310);
	op.completeWorkPackage(docs, sm, b.id);
	// C: SEV1 done after 91 minutes: met.
	const c = sev('SEV1', 2);
	sm.advance(91);
	op.completeWorkPackage(docs, sm, c.id);
	// D: SEV2, still open on 1 December: its 24 hours ran out on 24 November.
	sev('SEV2', null);

	// Review on the 28th, five days after the stories were written; then close.
	at('2026-11-28T09:00:00.000Z');
	op.reviewStory(docs, sm, sprint.id, feature.id, 'accepted');
	op.reviewStory(docs, sm, sprint.id, fix.id, 'rejected');
	// Conversion read twice after release: below the target, then above it.
	for (const [at, value] of [
		['2026-11-29T12:00:00.000Z', 3.8],
		['2026-11-30T12:00:00.000Z', 4.2]
	] as const) {
		op.recordObservation(docs, sm, { storyId: feature.id, at, value, note: `read ${at}` });
	}
	at('2026-11-28T10:00:00.000Z');
	op.closeSprint(docs, sm, sprint.id);

	// The server has seen every write once its findings speak of the closed sprint's board.
	await eventually(
		async () => {
			const answer = await callApi(server.httpUrl, 'GET', `/api/boards/acme/measures?${PERIOD}`, {
				token
			});
			return answer.body?.sprints?.[0]?.state === 'closed';
		},
		{ what: 'the server has the closed sprint' }
	);
});

afterAll(async () => {
	client?.destroy();
	await server?.close();
});

const get = (query: string, as: string | null = token, board = 'acme') =>
	callApi(server.httpUrl, 'GET', `/api/boards/${board}/measures${query}`, {
		token: as ?? undefined
	});

describe('GET /api/boards/:id/measures', () => {
	test('answers the figures worked out by hand', async () => {
		const { status, body } = await get(`?${PERIOD}`);
		expect(status).toBe(200);
		expect(Measures.parse(body)).toEqual(body);
		expect(body.period).toEqual({
			from: '2026-11-23',
			to: '2026-11-30',
			timeZone: 'UTC',
			teamId: null,
			now: '2026-12-01T00:00:00.000Z'
		});
		expect(body.sla.SEV1).toEqual({
			resolved: 3,
			met: 2,
			missed: 1,
			compliance: 0.667,
			// 250, 410 and 91 minutes.
			timeToResolveMinutes: { count: 3, mean: 250.33, median: 250, p90: 410 },
			openBreached: 0
		});
		expect(body.sla.SEV2).toMatchObject({ resolved: 0, compliance: null, openBreached: 1 });
		expect(body.sla.SEV3).toMatchObject({ resolved: 0, openBreached: 0 });
		expect(body.sla['non-production-defect']).toMatchObject({ resolved: 0, openBreached: 0 });
		expect(body.leadTimeDays).toEqual({
			dev: { count: 1, mean: 5, median: 5, p90: 5 },
			ops: { count: 0, mean: null, median: null, p90: null }
		});
		expect(body.throughput).toEqual({ acceptedStories: 1, perWeek: 0.88 });
		expect(body.escalations).toEqual({
			total: 1,
			byStory: { [ids.incidents!]: 1 },
			awayMinutes: { count: 1, mean: 90, median: 90, p90: 90 },
			awayMinutesByStory: { [ids.incidents!]: { count: 1, mean: 90, median: 90, p90: 90 } },
			stillAway: 0
		});
		expect(body.sprints).toEqual([
			{
				sprintId: ids.sprint,
				teamId: ids.team,
				name: 'Sprint 1',
				state: 'closed',
				start: '2026-11-23',
				end: '2026-12-04',
				committedPoints: 21,
				reservedPoints: 9,
				acceptedPoints: 13,
				unknownWorkPoints: 9,
				incidents: 4
			}
		]);
		expect(body.velocity).toEqual({
			[ids.team!]: { closedSprints: 1, acceptedPoints: { count: 1, mean: 13, median: 13, p90: 13 } }
		});
		expect(body.reserve.uses).toEqual([
			{
				sprintId: ids.sprint,
				teamId: ids.team,
				storyId: ids.incidents,
				reserved: 9,
				used: 9,
				left: 0
			}
		]);
		expect(body.reserve.suggestions).toEqual([
			{ teamId: ids.team, storyId: ids.incidents, sprintIds: [], suggested: null }
		]);
		expect(body.balance).toMatchObject({
			targetOpsPercent: 30,
			tolerance: 10,
			planned: { devPoints: 21, opsPoints: 9, opsShare: 0.3 },
			actual: { devPoints: 13, opsPoints: 9, opsShare: 0.409 }
		});
		expect(body.innovation).toEqual({
			newWorkShare: 0.7,
			supportShare: 0.3,
			trend: [
				{ from: '2026-11-23', to: '2026-11-29', incidents: 4, defects: 0 },
				{ from: '2026-11-30', to: '2026-11-30', incidents: 0, defects: 0 }
			],
			experiments: {
				running: 0,
				accepted: 0,
				validated: 0,
				invalidated: 0,
				inconclusive: 0,
				awaitingVerdict: 0
			}
		});
		expect(body.burndown).toEqual([]);
		expect(body.value).toEqual({
			current: {
				measuredStories: 1,
				observedStories: 1,
				meetingTarget: 1,
				attainment: 1,
				stories: [
					{
						storyId: ids.feature,
						title: 'Checkout',
						acceptedAt: '2026-11-28T09:00:00.000Z',
						measure: 'Checkout conversion',
						target: 4,
						direction: 'at-least',
						unit: '%',
						observations: 2,
						latest: {
							at: '2026-11-30T12:00:00.000Z',
							value: 4.2,
							note: 'read 2026-11-30T12:00:00.000Z'
						},
						met: true
					}
				]
			},
			// The rejected story is still open; recurring stories are never done.
			unrealized: {
				openStories: 1,
				estimatedStories: 1,
				totalEstimate: 5,
				stories: [{ storyId: expect.any(String), title: 'Fix login', valueEstimate: 5 }]
			},
			delivered: { stories: 1, totalEstimate: 21 }
		});
	});

	test('current value as it was read on an earlier day: the first reading missed the target', async () => {
		const { body } = await get('?from=2026-11-23&to=2026-11-29');
		expect(body.value.current).toMatchObject({
			observedStories: 1,
			meetingTarget: 0,
			attainment: 0
		});
		expect(body.value.current.stories[0].latest.value).toBe(3.8);
	});

	test('the closed sprint suggests a reserve once the period reaches past its end', async () => {
		const { body } = await get('?from=2026-11-23&to=2026-12-31');
		expect(body.reserve.suggestions).toEqual([
			{ teamId: ids.team, storyId: ids.incidents, sprintIds: [ids.sprint], suggested: 9 }
		]);
	});

	test('for one team, and a period with nothing in it', async () => {
		const team = await get(`?${PERIOD}&team=${ids.team}`);
		expect(team.status).toBe(200);
		expect(team.body.period.teamId).toBe(ids.team);
		expect(team.body.sla.SEV1.resolved).toBe(3);
		const empty = await get('?from=2026-10-01&to=2026-10-31');
		expect(empty.status).toBe(200);
		expect(empty.body.sprints).toEqual([]);
		expect(empty.body.sla.SEV1).toEqual({
			resolved: 0,
			met: 0,
			missed: 0,
			compliance: null,
			timeToResolveMinutes: { count: 0, mean: null, median: null, p90: null },
			openBreached: 0
		});
	});

	test('without dates: the 30 days up to today', async () => {
		const { status, body } = await get('');
		expect(status).toBe(200);
		expect([body.period.from, body.period.to]).toEqual(['2026-11-02', '2026-12-01']);
	});

	test.each([
		['?from=2026-02-30&to=2026-03-01', 'from: dates are calendar days written YYYY-MM-DD.'],
		['?from=yesterday', 'from: dates are calendar days written YYYY-MM-DD.'],
		['?from=2026-11-30&to=2026-11-01', 'from: "from" must be on or before "to".'],
		['?from=2020-01-01&to=2026-01-01', 'A period is at most 731 days; ask for a shorter one.'],
		['?team=nobody', 'The board has no team "nobody".'],
		['?team=bad%20id', 'team: ids use letters, digits, "-" and "_" only.']
	])('%s is refused with 400 and the reason', async (query, reason) => {
		const { status, body } = await get(query);
		expect(status).toBe(400);
		expect(body).toEqual({ error: reason, code: 'bad-request' });
	});

	test('no token is 401; an unknown board is 404', async () => {
		const anonymous = await get(`?${PERIOD}`, null);
		expect(anonymous.status).toBe(401);
		expect(anonymous.body.code).toBe('session-missing');
		const unknown = await get(`?${PERIOD}`, await server.token('nowhere'), 'nowhere');
		expect(unknown.status).toBe(404);
		expect(unknown.body.code).toBe('not-found');
	});
});
