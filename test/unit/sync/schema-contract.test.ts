/**
 * The document contract of docs/schema.md, checked from the outside: boards are written with the
 * `yjs` package alone, following the document (no operations, no codec), and read back with the
 * app's BoardProjection. Test names cite the clause (D1…) or the rule (R1…) they check.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { compareRanked, placeAt, type Ranked } from '../../../src/lib/domain/order';
import { measures } from '../../../src/lib/domain/measures';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import {
	BOARD_COLLECTIONS,
	FIELD_KINDS,
	DISMISSED_KEY,
	FINDINGS_KEY,
	INBOX_KEY,
	META_KEY,
	ORIGIN_KINDS,
	SCHEMA_VERSION,
	TEAM_COLLECTIONS,
	documentName
} from '../../../src/lib/sync/layout';
import { BoardProjection } from '../../../src/lib/sync/projection';

const BOARD_ID = 'acme';
const CREATED = '2026-11-23T09:00:00.000Z';
const NOW = Date.parse('2026-11-24T12:00:00.000Z');

// ---------------------------------------------------------------------------------------------
// Writing, with yjs only (D3 encodings).

/** A new Y.Map with the given fields; values may be nested Yjs types. */
function ymap(fields: Record<string, unknown>): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of Object.entries(fields)) map.set(key, value);
	return map;
}

/** `set` encoding: member → true. */
function set(members: string[]): Y.Map<unknown> {
	return ymap(Object.fromEntries(members.map((member) => [member, true])));
}

/** `list` encoding. */
function list(values: unknown[]): Y.Array<unknown> {
	const array = new Y.Array<unknown>();
	array.push(values);
	return array;
}

/** D11: the origin shape the app labels its transactions with. */
function origin(intent: string) {
	return { kind: 'local', actorId: 'priya', intent };
}

function writeMeta(board: Y.Doc): void {
	board.transact(() => {
		const meta = board.getMap('meta');
		meta.set('id', BOARD_ID);
		meta.set('name', 'Acme Shop');
		meta.set('vision', 'Customers buy in under a minute.');
		meta.set('operationalGoals', list(['99.9 % checkout availability']));
		meta.set(
			'slaPolicy',
			ymap({ SEV1: 360, SEV2: 1440, SEV3: 4320, 'non-production-defect': 10080 })
		);
		meta.set('targetOpsPercent', 30);
		meta.set('splitTolerance', 10);
		meta.set('createdAt', CREATED);
		meta.set('schemaVersion', 1);
		board
			.getMap('people')
			.set('priya', ymap({ id: 'priya', name: 'Priya', roles: set(['product-owner']) }));
	}, origin('createBoard'));
}

function writeTeam(board: Y.Doc, id: string, velocity: unknown): void {
	board.transact(() => {
		board.getMap('teams').set(
			id,
			ymap({
				id,
				name: `Team ${id}`,
				kind: 'mixed',
				scrumMasterId: null,
				memberIds: set([]),
				velocity
			})
		);
	}, origin('createTeam'));
}

function writeStory(
	board: Y.Doc,
	id: string,
	fields: { rank: string; duration: 'finite' | 'recurring' } & Record<string, unknown>
): void {
	board.transact(() => {
		board.getMap('stories').set(
			id,
			ymap({
				id,
				title: `Story ${id}`,
				asA: 'customer',
				iWant: 'something',
				soThat: 'it helps',
				acceptanceCriteria: list(['it works']),
				successMeasure: '',
				productOwnerIds: set(['priya']),
				epicId: null,
				teaming: 'single',
				teamIds: set(['web']),
				workType: fields.duration === 'recurring' ? 'ops' : 'dev',
				sla: 'none',
				escalationAllowed: false,
				escalationTargetIds: set([]),
				estimates: ymap({}),
				createdAt: CREATED,
				...fields
			})
		);
	}, origin('createStory'));
}

/**
 * The board of R1's example (docs/domain.md#r1-over-commitment): team Web (velocity 30), a
 * recurring support story and a finite story, and an active sprint committing 21 points and
 * reserving 10 for unknown work.
 */
function writePaperBoard(board: Y.Doc, velocity: unknown = 30): void {
	writeMeta(board);
	writeTeam(board, 'web', velocity);
	writeStory(board, 'support', {
		rank: 'a0',
		duration: 'recurring',
		title: 'Production support',
		estimates: ymap({ web: 10 })
	});
	writeStory(board, 'checkout', {
		rank: 'a1',
		duration: 'finite',
		title: 'One-click checkout',
		estimates: ymap({ web: 21 })
	});
	board.transact(() => {
		board.getMap('sprints').set(
			'web-s1',
			ymap({
				id: 'web-s1',
				teamId: 'web',
				name: 'Web sprint 1',
				goal: 'Checkout',
				start: '2026-11-23',
				end: '2026-12-04',
				state: 'active',
				commitments: ymap({}),
				knownWork: ymap({}),
				reserved: ymap({}),
				reviews: ymap({}),
				closedAt: null
			})
		);
	}, origin('planSprint'));
	// Member-level writes into the sprint's records, as D3 asks.
	const sprint = board.getMap('sprints').get('web-s1') as Y.Map<unknown>;
	board.transact(() => {
		(sprint.get('commitments') as Y.Map<unknown>).set('checkout', 21);
	}, origin('commitStory'));
	board.transact(() => {
		(sprint.get('reserved') as Y.Map<unknown>).set('support', 10);
	}, origin('reserveUnknownWork'));
}

function project(board: Y.Doc): { docs: BoardDocs; projection: BoardProjection } {
	const docs = new BoardDocs(BOARD_ID, board);
	return { docs, projection: new BoardProjection(docs, { now: NOW }) };
}

function findingsOf(projection: BoardProjection, rule: string) {
	return projection.findings().filter((f) => f.rule === rule);
}

// ---------------------------------------------------------------------------------------------

describe('the document contract of docs/schema.md', () => {
	test('[D1][D2][D3][D10][D11] names, root keys, encodings and version are the ones the code uses', () => {
		expect(documentName.board(BOARD_ID)).toBe('acme');
		expect(documentName.team(BOARD_ID, 'web')).toBe('acme/team/web');
		expect(documentName.person(BOARD_ID, 'ana')).toBe('acme/person/ana');
		expect([DISMISSED_KEY, INBOX_KEY]).toEqual(['dismissed', 'inbox']);
		expect(META_KEY).toBe('meta');
		expect(FINDINGS_KEY).toBe('findings');
		expect([...TEAM_COLLECTIONS]).toEqual(['tasks']);
		expect([...BOARD_COLLECTIONS].sort()).toEqual(
			[
				'people',
				'teams',
				'epics',
				'stories',
				'workPackages',
				'templates',
				'sprints',
				'standups',
				'standupSummaries',
				'impediments',
				'retro',
				'comments',
				'incidentReviews',
				'observations',
				'doneCriteria',
				'doneChecklists'
			].sort()
		);
		expect(FIELD_KINDS).toEqual({
			meta: { operationalGoals: 'list', slaPolicy: 'record', vision: 'text' },
			people: { roles: 'set' },
			teams: { memberIds: 'set', memberSince: 'record' },
			epics: { description: 'text' },
			stories: {
				asA: 'text',
				iWant: 'text',
				soThat: 'text',
				successMeasure: 'text',
				acceptanceCriteria: 'lines',
				productOwnerIds: 'set',
				teamIds: 'set',
				escalationTargetIds: 'set',
				estimates: 'record',
				proposals: 'record'
			},
			workPackages: {
				swarm: 'set',
				escalations: 'mapList',
				timeline: 'mapList',
				description: 'text',
				statusUpdates: 'mapList'
			},
			tasks: {},
			templates: { tasks: 'list', changeRequests: 'mapList' },
			sprints: {
				commitments: 'record',
				knownWork: 'record',
				reserved: 'record',
				reviews: 'record',
				goal: 'text'
			},
			standups: { done: 'text', next: 'text', impediments: 'text' },
			standupSummaries: {
				speakerIds: 'list',
				asyncIds: 'list',
				absentIds: 'list',
				skippedIds: 'list',
				incidentIds: 'list'
			},
			impediments: { affectedTeamIds: 'set', description: 'text' },
			retro: { text: 'text' },
			comments: { mentions: 'set' },
			incidentReviews: {
				summary: 'text',
				impact: 'text',
				timeline: 'mapList',
				contributingFactors: 'text',
				wentWell: 'text',
				actionItems: 'mapList'
			},
			observations: {},
			doneCriteria: {},
			doneChecklists: { ticks: 'record', acceptedAgainst: 'list' }
		});
		expect(SCHEMA_VERSION).toBe(2);
		expect([...ORIGIN_KINDS]).toEqual(['local', 'remote', 'persistence', 'server-repair']);
	});

	test('[R1] a board written with yjs alone: 21 committed + 10 reserved exceeds velocity 30', () => {
		const board = new Y.Doc();
		writePaperBoard(board);
		const { projection } = project(board);

		expect([...projection.rejected]).toEqual([]);
		const state = projection.state;
		expect(state.board).toMatchObject({ id: BOARD_ID, name: 'Acme Shop', targetOpsPercent: 30 });
		expect(state.board?.slaPolicy.SEV1).toBe(360);
		expect(state.teams.get('web')).toMatchObject({ velocity: 30, memberIds: [] });
		expect(state.stories.get('support')).toMatchObject({
			duration: 'recurring',
			productOwnerIds: ['priya'],
			teamIds: ['web'],
			estimates: { web: 10 }
		});
		expect(state.stories.get('checkout')).toMatchObject({ duration: 'finite', rank: 'a1' });
		expect(state.sprints.get('web-s1')).toMatchObject({
			commitments: { checkout: 21 },
			reserved: { support: 10 },
			knownWork: {},
			reviews: {}
		});

		const r1 = findingsOf(projection, 'R1');
		expect(r1).toHaveLength(1);
		expect(r1[0]!.severity).toBe('error');
		expect(r1[0]!.message).toMatch(/\b31\b/);
		expect(r1[0]!.message).toMatch(/\b30\b/);
		expect(r1[0]!.refs).toContainEqual({ kind: 'sprint', id: 'web-s1' });
		expect(r1[0]!.refs).toContainEqual({ kind: 'team', id: 'web' });
		expect(projection.findings().filter((f) => f.severity === 'error')).toEqual(r1);
	});

	test('[D6.5][D6.15] a success target and observations written with yjs alone count as current value', () => {
		const board = new Y.Doc();
		writePaperBoard(board);
		const checkout = board.getMap('stories').get('checkout') as Y.Map<unknown>;
		const sprint = board.getMap('sprints').get('web-s1') as Y.Map<unknown>;
		board.transact(() => {
			checkout.set('successTarget', 4);
			checkout.set('successDirection', 'at-least');
			checkout.set('successUnit', '%');
			checkout.set('valueEstimate', 13);
			(sprint.get('reviews') as Y.Map<unknown>).set('checkout', {
				outcome: 'accepted',
				note: '',
				byPersonId: 'priya',
				at: '2026-11-24T10:00:00.000Z'
			});
			board.getMap('observations').set(
				'o1',
				ymap({
					id: 'o1',
					storyId: 'checkout',
					at: '2026-11-24T11:00:00.000Z',
					value: 4.5,
					note: 'first week',
					recordedBy: 'priya'
				})
			);
		}, origin('recordObservation'));
		const { projection } = project(board);
		expect([...projection.rejected]).toEqual([]);
		const value = measures(projection.state, {
			from: '2026-11-23',
			to: '2026-11-24',
			now: NOW
		}).value;
		expect(value.current).toMatchObject({ measuredStories: 1, meetingTarget: 1, attainment: 1 });
		expect(value.delivered).toEqual({ stories: 1, totalEstimate: 13 });
	});

	test('[D6.16][D6.17][R16] a Definition of Done written with yjs alone: an acceptance with an unticked criterion is reported', () => {
		const board = new Y.Doc();
		writePaperBoard(board);
		const sprint = board.getMap('sprints').get('web-s1') as Y.Map<unknown>;
		board.transact(() => {
			for (const [id, text] of [
				['c1', 'Runbook updated'],
				['c2', 'Deployed to production']
			]) {
				board.getMap('doneCriteria').set(
					id!,
					ymap({
						id,
						text,
						teamId: null,
						workType: null,
						createdBy: 'priya',
						createdAt: CREATED,
						retiredAt: null
					})
				);
			}
			board.getMap('doneChecklists').set(
				'checkout',
				ymap({
					id: 'checkout',
					ticks: ymap({ c1: { at: CREATED, by: 'priya' } }),
					acceptedAgainst: list([
						{ id: 'c1', text: 'Runbook updated' },
						{ id: 'c2', text: 'Deployed to production' }
					]),
					acceptedAt: '2026-11-24T10:00:00.000Z'
				})
			);
			(sprint.get('reviews') as Y.Map<unknown>).set('checkout', {
				outcome: 'accepted',
				note: '',
				byPersonId: 'priya',
				at: '2026-11-24T10:00:00.000Z'
			});
		}, origin('reviewStory'));
		const { projection } = project(board);
		expect([...projection.rejected]).toEqual([]);
		const r16 = findingsOf(projection, 'R16');
		expect(r16).toHaveLength(1);
		expect(r16[0]!.message).toContain('"Deployed to production"');
		expect(r16[0]!.message).not.toContain('Runbook');
	});

	test('[D6.5] a story written before 2.2 reads with no target and no value estimate', () => {
		const board = new Y.Doc();
		writePaperBoard(board);
		const { projection } = project(board);
		expect(projection.state.stories.get('checkout')).toMatchObject({
			successTarget: null,
			successDirection: 'at-least',
			successUnit: '',
			valueEstimate: null
		});
		expect(projection.state.observations.size).toBe(0);
	});

	test('[D6.15] an observation of a number out of bounds is rejected with the reason', () => {
		const board = new Y.Doc();
		writePaperBoard(board);
		board.transact(() => {
			board.getMap('observations').set(
				'o1',
				ymap({
					id: 'o1',
					storyId: 'checkout',
					at: '2026-11-24T11:00:00.000Z',
					value: 1e13,
					note: '',
					recordedBy: null
				})
			);
		}, origin('recordObservation'));
		const { projection } = project(board);
		expect(projection.rejected.get('observations/o1')).toMatch(/too large for a measure/);
	});

	test('[R1] 20 committed + 10 reserved fits velocity 30', () => {
		const board = new Y.Doc();
		writePaperBoard(board);
		const sprint = board.getMap('sprints').get('web-s1') as Y.Map<unknown>;
		(sprint.get('commitments') as Y.Map<unknown>).set('checkout', 20);
		const { projection } = project(board);
		expect(findingsOf(projection, 'R1')).toEqual([]);
	});

	test('[D4] a field written with the wrong type: the team is rejected with a reason and ignored', () => {
		const board = new Y.Doc();
		writePaperBoard(board, '30');
		const { projection } = project(board);

		expect([...projection.rejected.keys()]).toEqual(['teams/web']);
		expect(projection.rejected.get('teams/web')).toMatch(/velocity/);
		expect(projection.rejected.get('teams/web')).toMatch(/expected number/);
		expect(projection.state.teams.has('web')).toBe(false);
		// The rules do not see the invalid team, so the sprint cannot be checked against it.
		expect(findingsOf(projection, 'R1')).toEqual([]);

		// A write that makes it valid brings it back.
		board.transact(() => {
			(board.getMap('teams').get('web') as Y.Map<unknown>).set('velocity', 30);
		}, origin('updateTeam'));
		expect(projection.rejected.size).toBe(0);
		expect(projection.state.teams.get('web')?.velocity).toBe(30);
		expect(findingsOf(projection, 'R1')).toHaveLength(1);
	});

	test('[D4] a missing plain field or a malformed instant makes an entity invalid', () => {
		const board = new Y.Doc();
		writePaperBoard(board);
		const sprint = board.getMap('sprints').get('web-s1') as Y.Map<unknown>;
		const story = board.getMap('stories').get('checkout') as Y.Map<unknown>;
		board.transact(() => {
			sprint.delete('closedAt'); // nullable fields are written as null, never omitted
			story.set('createdAt', '2026-11-23T09:00:00'); // an instant needs an offset
		});
		const { projection } = project(board);
		expect([...projection.rejected.keys()].sort()).toEqual(['sprints/web-s1', 'stories/checkout']);
		expect(projection.rejected.get('sprints/web-s1')).toMatch(/closedAt/);
		expect(projection.rejected.get('stories/checkout')).toMatch(/createdAt/);
	});

	test('[D3] missing nested fields read as empty; unknown fields are ignored', () => {
		const board = new Y.Doc();
		writeMeta(board);
		board
			.getMap('teams')
			.set(
				'web',
				ymap({ id: 'web', name: 'Web', kind: 'dev', scrumMasterId: null, velocity: 30, x: 1 })
			);
		const { projection } = project(board);
		expect(projection.rejected.size).toBe(0);
		expect(projection.state.teams.get('web')).toEqual({
			id: 'web',
			name: 'Web',
			kind: 'dev',
			scrumMasterId: null,
			memberIds: [],
			memberSince: {},
			velocity: 30
		});
	});

	test('[D4] an entity stored under a key other than its id is ignored', () => {
		const board = new Y.Doc();
		writeMeta(board);
		board
			.getMap('teams')
			.set('web', ymap({ id: 'ops', name: 'Web', kind: 'dev', scrumMasterId: null, velocity: 30 }));
		const { projection } = project(board);
		expect(projection.state.teams.size).toBe(0);
	});

	test('[D1] a task written into the team document is read back with its homeTeamId', () => {
		// Each document is known by its name; a provider syncs it under that name.
		const documents = new Map<string, Y.Doc>([
			[BOARD_ID, new Y.Doc()],
			[`${BOARD_ID}/team/web`, new Y.Doc()]
		]);
		const board = documents.get(BOARD_ID)!;
		writePaperBoard(board);
		const webTasks = documents.get(`${BOARD_ID}/team/web`)!;
		const task = {
			id: 'task-1',
			title: 'Store the card token',
			owningTeamId: 'web',
			workPackageId: null,
			storyId: 'checkout',
			assigneeId: 'priya',
			estimate: 3,
			status: 'todo',
			rank: 'a0',
			createdBy: 'priya',
			createdAt: CREATED
		};
		webTasks.transact(() => webTasks.getMap('tasks').set('task-1', ymap(task)), origin('addTasks'));

		const replica = new Y.Doc();
		Y.applyUpdate(replica, Y.encodeStateAsUpdate(board));
		const { docs, projection } = project(replica);
		// The app opens the document of every team listed in `teams`; deliver it by name.
		expect([...docs.teams().keys()]).toEqual(['web']);
		for (const [teamId, doc] of docs.teams()) {
			const name = `${BOARD_ID}/team/${teamId}`;
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(documents.get(name)!));
		}

		expect(projection.rejected.size).toBe(0);
		// `doneAt` was left out, as a writer of an older version would: it reads as null.
		expect(projection.state.tasks.get('task-1')).toEqual({
			...task,
			doneAt: null,
			homeTeamId: 'web'
		});
		expect(findingsOf(projection, 'R11')).toEqual([]);
	});

	test('[R11] a task whose owner is not the team of its document is reported', () => {
		const board = new Y.Doc();
		writePaperBoard(board);
		writeTeam(board, 'ops', 20);
		const { docs, projection } = project(board);
		const opsTasks = docs.team('ops');
		opsTasks.getMap('tasks').set(
			'task-2',
			ymap({
				id: 'task-2',
				title: 'Written into the wrong document',
				owningTeamId: 'web',
				workPackageId: null,
				storyId: null,
				assigneeId: null,
				estimate: null,
				status: 'doing',
				rank: 'a0',
				createdBy: null,
				createdAt: CREATED
			})
		);
		expect(projection.state.tasks.get('task-2')?.homeTeamId).toBe('ops');
		const r11 = findingsOf(projection, 'R11');
		expect(r11).toHaveLength(1);
		expect(r11[0]!.severity).toBe('error');
	});

	test('[D7] backlog order and placement between stories, including a tie, match the app', () => {
		/** D7 order: rank by code unit, then id. */
		const byContract = (a: Ranked, b: Ranked) =>
			a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
		/** D7 placement, step by step. */
		function placeByContract(ordered: Ranked[], i: number): { rank: string; respaced: Ranked[] } {
			const prev = ordered[i - 1];
			const next = ordered[i];
			if (!prev || !next || prev.rank < next.rank) {
				return {
					rank: generateKeyBetween(prev?.rank ?? null, next?.rank ?? null),
					respaced: []
				};
			}
			let end = i;
			while (end < ordered.length && ordered[end]!.rank === prev.rank) end++;
			const upper = ordered[end]?.rank ?? null;
			const keys = generateNKeysBetween(prev.rank, upper, end - i + 1);
			return {
				rank: keys[0]!,
				respaced: ordered.slice(i, end).map((item, k) => ({ id: item.id, rank: keys[k + 1]! }))
			};
		}

		expect(generateKeyBetween(null, null)).toBe('a0');
		expect(generateKeyBetween('a0', null)).toBe('a1');
		expect(generateKeyBetween('a0', 'a1')).toBe('a0V');

		// Two replicas inserted `b` and `c` concurrently at the same spot: equal ranks.
		const board = new Y.Doc();
		writeMeta(board);
		writeTeam(board, 'web', 30);
		const stories: Ranked[] = [
			{ id: 'd', rank: 'a2' },
			{ id: 'c', rank: 'a1' },
			{ id: 'a', rank: 'a0' },
			{ id: 'b', rank: 'a1' },
			{ id: 'Z', rank: 'a1' }
		];
		for (const { id, rank } of stories) writeStory(board, id, { rank, duration: 'finite' });
		const { projection } = project(board);
		expect(projection.rejected.size).toBe(0);
		const read = [...projection.state.stories.values()].map(({ id, rank }) => ({ id, rank }));
		const ordered = read.sort(byContract);
		expect(ordered.map((s) => s.id)).toEqual(['a', 'Z', 'b', 'c', 'd']);
		expect([...ordered].sort(compareRanked)).toEqual(ordered);

		for (let i = 0; i <= ordered.length; i++) {
			expect(placeByContract(ordered, i)).toEqual(placeAt(ordered, i));
		}
		// Between `Z` and `b` (tied at a1): the new story and the tied `b`, `c` get fresh keys.
		const placed = placeByContract(ordered, 2);
		const story = board.getMap('stories');
		board.transact(() => {
			writeStory(board, 'new', { rank: placed.rank, duration: 'finite' });
			for (const { id, rank } of placed.respaced) {
				(story.get(id) as Y.Map<unknown>).set('rank', rank);
			}
		}, origin('createStory'));
		const after = [...projection.state.stories.values()]
			.map(({ id, rank }) => ({ id, rank }))
			.sort(byContract);
		expect(after.map((s) => s.id)).toEqual(['a', 'Z', 'new', 'b', 'c', 'd']);
	});

	describe('work packages with SLA', () => {
		function writeIncident(board: Y.Doc): Y.Map<unknown> {
			writeMeta(board);
			writeTeam(board, 'web', 30);
			writeStory(board, 'support', { rank: 'a0', duration: 'recurring', sla: 'policy' });
			writeStory(board, 'second-line', { rank: 'a1', duration: 'recurring', sla: 'policy' });
			const createdAt = '2026-11-24T06:00:00.000Z';
			// D8: createdAt + slaPolicy[severity] minutes, the story having sla 'policy'.
			const slaPolicy = board.getMap('meta').get('slaPolicy') as Y.Map<number>;
			const deadline = new Date(
				Date.parse(createdAt) + slaPolicy.get('SEV1')! * 60_000
			).toISOString();
			expect(deadline).toBe('2026-11-24T12:00:00.000Z');
			const wp = ymap({
				id: 'inc-1',
				storyId: 'support',
				title: 'Checkout down',
				category: 'incident',
				severity: 'SEV1',
				submitterId: 'priya',
				createdAt,
				slaDeadline: deadline,
				planned: false,
				points: null,
				status: 'open',
				completedAt: null,
				swarm: ymap({ priya: createdAt }),
				escalations: new Y.Array<Y.Map<unknown>>(),
				templateId: null
			});
			board.transact(() => board.getMap('workPackages').set('inc-1', wp), origin('createWP'));
			return wp;
		}

		test('[D8] the deadline written by the formula drives the SLA clock (R9)', () => {
			const board = new Y.Doc();
			writeIncident(board);
			const { projection } = project(board);
			expect(projection.rejected.size).toBe(0);
			expect(projection.state.workPackages.get('inc-1')?.swarm).toEqual(['priya']);
			// 5 h of the 6 h window gone: less than 25 % left.
			projection.setNow(Date.parse('2026-11-24T11:00:00.000Z'));
			expect(findingsOf(projection, 'R9').map((f) => f.severity)).toEqual(['warning']);
			projection.setNow(Date.parse('2026-11-24T13:00:00.000Z'));
			expect(findingsOf(projection, 'R9').map((f) => f.severity)).toEqual(['error']);
		});

		test('[D9] a hop is appended with the severity and deadline of its time; only its resolution is edited later', () => {
			const board = new Y.Doc();
			const wp = writeIncident(board);
			const { projection } = project(board);
			const hops = wp.get('escalations') as Y.Array<Y.Map<unknown>>;
			board.transact(() => {
				hops.push([
					ymap({
						fromStoryId: 'support',
						toStoryId: 'second-line',
						at: '2026-11-24T07:00:00.000Z',
						byPersonId: 'priya',
						reason: 'Needs the database team',
						severity: wp.get('severity'),
						slaDeadline: wp.get('slaDeadline'),
						resolvedAt: null,
						resolvedBy: null
					})
				]);
			}, origin('escalate'));
			expect(projection.rejected.size).toBe(0);
			expect(projection.state.workPackages.get('inc-1')?.escalations).toHaveLength(1);
			expect(findingsOf(projection, 'R8')).toEqual([]);

			board.transact(() => {
				hops.get(0).set('resolvedAt', '2026-11-24T09:00:00.000Z');
				hops.get(0).set('resolvedBy', 'priya');
			}, origin('resolveEscalation'));
			expect(projection.state.workPackages.get('inc-1')?.escalations[0]).toMatchObject({
				resolvedAt: '2026-11-24T09:00:00.000Z',
				resolvedBy: 'priya'
			});
			expect(findingsOf(projection, 'R8')).toEqual([]);

			// Moving the deadline after an escalation breaks R8.
			board.transact(() => wp.set('slaDeadline', '2026-11-25T12:00:00.000Z'));
			expect(findingsOf(projection, 'R8').map((f) => f.severity)).toEqual(['error']);
		});
	});
});
