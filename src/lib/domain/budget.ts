/**
 * The reserved "unknown work" budget of a sprint (DOMAIN R1, paper example: velocity 30 = 20
 * known + 10 reserved for incidents): for each recurring story a sprint reserves points for,
 * how many the unplanned work packages of that story arriving during the sprint have used, and
 * how many are left. Planning and the Scrum of Scrums show the same figures.
 */
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
 * and was created on a day of the sprint (its UTC date, as sprint days are calendar days).
 */
export function reservedBudgets(
	sprint: Sprint,
	workPackages: Iterable<WorkPackage>
): ReservedBudget[] {
	const budgets = new Map<string, ReservedBudget>();
	for (const storyId of Object.keys(sprint.reserved).sort()) {
		const reserved = sprint.reserved[storyId]!;
		budgets.set(storyId, { storyId, reserved, used: 0, left: reserved, workPackageIds: [] });
	}
	const counted = [...workPackages]
		.filter((wp) => !wp.planned && wp.points !== null && budgets.has(wp.storyId))
		.filter((wp) => {
			const day =
				wp.createdAt.length >= 10 ? new Date(wp.createdAt).toISOString().slice(0, 10) : '';
			return day >= sprint.start && day <= sprint.end;
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
