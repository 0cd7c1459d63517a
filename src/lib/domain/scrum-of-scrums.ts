/**
 * The Scrum of Scrums: one view across teams. Each team's sprint health, multi-team stories with
 * every team's portion, impediments that cross teams, escalations in flight, and the R6 and R12
 * findings, all derived from the merged board so every Scrum Master sees the same picture live.
 * Days (today, the burndown's days, when unknown work arrived) are the board's calendar days.
 */
import { reservedBudgets, type ReservedBudget } from './budget';
import { addDays, dayOf, daysBetween, timeZoneOf } from './days';
import type { Finding } from './findings';
import type {
	Board,
	EscalationHop,
	Impediment,
	Person,
	Review,
	Sprint,
	Story,
	Team,
	WorkPackage
} from './schema';
import { readSla, type SlaReading } from './sla';
import type { PlacedTask } from './state';

/** What the view reads of a board (a BoardView provides it). */
export interface SosBoard {
	/** The board settings: their time zone decides which day it is. Null before they arrive. */
	readonly board: Pick<Board, 'timeZone'> | null;
	readonly teams: readonly Team[];
	readonly people: readonly Person[];
	readonly sprints: readonly Sprint[];
	readonly backlog: readonly Story[];
	readonly tasks: readonly PlacedTask[];
	readonly workPackages: readonly WorkPackage[];
	readonly findings: readonly Finding[];
}

export interface WorkProgress {
	done: number;
	total: number;
}

export interface SprintHealth {
	team: Team;
	/** The team's active sprint, else its next planned one; null when it has none open. */
	sprint: Sprint | null;
	velocity: number;
	/** Points on committed stories and known work packages. */
	known: number;
	/** Points reserved for unknown work. */
	reserved: number;
	budgets: ReservedBudget[];
	/** Σ of the budgets: reserved points used by unknown work so far, and left. */
	budgetUsed: number;
	budgetLeft: number;
	/** The team's tasks on planned work (committed stories, known work packages). */
	knownTasks: WorkProgress;
	/** The team's tasks on work packages that arrived during the sprint. */
	unknownTasks: WorkProgress;
	/** Share of the sprint's days begun by `today` (0–1): where the ideal burndown stands. */
	elapsed: number | null;
	/** Tasks left at the end of each sprint day up to today (from task creation and `doneAt`). */
	burndown: BurndownDay[];
}

/** Work left at the end of one sprint day, in tasks. */
export interface BurndownDay {
	day: string;
	known: number;
	unknown: number;
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/** The sprint a team is in now: the active one, else the earliest planned one. */
export function currentSprintOf(teamId: string, sprints: readonly Sprint[]): Sprint | null {
	const open = sprints.filter((s) => s.teamId === teamId && s.state !== 'closed');
	const byStart = (a: Sprint, b: Sprint) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
	return open.filter((s) => s.state === 'active').sort(byStart)[0] ?? open.sort(byStart)[0] ?? null;
}

/** Share of the sprint's calendar days that have begun on `today` (YYYY-MM-DD), 0–1. */
export function elapsedShare(sprint: Sprint, today: string): number {
	const days = daysBetween(sprint.start, sprint.end) + 1;
	const begun = daysBetween(sprint.start, today) + 1;
	return Math.min(1, Math.max(0, begun / days));
}

/**
 * A team's sprint health. The burndown is counted in tasks, since tasks carry a status but not
 * when they were done: known work is the team's tasks on committed stories and on planned work
 * packages, unknown work its tasks on work packages that arrived unplanned under a story the
 * sprint plans (or that were escalated to one). Both are a reading of today, set against how
 * far the sprint has gone. `today` is the board's calendar day (see `dayOf`).
 */
export function sprintHealth(team: Team, board: SosBoard, today: string): SprintHealth {
	const timeZone = timeZoneOf(board.board);
	const sprint = currentSprintOf(team.id, board.sprints);
	const base = { team, sprint, velocity: team.velocity };
	if (!sprint) {
		return {
			...base,
			known: 0,
			reserved: 0,
			budgets: [],
			budgetUsed: 0,
			budgetLeft: 0,
			knownTasks: { done: 0, total: 0 },
			unknownTasks: { done: 0, total: 0 },
			elapsed: null,
			burndown: []
		};
	}
	const budgets = reservedBudgets(sprint, board.workPackages, timeZone);
	const planned = new Set([...Object.keys(sprint.commitments), ...Object.keys(sprint.reserved)]);
	const packages = new Map(board.workPackages.map((wp) => [wp.id, wp]));
	const knownTasks = { done: 0, total: 0 };
	const unknownTasks = { done: 0, total: 0 };
	const counted: { task: PlacedTask; known: boolean }[] = [];
	for (const task of board.tasks) {
		if (task.homeTeamId !== team.id || task.status === 'cancelled') continue;
		let bucket: WorkProgress | null = null;
		if (task.storyId !== null && task.storyId in sprint.commitments) bucket = knownTasks;
		const wp = task.workPackageId === null ? undefined : packages.get(task.workPackageId);
		if (wp) {
			const stories = [wp.storyId, ...wp.escalations.map((h) => h.toStoryId)];
			if (wp.id in sprint.knownWork || (wp.planned && planned.has(wp.storyId))) bucket = knownTasks;
			else if (!wp.planned && stories.some((id) => planned.has(id))) bucket = unknownTasks;
		}
		if (!bucket) continue;
		bucket.total++;
		if (task.status === 'done') bucket.done++;
		counted.push({ task, known: bucket === knownTasks });
	}
	return {
		...base,
		known: sum(Object.values(sprint.commitments)) + sum(Object.values(sprint.knownWork)),
		reserved: sum(Object.values(sprint.reserved)),
		budgets,
		budgetUsed: sum(budgets.map((b) => b.used)),
		budgetLeft: sum(budgets.map((b) => b.left)),
		knownTasks,
		unknownTasks,
		elapsed: elapsedShare(sprint, today),
		burndown: burndownDays(sprint, counted, today, timeZone)
	};
}

/**
 * Tasks left at the end of each day of the sprint, up to `today`: a task counts from the day it
 * was created until the day it was done (`doneAt`; a done task from before `doneAt` existed counts
 * as done from its creation). A task's days are its instants read in `timeZone`, the board's
 * time zone, whose calendar the sprint dates follow.
 */
export function burndownDays(
	sprint: Sprint,
	tasks: readonly { task: PlacedTask; known: boolean }[],
	today: string,
	timeZone: string
): BurndownDay[] {
	const days: BurndownDay[] = [];
	const last = today < sprint.end ? today : sprint.end;
	const spans = tasks.map(({ task, known }) => ({
		known,
		created: dayOf(Date.parse(task.createdAt), timeZone),
		done: task.status !== 'done' ? null : dayOf(Date.parse(task.doneAt ?? task.createdAt), timeZone)
	}));
	for (let day = sprint.start; day <= last; day = addDays(day, 1)) {
		let known = 0;
		let unknown = 0;
		for (const { known: isKnown, created, done: doneDay } of spans) {
			if (created > day) continue;
			if (doneDay !== null && doneDay <= day) continue;
			if (isKnown) known++;
			else unknown++;
		}
		days.push({ day, known, unknown });
	}
	return days;
}

/** One team's part of a multi-team story. */
export interface StoryPortion {
	teamId: string;
	/** The team's own estimate (R6 wants one), or null. */
	estimate: number | null;
	/** The open sprint of the team that commits the story, and its points there. */
	sprint: Sprint | null;
	points: number | null;
	tasks: WorkProgress;
	/** The latest review of the story in one of the team's sprints. */
	review: Review | null;
}

export interface MultiTeamStory {
	story: Story;
	portions: StoryPortion[];
}

/**
 * Stories several teams work on (`multiple`, or more than one team listed or committing), each
 * with every team's portion: its estimate, the sprint it is committed to, its tasks.
 */
export function multiTeamStories(board: SosBoard): MultiTeamStory[] {
	const result: MultiTeamStory[] = [];
	for (const story of board.backlog) {
		const committing = board.sprints.filter(
			(s) => s.state !== 'closed' && story.id in s.commitments
		);
		const teamIds = [...new Set([...story.teamIds, ...committing.map((s) => s.teamId)])];
		if (story.teaming !== 'multiple' && teamIds.length < 2) continue;
		const portions = teamIds.map((teamId) => {
			const sprint =
				committing
					.filter((s) => s.teamId === teamId)
					.sort((a, b) => (a.start < b.start ? -1 : 1))[0] ?? null;
			const tasks = board.tasks.filter((t) => t.homeTeamId === teamId && t.storyId === story.id);
			const reviews = board.sprints
				.filter((s) => s.teamId === teamId && s.reviews[story.id])
				.map((s) => s.reviews[story.id]!)
				.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
			return {
				teamId,
				estimate: story.estimates[teamId] ?? null,
				sprint,
				points: sprint ? (sprint.commitments[story.id] ?? null) : null,
				tasks: {
					done: tasks.filter((t) => t.status === 'done').length,
					total: tasks.filter((t) => t.status !== 'cancelled').length
				},
				review: reviews[0] ?? null
			};
		});
		result.push({ story, portions });
	}
	return result;
}

/** An escalated work package whose receiving team has not resolved it yet. */
export interface EscalationInFlight {
	workPackage: WorkPackage;
	/** The deepest unresolved hop: where the work is now. */
	hop: EscalationHop;
	sla: SlaReading;
}

/** Open work packages with an unresolved hop, the oldest escalation first. */
export function escalationsInFlight(
	workPackages: readonly WorkPackage[],
	now: number
): EscalationInFlight[] {
	const result: EscalationInFlight[] = [];
	for (const wp of workPackages) {
		if (wp.status !== 'open') continue;
		const hop = wp.escalations.findLast((h) => h.resolvedAt === null);
		if (hop) result.push({ workPackage: wp, hop, sla: readSla(wp, now) });
	}
	return result.sort(
		(a, b) =>
			Date.parse(a.hop.at) - Date.parse(b.hop.at) || (a.workPackage.id < b.workPackage.id ? -1 : 1)
	);
}

/** Open impediments that block a team other than the one that raised them, oldest first. */
export function crossTeamImpediments(impediments: readonly Impediment[]): Impediment[] {
	return impediments
		.filter((i) => i.status === 'open' && i.affectedTeamIds.some((t) => t !== i.teamId))
		.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1));
}

/** Who facilitates: everyone with the Chief Scrum Master role, by name. */
export function chiefScrumMasters(people: readonly Person[]): Person[] {
	return people
		.filter((p) => p.roles.includes('chief-scrum-master'))
		.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}
