/**
 * The board's measures, computed from its state by pure functions: delivery per sprint, velocity,
 * the active sprints' burndown, the unknown-work reserve, SLA and escalations, the dev/ops
 * balance and the evidence-based-management figures. `measures()` assembles them in the shape of
 * `GET /api/boards/:id/measures`; each figure's meaning is in MEASURE_DEFINITIONS and
 * docs/domain.md#measures.
 *
 * Time: the period is whole days of the board's time zone (UTC unless it names one). An instant
 * is in the period when its calendar day there is, i.e. from the first instant of `from` to the
 * first instant of the day after `to`.
 */
import type {
	ActiveSprintBurn,
	Distribution,
	Measures,
	SlaFigures,
	SprintFigures,
	Split
} from '../../contract/measures';
import { reservedBudgets, type ReservedBudget } from '../budget';
import { addDays, dayOf, daysBetween, startOfDay, timeZoneOf } from '../days';
import {
	SEVERITIES,
	WORK_TYPES,
	type Severity,
	type Sprint,
	type Story,
	type WorkPackage
} from '../schema';
import type { BoardState, PlacedTask } from '../state';
import { distribution, nearestRank, round, share, sumPoints } from './stats';
import { valueMeasures, type StoryFigures } from './value';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Days of a period when the request names no start. */
export const DEFAULT_PERIOD_DAYS = 30;
/** Closed sprints a suggested reserve looks back on, and the percentile of their use it takes. */
export const RESERVE_HISTORY_SPRINTS = 6;
export const RESERVE_PERCENTILE = 0.8;

export interface MeasureOptions {
	/** First and last day of the period (YYYY-MM-DD, both included); see `periodOf`. */
	from?: string;
	to?: string;
	/** Only this team's work; null or absent: the whole board. */
	teamId?: string | null;
	/** ms since epoch: open work is read at the end of the period, or now if that is earlier. */
	now: number;
}

/** The period as days and as the instants that bound it. */
export interface Period {
	from: string;
	to: string;
	timeZone: string;
	/** First instant of `from`, and of the day after `to` (excluded). */
	startMs: number;
	endMs: number;
	now: number;
	/** When open work is read: the end of the period, or now if that is earlier. */
	atMs: number;
	teamId: string | null;
}

/**
 * The period asked for: `to` defaults to today and `from` to 30 days up to `to`, both in the
 * board's time zone.
 */
export function periodOf(state: Pick<BoardState, 'board'>, options: MeasureOptions): Period {
	const timeZone = timeZoneOf(state.board);
	const to = options.to ?? dayOf(options.now, timeZone);
	const from = options.from ?? addDays(to, 1 - DEFAULT_PERIOD_DAYS);
	const startMs = startOfDay(from, timeZone);
	const endMs = startOfDay(addDays(to, 1), timeZone);
	return {
		from,
		to,
		timeZone,
		startMs,
		endMs,
		now: options.now,
		atMs: Math.min(endMs, options.now),
		teamId: options.teamId ?? null
	};
}

const within = (at: number | null, period: Period) =>
	at !== null && at >= period.startMs && at < period.endMs;

// ---------------------------------------------------------------------------------------------
// What a work package contributes, read once

/** Incidents break production (or say so); defects are broken outside it. */
export type WorkKind = 'incident' | 'defect' | null;

export interface WorkFacts {
	created: number;
	completed: number | null;
	deadline: number | null;
	/** The board day it arrived on. */
	arrivalDay: string | null;
	kind: WorkKind;
	hops: { from: string; at: number; resolved: number | null }[];
}

const parsed = (instant: string | null): number | null => {
	if (instant === null) return null;
	const at = Date.parse(instant);
	return Number.isNaN(at) ? null : at;
};

/** A work package is an incident with a production severity or the category "incident". */
export function workKind(wp: Pick<WorkPackage, 'severity' | 'category'>): WorkKind {
	if (wp.severity === 'SEV1' || wp.severity === 'SEV2' || wp.severity === 'SEV3') return 'incident';
	if (wp.category === 'incident') return 'incident';
	if (wp.severity === 'non-production-defect' || wp.category === 'bug' || wp.category === 'defect')
		return 'defect';
	return null;
}

export function workFacts(wp: WorkPackage, timeZone: string): WorkFacts {
	const created = parsed(wp.createdAt) ?? Number.NaN;
	return {
		created,
		completed: wp.status === 'done' ? parsed(wp.completedAt) : null,
		deadline: parsed(wp.slaDeadline),
		arrivalDay: Number.isNaN(created) ? null : dayOf(created, timeZone),
		kind: workKind(wp),
		hops: wp.escalations.map((hop) => ({
			from: hop.fromStoryId,
			at: parsed(hop.at) ?? Number.NaN,
			resolved: parsed(hop.resolvedAt)
		}))
	};
}

/** What the measures may take from a cache instead of computing (see IncrementalMeasures). */
export interface MeasureParts {
	facts(wp: WorkPackage, timeZone: string): WorkFacts;
	/** The days of `sprint`'s burndown for its team (see `burndownOf`). */
	burndown(sprint: Sprint, today: string, timeZone: string): ActiveSprintBurn['days'];
	/**
	 * The value figures of the period and team `key` names, from `compute` or kept from a call
	 * with the same key and first acceptances while no story or observation changed. Absent:
	 * computed.
	 */
	value?(
		key: string,
		acceptances: ReadonlyMap<string, number>,
		compute: () => StoryFigures
	): StoryFigures;
}

/** Whether a work package is `teamId`'s: its story, or a story it was escalated to, lists the team. */
export function workOfTeam(
	wp: WorkPackage,
	teamId: string,
	stories: ReadonlyMap<string, Story>
): boolean {
	if (stories.get(wp.storyId)?.teamIds.includes(teamId)) return true;
	return wp.escalations.some((hop) => stories.get(hop.toStoryId)?.teamIds.includes(teamId));
}

// ---------------------------------------------------------------------------------------------
// Operations: SLA and escalations

/** SLA figures of every severity over the period (see MEASURE_DEFINITIONS `sla.*`). */
export function slaMeasures(
	workPackages: Iterable<WorkPackage>,
	period: Period,
	facts: (wp: WorkPackage) => WorkFacts
): Record<Severity, SlaFigures> {
	const samples = new Map<Severity, number[]>(SEVERITIES.map((s) => [s, []]));
	const met = new Map<Severity, number>(SEVERITIES.map((s) => [s, 0]));
	const breached = new Map<Severity, number>(SEVERITIES.map((s) => [s, 0]));
	for (const wp of workPackages) {
		if (wp.severity === null || wp.slaDeadline === null) continue;
		const f = facts(wp);
		if (f.deadline === null) continue;
		if (within(f.completed, period)) {
			samples.get(wp.severity)!.push((f.completed! - f.created) / MINUTE_MS);
			if (f.completed! <= f.deadline) met.set(wp.severity, met.get(wp.severity)! + 1);
		}
		const openThen = f.completed === null || f.completed > period.atMs;
		if (openThen && f.deadline <= period.atMs) {
			breached.set(wp.severity, breached.get(wp.severity)! + 1);
		}
	}
	return Object.fromEntries(
		SEVERITIES.map((severity) => {
			const resolved = samples.get(severity)!.length;
			const metCount = met.get(severity)!;
			return [
				severity,
				{
					resolved,
					met: metCount,
					missed: resolved - metCount,
					compliance: share(metCount, resolved),
					timeToResolveMinutes: distribution(samples.get(severity)!),
					openBreached: breached.get(severity)!
				}
			];
		})
	) as Record<Severity, SlaFigures>;
}

/** Hops made in the period, by the story they left, and how long they were away. */
export function escalationMeasures(
	workPackages: Iterable<WorkPackage>,
	period: Period,
	facts: (wp: WorkPackage) => WorkFacts,
	leftTeamStory: (storyId: string) => boolean
): Measures['escalations'] {
	const byStory: Record<string, number> = {};
	const away: number[] = [];
	const awayByStory = new Map<string, number[]>();
	let total = 0;
	let stillAway = 0;
	for (const wp of workPackages) {
		if (wp.escalations.length === 0) continue;
		for (const hop of facts(wp).hops) {
			if (!within(hop.at, period) || !leftTeamStory(hop.from)) continue;
			total++;
			byStory[hop.from] = (byStory[hop.from] ?? 0) + 1;
			if (hop.resolved === null) stillAway++;
			else {
				const minutes = (hop.resolved - hop.at) / MINUTE_MS;
				away.push(minutes);
				let list = awayByStory.get(hop.from);
				if (!list) awayByStory.set(hop.from, (list = []));
				list.push(minutes);
			}
		}
	}
	return {
		total,
		byStory: sortedRecord(byStory),
		awayMinutes: distribution(away),
		awayMinutesByStory: sortedRecord(
			Object.fromEntries([...awayByStory].map(([id, list]) => [id, distribution(list)]))
		),
		stillAway
	};
}

// ---------------------------------------------------------------------------------------------
// Time to market

/**
 * When each story was first accepted at a review, over `sprints` (a story reviewed in several
 * sprints, or by several teams, counts from its earliest acceptance).
 */
export function firstAcceptances(sprints: Iterable<Sprint>): Map<string, number> {
	const first = new Map<string, number>();
	for (const sprint of sprints) {
		for (const storyId in sprint.reviews) {
			const review = sprint.reviews[storyId]!;
			if (review.outcome !== 'accepted') continue;
			const at = parsed(review.at);
			if (at === null) continue;
			const known = first.get(storyId);
			if (known === undefined || at < known) first.set(storyId, at);
		}
	}
	return first;
}

/** Lead time in days of the stories first accepted in the period, by work type. */
export function leadTimes(
	acceptances: ReadonlyMap<string, number>,
	stories: ReadonlyMap<string, Story>,
	period: Period
): { leadTimeDays: Measures['leadTimeDays']; accepted: number } {
	const samples = new Map<string, number[]>(WORK_TYPES.map((t) => [t, []]));
	let accepted = 0;
	for (const [storyId, at] of acceptances) {
		if (!within(at, period)) continue;
		const story = stories.get(storyId);
		const created = story ? parsed(story.createdAt) : null;
		if (!story || created === null) continue;
		accepted++;
		samples.get(story.workType)!.push((at - created) / DAY_MS);
	}
	return {
		leadTimeDays: Object.fromEntries(
			WORK_TYPES.map((type) => [type, distribution(samples.get(type)!)])
		) as Record<(typeof WORK_TYPES)[number], Distribution>,
		accepted
	};
}

// ---------------------------------------------------------------------------------------------
// Delivery per sprint

const sumOf = (record: Readonly<Record<string, number>>) => sumPoints(Object.values(record));

/** R2's reading: a committed story is ops work when it is ops or recurring. */
export function isOpsStory(story: Story | undefined): boolean {
	return story !== undefined && (story.workType === 'ops' || story.duration === 'recurring');
}

/** Committed points of the stories the sprint's review accepted. */
export function acceptedPoints(sprint: Sprint): number {
	return sumPoints(
		Object.entries(sprint.commitments)
			.filter(([storyId]) => sprint.reviews[storyId]?.outcome === 'accepted')
			.map(([, points]) => points)
	);
}

/** Work packages of the board, grouped by their originating story. */
export function workByStory(workPackages: Iterable<WorkPackage>): Map<string, WorkPackage[]> {
	const byStory = new Map<string, WorkPackage[]>();
	for (const wp of workPackages) {
		let list = byStory.get(wp.storyId);
		if (!list) byStory.set(wp.storyId, (list = []));
		list.push(wp);
	}
	return byStory;
}

/** The reserve budgets of a sprint (budget.ts), reading only the work of its reserved stories. */
export function budgetsOf(
	sprint: Sprint,
	byStory: ReadonlyMap<string, readonly WorkPackage[]>,
	timeZone: string
): ReservedBudget[] {
	const candidates: WorkPackage[] = [];
	for (const storyId in sprint.reserved) candidates.push(...(byStory.get(storyId) ?? []));
	return reservedBudgets(sprint, candidates, timeZone);
}

/** Incidents that arrived on a day of the sprint under a story or work package it plans. */
export function sprintIncidents(
	sprint: Sprint,
	byStory: ReadonlyMap<string, readonly WorkPackage[]>,
	workPackages: ReadonlyMap<string, WorkPackage>,
	facts: (wp: WorkPackage) => WorkFacts
): number {
	const counted = new Set<string>();
	const consider = (wp: WorkPackage | undefined) => {
		if (!wp || counted.has(wp.id)) return;
		const f = facts(wp);
		if (f.kind !== 'incident' || f.arrivalDay === null) return;
		if (f.arrivalDay < sprint.start || f.arrivalDay > sprint.end) return;
		counted.add(wp.id);
	};
	for (const storyId of new Set([
		...Object.keys(sprint.commitments),
		...Object.keys(sprint.reserved)
	]))
		for (const wp of byStory.get(storyId) ?? []) consider(wp);
	for (const wpId in sprint.knownWork) consider(workPackages.get(wpId));
	return counted.size;
}

/** Planned and delivered dev/ops points of one sprint (see MEASURE_DEFINITIONS `balance.*`). */
export function sprintBalance(
	sprint: Sprint,
	budgets: readonly ReservedBudget[],
	stories: ReadonlyMap<string, Story>,
	workPackages: ReadonlyMap<string, WorkPackage>,
	facts: (wp: WorkPackage) => WorkFacts,
	timeZone: string
): { planned: [number, number]; actual: [number, number] } {
	const planned: [number, number] = [0, sumOf(sprint.knownWork) + sumOf(sprint.reserved)];
	const actual: [number, number] = [0, 0];
	for (const [storyId, points] of Object.entries(sprint.commitments)) {
		const ops = isOpsStory(stories.get(storyId)) ? 1 : 0;
		planned[ops] += points;
		if (sprint.reviews[storyId]?.outcome === 'accepted') actual[ops] += points;
	}
	const sprintOver = startOfDay(addDays(sprint.end, 1), timeZone);
	const doneInTime = (wp: WorkPackage | undefined) => {
		const completed = wp ? facts(wp).completed : null;
		return completed !== null && completed < sprintOver;
	};
	for (const [wpId, points] of Object.entries(sprint.knownWork))
		if (doneInTime(workPackages.get(wpId))) actual[1] += points;
	for (const budget of budgets)
		for (const wpId of budget.workPackageIds) {
			const wp = workPackages.get(wpId);
			if (doneInTime(wp)) actual[1] += wp!.points ?? 0;
		}
	return { planned, actual };
}

function split([dev, ops]: readonly [number, number]): Split {
	return {
		devPoints: round(dev, 2),
		opsPoints: round(ops, 2),
		opsShare: share(ops, dev + ops)
	};
}

// ---------------------------------------------------------------------------------------------
// Burndown and burnup of an active sprint

/** The team's active sprint (the earliest-starting one if several are active), or null. */
export function activeSprintOf(teamId: string, sprints: Iterable<Sprint>): Sprint | null {
	let best: Sprint | null = null;
	for (const sprint of sprints) {
		if (sprint.teamId !== teamId || sprint.state !== 'active') continue;
		if (!best || sprint.start < best.start || (sprint.start === best.start && sprint.id < best.id))
			best = sprint;
	}
	return best;
}

/**
 * Tasks of the sprint's team left and done at the end of each sprint day up to `today`, known
 * and unknown work apart (the Scrum of Scrums' reading): known work is the tasks on committed
 * stories and planned work packages, unknown work the tasks on work packages that arrived
 * unplanned under a story the sprint plans or was escalated to one. A task counts from the day
 * of its `createdAt` and is done from the day of its `doneAt`, in the board's time zone.
 */
export function burndownOf(
	sprint: Sprint,
	teamTasks: Iterable<PlacedTask>,
	workPackages: ReadonlyMap<string, WorkPackage>,
	today: string,
	timeZone: string
): ActiveSprintBurn['days'] {
	const planned = new Set([...Object.keys(sprint.commitments), ...Object.keys(sprint.reserved)]);
	const spans: { known: boolean; created: string; done: string | null }[] = [];
	for (const task of teamTasks) {
		if (task.status === 'cancelled') continue;
		let known: boolean | null =
			task.storyId !== null && task.storyId in sprint.commitments ? true : null;
		const wp = task.workPackageId === null ? undefined : workPackages.get(task.workPackageId);
		if (wp) {
			if (wp.id in sprint.knownWork || (wp.planned && planned.has(wp.storyId))) known = true;
			else if (
				!wp.planned &&
				(planned.has(wp.storyId) || wp.escalations.some((h) => planned.has(h.toStoryId)))
			)
				known = false;
		}
		if (known === null) continue;
		const created = parsed(task.createdAt);
		if (created === null) continue;
		const doneAt = task.status === 'done' ? (parsed(task.doneAt) ?? created) : null;
		spans.push({
			known,
			created: dayOf(created, timeZone),
			done: doneAt === null ? null : dayOf(doneAt, timeZone)
		});
	}
	const days: ActiveSprintBurn['days'] = [];
	const last = today < sprint.end ? today : sprint.end;
	for (let day = sprint.start; day <= last; day = addDays(day, 1)) {
		const known = { left: 0, done: 0 };
		const unknown = { left: 0, done: 0 };
		for (const span of spans) {
			if (span.created > day) continue;
			const counts = span.known ? known : unknown;
			if (span.done !== null && span.done <= day) counts.done++;
			else counts.left++;
		}
		days.push({ day, known, unknown });
	}
	return days;
}

// ---------------------------------------------------------------------------------------------
// Assembly

/** The tasks of each team, by the document they live in. */
function tasksByTeam(tasks: Iterable<PlacedTask>, teams: ReadonlySet<string>) {
	const byTeam = new Map<string, PlacedTask[]>();
	for (const task of tasks) {
		if (!teams.has(task.homeTeamId)) continue;
		let list = byTeam.get(task.homeTeamId);
		if (!list) byTeam.set(task.homeTeamId, (list = []));
		list.push(task);
	}
	return byTeam;
}

/** Computes every part afresh from the state. */
export function directParts(state: BoardState): MeasureParts {
	let byTeam: Map<string, PlacedTask[]> | null = null;
	return {
		facts: workFacts,
		burndown(sprint, today, timeZone) {
			if (!byTeam) {
				const active = new Set<string>();
				for (const s of state.sprints.values()) if (s.state === 'active') active.add(s.teamId);
				byTeam = tasksByTeam(state.tasks.values(), active);
			}
			return burndownOf(
				sprint,
				byTeam.get(sprint.teamId) ?? [],
				state.workPackages,
				today,
				timeZone
			);
		}
	};
}

/**
 * Every measure of the board over a period, optionally for one team, in the shape of the HTTP
 * API. Pure: the same state and options give the same answer. `parts` lets a cache supply work
 * it kept from an earlier call (IncrementalMeasures); the answer is the same either way.
 */
export function measures(
	state: BoardState,
	options: MeasureOptions,
	parts: MeasureParts = directParts(state)
): Measures {
	const period = periodOf(state, options);
	const { timeZone, teamId } = period;
	const facts = (wp: WorkPackage) => parts.facts(wp, timeZone);
	const teamIds = [...state.teams.keys()].filter((id) => teamId === null || id === teamId).sort();
	const storyOfTeam = (storyId: string) =>
		teamId === null || (state.stories.get(storyId)?.teamIds.includes(teamId) ?? false);
	const teamWork =
		teamId === null
			? [...state.workPackages.values()]
			: [...state.workPackages.values()].filter((wp) => workOfTeam(wp, teamId, state.stories));
	const byStory = workByStory(state.workPackages.values());
	const teamSprints = [...state.sprints.values()].filter(
		(s) => teamId === null || s.teamId === teamId
	);

	// Delivery, reserve and balance, sprint by sprint.
	const inPeriod = teamSprints
		.filter((s) => s.start <= period.to && s.end >= period.from)
		.sort(bySprintOrder);
	const sprints: SprintFigures[] = [];
	const uses: Measures['reserve']['uses'] = [];
	const plannedTotal: [number, number] = [0, 0];
	const actualTotal: [number, number] = [0, 0];
	const balanceByTeam = new Map<string, { planned: [number, number]; actual: [number, number] }>();
	const velocitySamples = new Map<string, number[]>(teamIds.map((id) => [id, []]));
	// Each sprint's reserve budgets, read once for its row and once more for suggested reserves.
	const budgetMemo = new Map<Sprint, ReservedBudget[]>();
	const budgetsFor = (sprint: Sprint) => {
		let budgets = budgetMemo.get(sprint);
		if (!budgets) budgetMemo.set(sprint, (budgets = budgetsOf(sprint, byStory, timeZone)));
		return budgets;
	};
	for (const sprint of inPeriod) {
		const budgets = budgetsFor(sprint);
		const accepted = acceptedPoints(sprint);
		sprints.push({
			sprintId: sprint.id,
			teamId: sprint.teamId,
			name: sprint.name,
			state: sprint.state,
			start: sprint.start,
			end: sprint.end,
			committedPoints: sumPoints([sumOf(sprint.commitments), sumOf(sprint.knownWork)]),
			reservedPoints: sumOf(sprint.reserved),
			acceptedPoints: accepted,
			unknownWorkPoints: sumPoints(budgets.map((b) => b.used)),
			incidents: sprintIncidents(sprint, byStory, state.workPackages, facts)
		});
		for (const b of budgets) {
			uses.push({
				sprintId: sprint.id,
				teamId: sprint.teamId,
				storyId: b.storyId,
				reserved: b.reserved,
				used: round(b.used, 2),
				left: round(b.left, 2)
			});
		}
		if (sprint.state === 'closed') velocitySamples.get(sprint.teamId)?.push(accepted);
		const balance = sprintBalance(
			sprint,
			budgets,
			state.stories,
			state.workPackages,
			facts,
			timeZone
		);
		let team = balanceByTeam.get(sprint.teamId);
		if (!team) balanceByTeam.set(sprint.teamId, (team = { planned: [0, 0], actual: [0, 0] }));
		for (const i of [0, 1] as const) {
			plannedTotal[i] += balance.planned[i];
			actualTotal[i] += balance.actual[i];
			team.planned[i] += balance.planned[i];
			team.actual[i] += balance.actual[i];
		}
	}

	// Time to market.
	const acceptances = firstAcceptances(teamSprints);
	const { leadTimeDays, accepted } = leadTimes(acceptances, state.stories, period);
	const periodDays = daysBetween(period.from, period.to) + 1;

	// Burndown of each team's active sprint, up to today.
	const today = dayOf(period.now, timeZone);
	const burndown: ActiveSprintBurn[] = [];
	for (const id of teamIds) {
		const sprint = activeSprintOf(id, teamSprints);
		if (sprint) {
			burndown.push({
				sprintId: sprint.id,
				teamId: id,
				days: parts.burndown(sprint, today, timeZone)
			});
		}
	}

	const computeValue = () =>
		valueMeasures(state.stories, state.observations.values(), acceptances, period, storyOfTeam);
	const { experiments, ...value } = parts.value
		? parts.value(`${period.startMs}/${period.endMs}/${teamId}`, acceptances, computeValue)
		: computeValue();
	const planned = split(plannedTotal);
	return {
		period: {
			from: period.from,
			to: period.to,
			timeZone,
			teamId,
			now: new Date(period.now).toISOString()
		},
		sla: slaMeasures(teamWork, period, facts),
		leadTimeDays,
		throughput: { acceptedStories: accepted, perWeek: round((accepted * 7) / periodDays, 2) },
		escalations: escalationMeasures(state.workPackages.values(), period, facts, storyOfTeam),
		sprints,
		velocity: Object.fromEntries(
			teamIds.map((id) => {
				const samples = velocitySamples.get(id)!;
				return [id, { closedSprints: samples.length, acceptedPoints: distribution(samples) }];
			})
		),
		burndown,
		reserve: {
			uses,
			suggestions: reserveSuggestions(teamSprints, budgetsFor, period.to)
		},
		balance: {
			targetOpsPercent: state.board?.targetOpsPercent ?? 30,
			tolerance: state.board?.splitTolerance ?? 10,
			planned,
			actual: split(actualTotal),
			byTeam: Object.fromEntries(
				[...balanceByTeam]
					.sort(([a], [b]) => (a < b ? -1 : 1))
					.map(([id, b]) => [id, { planned: split(b.planned), actual: split(b.actual) }])
			)
		},
		innovation: {
			newWorkShare: share(plannedTotal[0], plannedTotal[0] + plannedTotal[1]),
			supportShare: share(plannedTotal[1], plannedTotal[0] + plannedTotal[1]),
			trend: weeklyTrend(teamWork, period, facts),
			experiments
		},
		value
	};
}

/**
 * A reserve for the next sprint per team and recurring story: the nearest-rank 80th percentile
 * of the points used in the team's last six closed sprints (ending by `upTo`, a day) that
 * reserved points for the story, rounded up; null without such a sprint. The measures look
 * back from the period's end; sprint planning from the planned sprint's start.
 */
export function reserveSuggestions(
	sprints: readonly Sprint[],
	budgetsFor: (sprint: Sprint) => readonly ReservedBudget[],
	upTo: string
): Measures['reserve']['suggestions'] {
	const pairs = new Map<string, { teamId: string; storyId: string }>();
	for (const sprint of sprints)
		for (const storyId in sprint.reserved)
			pairs.set(`${sprint.teamId}\u0000${storyId}`, { teamId: sprint.teamId, storyId });
	const history = sprints
		.filter((s) => s.state === 'closed' && s.end <= upTo)
		.sort((a, b) => -bySprintOrder(a, b));
	const usedIn = (sprint: Sprint, storyId: string) =>
		budgetsFor(sprint).find((b) => b.storyId === storyId)?.used ?? 0;
	return [...pairs.values()]
		.sort((a, b) =>
			a.teamId !== b.teamId ? (a.teamId < b.teamId ? -1 : 1) : a.storyId < b.storyId ? -1 : 1
		)
		.map(({ teamId, storyId }) => {
			const past = history
				.filter((s) => s.teamId === teamId && storyId in s.reserved)
				.slice(0, RESERVE_HISTORY_SPRINTS);
			const samples = past.map((s) => usedIn(s, storyId)).sort((a, b) => a - b);
			const p = nearestRank(samples, RESERVE_PERCENTILE);
			return {
				teamId,
				storyId,
				sprintIds: past.map((s) => s.id),
				suggested: p === null ? null : Math.ceil(round(p, 2))
			};
		});
}

/** Incidents and defects that arrived in each seven days of the period, from its first day. */
export function weeklyTrend(
	workPackages: Iterable<WorkPackage>,
	period: Period,
	facts: (wp: WorkPackage) => WorkFacts
): Measures['innovation']['trend'] {
	const weeks: Measures['innovation']['trend'] = [];
	for (let from = period.from; from <= period.to; from = addDays(from, 7)) {
		const to = addDays(from, 6);
		weeks.push({ from, to: to < period.to ? to : period.to, incidents: 0, defects: 0 });
	}
	for (const wp of workPackages) {
		const f = facts(wp);
		if (f.kind === null || f.arrivalDay === null) continue;
		if (f.arrivalDay < period.from || f.arrivalDay > period.to) continue;
		const week = weeks[Math.floor(daysBetween(period.from, f.arrivalDay) / 7)]!;
		if (f.kind === 'incident') week.incidents++;
		else week.defects++;
	}
	return weeks;
}

function bySprintOrder(a: Sprint, b: Sprint): number {
	if (a.teamId !== b.teamId) return a.teamId < b.teamId ? -1 : 1;
	if (a.start !== b.start) return a.start < b.start ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
	return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
