/**
 * The reserved "unknown work" budget of a sprint (R1: a team of velocity 30 may commit 20 points
 * of known work and reserve 10 for incidents): for each recurring story a sprint reserves points
 * for, how many the unplanned work packages of that story arriving during the sprint have used,
 * and how many are left. Planning, the incident desk and the Scrum of Scrums show the same
 * figures. Whether work arrived "during the sprint" is decided on the board's calendar days.
 */
import { dayOf } from './days';
import type { Sprint, WorkPackage } from './schema';

export interface ReservedBudget {
	storyId: string;
	reserved: number;
	used: number;
	/** reserved − used; negative when the unknown work overran its reservation. */
	left: number;
	/** The work packages counted, oldest first. */
	workPackageIds: string[];
}

/**
 * Budgets of `sprint`, one per story it reserves points for (by story id). A work package burns
 * a reservation when it is unplanned (arrived mid-sprint), belongs to that story, has points,
 * and was created on a day of the sprint: its calendar day in `timeZone`, the board's time zone.
 */
export function reservedBudgets(
	sprint: Sprint,
	workPackages: Iterable<WorkPackage>,
	timeZone: string
): ReservedBudget[] {
	const budgets = new Map<string, ReservedBudget>();
	for (const storyId of Object.keys(sprint.reserved).sort()) {
		const reserved = sprint.reserved[storyId]!;
		budgets.set(storyId, { storyId, reserved, used: 0, left: reserved, workPackageIds: [] });
	}
	const counted = [...workPackages]
		.filter((wp) => !wp.planned && wp.points !== null && budgets.has(wp.storyId))
		.filter((wp) => {
			const day = arrivalDay(wp, timeZone);
			return day !== null && day >= sprint.start && day <= sprint.end;
		})
		.sort((a, b) =>
			a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1
		);
	for (const wp of counted) {
		const budget = budgets.get(wp.storyId)!;
		budget.used += wp.points!;
		budget.left = budget.reserved - budget.used;
		budget.workPackageIds.push(wp.id);
	}
	return [...budgets.values()];
}

/** The board's calendar day a work package arrived on, or null when its instant is unreadable. */
function arrivalDay(wp: WorkPackage, timeZone: string): string | null {
	const at = Date.parse(wp.createdAt);
	return Number.isNaN(at) ? null : dayOf(at, timeZone);
}

/**
 * The budget `wp` burns: its story's reservation in the sprint its arrival day (in `timeZone`,
 * the board's time zone) falls in, an open sprint rather than a closed one; null when no sprint
 * reserves points for its story on that day.
 */
export function budgetOf(
	wp: WorkPackage,
	sprints: readonly Sprint[],
	workPackages: readonly WorkPackage[],
	timeZone: string
): { sprint: Sprint; budget: ReservedBudget } | null {
	const day = arrivalDay(wp, timeZone);
	if (day === null) return null;
	const sprint = sprints
		.filter((s) => wp.storyId in s.reserved && s.start <= day && day <= s.end)
		.sort((a, b) => (a.state === 'closed' ? 1 : 0) - (b.state === 'closed' ? 1 : 0))[0];
	if (!sprint) return null;
	const budget = reservedBudgets(sprint, workPackages, timeZone).find(
		(b) => b.storyId === wp.storyId
	);
	return budget ? { sprint, budget } : null;
}
