/**
 * R17: the unknown work that arrived under a recurring story during a sprint stays within the
 * points the sprint reserved for it. A sprint plans known work against velocity and keeps a
 * reserve for incidents and requests (R1); when that reserve is used up and more arrives, the
 * team is working past its plan and the Scrum Master should re-plan, not find out at the review.
 */
import { reservedBudgets } from '../../budget';
import { DEFAULT_TIME_ZONE } from '../../days';
import { defineCheck } from '../context';
import { finding, formatPoints, isOpen, teamName } from './support';

/**
 * R17, per open sprint and recurring story it reserves points for: used ≤ reserved.
 * Described in docs/domain.md#r17-reserve-overrun.
 */
export const reserveOverrun = defineCheck({
	rule: 'R17',
	scope: 'sprint',
	check(sprint, ctx) {
		if (!isOpen(sprint)) return [];
		const storyIds = Object.keys(sprint.reserved);
		if (storyIds.length === 0) return [];
		const workPackages = storyIds.flatMap((id) => ctx.workPackagesOfStory(id));
		const timeZone = ctx.board()?.timeZone ?? DEFAULT_TIME_ZONE;
		return reservedBudgets(sprint, workPackages, timeZone)
			.filter((budget) => budget.used > budget.reserved)
			.map((budget) => {
				const story = ctx.story(budget.storyId);
				const storyName = story ? `"${story.title}"` : `story ${budget.storyId}`;
				return finding(
					'R17',
					'warning',
					`Unknown work under ${storyName} in ${sprint.name} (${teamName(ctx, sprint.teamId)}) ` +
						`used ${formatPoints(budget.used)} of ${formatPoints(budget.reserved)} points reserved ` +
						`(${formatPoints(budget.used - budget.reserved)} over): re-plan the sprint with the ` +
						`team, or reserve more next time.`,
					[
						{ kind: 'sprint', id: sprint.id },
						{ kind: 'team', id: sprint.teamId },
						{ kind: 'story', id: budget.storyId },
						...budget.workPackageIds.map((id) => ({ kind: 'workPackage' as const, id }))
					]
				);
			});
	}
});
