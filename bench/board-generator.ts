/**
 * Generates a large, realistic board straight into Yjs documents (through the codec, not the
 * operations: inserting 10,000 stories one intent at a time would measure the generator).
 * Deterministic for a given seed.
 */
import * as prng from 'lib0/prng';
import { generateNKeysBetween } from 'fractional-indexing';
import * as Y from 'yjs';
import {
	DEFAULT_SLA_POLICY,
	SEVERITIES,
	type Board,
	type Observation,
	type Person,
	type Sprint,
	type Story,
	type Task,
	type Team,
	type WorkPackage
} from '../src/lib/domain/schema';
import { slaDeadline } from '../src/lib/domain/sla';
import { BoardDocs } from '../src/lib/sync/board-docs';
import { entityToYMap, writeFields } from '../src/lib/sync/codec';
import { FIELD_KINDS } from '../src/lib/sync/layout';

export interface BoardSize {
	teams: number;
	stories: number;
	tasks: number;
	openWorkPackages: number;
}

export const LARGE_BOARD: BoardSize = {
	teams: 50,
	stories: 10_000,
	tasks: 100_000,
	openWorkPackages: 2_000
};

export interface GeneratedBoard {
	docs: BoardDocs;
	teamIds: string[];
	storyIds: string[];
	sprintIds: string[];
	workPackageIds: string[];
	personIds: string[];
	/** Task ids per owning team. */
	taskIds: Map<string, string[]>;
}

const T0 = Date.parse('2026-11-16T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** Builds a board of the given size; `now` is the instant its SLA clocks run against. */
export function generateBoard(size: BoardSize, seed = 42): GeneratedBoard {
	const gen = prng.create(seed);
	const docs = new BoardDocs('bench');
	const teamIds = range(size.teams, (i) => `team-${i}`);
	const personIds: string[] = [];
	const storyIds = range(size.stories, (i) => `story-${i}`);
	const sprintIds: string[] = [];
	const workPackageIds: string[] = [];
	const taskIds = new Map<string, string[]>();
	const recurring = (i: number) => i % 5 === 0;
	const put = (collection: Parameters<BoardDocs['collection']>[0], entity: { id: string }) =>
		docs
			.collection(collection)
			.set(entity.id, entityToYMap(entity as Record<string, unknown>, FIELD_KINDS[collection]));

	docs.board.transact(() => {
		const board: Board = {
			id: 'bench',
			name: 'Benchmark board',
			vision: 'A board the size of a large enterprise product.',
			operationalGoals: ['99.95 % availability'],
			slaPolicy: DEFAULT_SLA_POLICY,
			targetOpsPercent: 30,
			splitTolerance: 10,
			timeZone: 'UTC',
			reviewDueDays: 5,
			createdAt: iso(T0)
		};
		writeFields(docs.meta(), board, FIELD_KINDS.meta);
		for (const [t, teamId] of teamIds.entries()) {
			const members = range(8, (m) => `person-${t}-${m}`);
			for (const id of members) {
				const person: Person = { id, name: `Person ${t}.${id.slice(-1)}`, roles: ['team-member'] };
				put('people', person);
				personIds.push(id);
			}
			const team: Team = {
				id: teamId,
				name: `Team ${t}`,
				kind: t % 3 === 0 ? 'ops' : 'mixed',
				scrumMasterId: members[0]!,
				memberIds: members,
				memberSince: {},
				velocity: 40
			};
			put('teams', team);
		}
		const po: Person = {
			id: 'po',
			name: 'Chief PO',
			roles: ['product-owner', 'chief-product-owner']
		};
		const csm: Person = { id: 'csm', name: 'Chief SM', roles: ['chief-scrum-master'] };
		put('people', po);
		put('people', csm);
		personIds.push(po.id, csm.id);

		const ranks = generateNKeysBetween(null, null, size.stories);
		for (const [i, id] of storyIds.entries()) {
			const teamId = teamIds[i % teamIds.length]!;
			const ops = recurring(i);
			const story: Story = {
				id,
				title: `Story ${i}`,
				asA: 'customer',
				iWant: `capability ${i}`,
				soThat: 'value is delivered',
				acceptanceCriteria: ['It works', 'It is measured'],
				successMeasure: 'Adoption',
				productOwnerIds: [po.id],
				epicId: null,
				rank: ranks[i]!,
				duration: ops ? 'recurring' : 'finite',
				teaming: 'single',
				teamIds: [teamId],
				workType: ops ? 'ops' : 'dev',
				sla: ops ? 'policy' : 'none',
				escalationAllowed: ops,
				escalationTargetIds: ops ? [storyIds[(i + 5) % size.stories]!] : [],
				estimates: { [teamId]: prng.uint32(gen, 1, 13) },
				createdAt: iso(T0),
				proposals: {},
				successTarget: ops ? null : 5,
				successDirection: 'at-least',
				successUnit: ops ? '' : '%',
				valueEstimate: ops ? null : prng.uint32(gen, 1, 100),
				experiment: false,
				hypothesis: '',
				verdict: null,
				evidence: ''
			};
			put('stories', story);
			// Every tenth finite story has been measured twice.
			if (!ops && i % 10 === 0) {
				for (const day of [1, 2]) {
					const observation: Observation = {
						id: `${id}-o${day}`,
						storyId: id,
						at: iso(T0 + day * 86_400_000),
						value: prng.uint32(gen, 0, 10),
						note: '',
						recordedBy: po.id
					};
					put('observations', observation);
				}
			}
		}

		// Per team: two closed sprints, the active one and the next planned one.
		for (const [t, teamId] of teamIds.entries()) {
			const teamStories = storyIds.filter((_, i) => i % teamIds.length === t);
			const finite = teamStories.filter((_, k) => !recurring(k * teamIds.length + t));
			const ops = teamStories.filter((_, k) => recurring(k * teamIds.length + t));
			for (const [s, state] of (['closed', 'closed', 'active', 'planned'] as const).entries()) {
				const start = iso(T0 + (s - 2) * 14 * 86_400_000).slice(0, 10);
				const end = iso(T0 + ((s - 2) * 14 + 13) * 86_400_000).slice(0, 10);
				const commitments = Object.fromEntries(
					finite.slice(s * 5, s * 5 + 5).map((id) => [id, prng.uint32(gen, 2, 5)])
				);
				const reserved = Object.fromEntries(ops.slice(0, 2).map((id) => [id, 5]));
				const sprint: Sprint = {
					id: `sprint-${t}-${s}`,
					teamId,
					name: `Team ${t} sprint ${s}`,
					goal: 'Deliver value',
					start,
					end,
					state,
					commitments,
					knownWork: {},
					reserved,
					reviews: {},
					closedAt: state === 'closed' ? iso(T0) : null
				};
				put('sprints', sprint);
				sprintIds.push(sprint.id);
			}
		}

		const opsStories = storyIds.filter((_, i) => recurring(i));
		for (let w = 0; w < size.openWorkPackages; w++) {
			const storyId = opsStories[w % opsStories.length]!;
			const severity = SEVERITIES[w % SEVERITIES.length]!;
			const createdAt = iso(T0 + w * 60_000);
			const wp: WorkPackage = {
				id: `wp-${w}`,
				storyId,
				title: `Incident ${w}`,
				category: 'incident',
				severity,
				submitterId: po.id,
				createdAt,
				slaDeadline: slaDeadline(createdAt, severity, DEFAULT_SLA_POLICY),
				planned: false,
				points: 2,
				status: 'open',
				completedAt: null,
				swarm: personIds.slice(w % 50, (w % 50) + prng.uint32(gen, 0, 3)),
				escalations: [],
				timeline: [],
				templateId: null,
				description: '',
				assigneeId: null,
				commanderId: null,
				commsLeadId: null,
				statusUpdates: [],
				alert: null
			};
			put('workPackages', wp);
			workPackageIds.push(wp.id);
		}
	});

	const perTeam = Math.ceil(size.tasks / teamIds.length);
	for (const [t, teamId] of teamIds.entries()) {
		const doc: Y.Doc = docs.team(teamId);
		const ids: string[] = [];
		const ranks = generateNKeysBetween(null, null, perTeam);
		doc.transact(() => {
			const tasks = doc.getMap<Y.Map<unknown>>('tasks');
			for (let k = 0; k < perTeam && t * perTeam + k < size.tasks; k++) {
				const task: Task = {
					id: `task-${t}-${k}`,
					title: `Task ${k}`,
					owningTeamId: teamId,
					workPackageId:
						k % 10 === 0 ? workPackageIds[(t * perTeam + k) % workPackageIds.length]! : null,
					storyId: storyIds[(k * teamIds.length + t) % storyIds.length]!,
					assigneeId: null,
					estimate: 1,
					status: (['todo', 'doing', 'done'] as const)[k % 3]!,
					rank: ranks[k]!,
					createdBy: null,
					createdAt: iso(T0),
					doneAt: k % 3 === 2 ? iso(T0) : null
				};
				tasks.set(task.id, entityToYMap(task, FIELD_KINDS.tasks));
				ids.push(task.id);
			}
		});
		taskIds.set(teamId, ids);
	}
	return { docs, teamIds, storyIds, sprintIds, workPackageIds, personIds, taskIds };
}

function range<T>(n: number, f: (i: number) => T): T[] {
	return Array.from({ length: n }, (_, i) => f(i));
}
