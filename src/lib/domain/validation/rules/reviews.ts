/**
 * R19: a SEV1 or SEV2 incident gets its post-incident review finished within the days the board
 * allows after it was completed, while people still remember what happened and the action items
 * can still make the next sprint.
 */
import { reviewDueDaysOf, reviewStatus } from '../../incident-review';
import { defineCheck } from '../context';
import { finding, formatInstant } from './support';

/**
 * R19, per work package: a required review not marked done within `reviewDueDays` of completion.
 * Described in docs/domain.md#r19-post-incident-review-overdue.
 */
export const reviewOverdue = defineCheck({
	rule: 'R19',
	scope: 'workPackage',
	check(wp, ctx) {
		if (wp.status !== 'done' || wp.category !== 'incident') return [];
		const dueDays = reviewDueDaysOf(ctx.board());
		const status = reviewStatus(wp, ctx.incidentReview(wp.id), ctx.now(), dueDays);
		if (status.state !== 'overdue') return [];
		const days = `${status.daysOverdue} ${status.daysOverdue === 1 ? 'day' : 'days'}`;
		return [
			finding(
				'R19',
				'warning',
				`The post-incident review of ${wp.severity} incident "${wp.title}" is ${days} overdue: ` +
					`it was completed ${formatInstant(wp.completedAt!)}, and the board asks for the ` +
					`review within ${dueDays} ${dueDays === 1 ? 'day' : 'days'}. Finish it and have the ` +
					`incident commander mark it done.`,
				[
					{ kind: 'workPackage', id: wp.id },
					{ kind: 'story', id: wp.storyId }
				]
			)
		];
	}
});
