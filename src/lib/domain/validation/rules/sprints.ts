/** Sprint rules: recurring work left open when a sprint closes moves to the next sprint (R10). */
import type { Finding } from '../../findings';
import type { Sprint, Story } from '../../schema';
import { storiesWithOpenWork } from '../../escalation';
import { defineCheck, type RuleContext } from '../context';
import { finding, plansStory, refsOf, sortedUnique, teamName } from './support';

/**
 * R10: when a sprint closes, a recurring story with open work packages must be planned
 * (committed or reserved) into a later open sprint of the same team.
 *
 * Only the newest closed sprint that planned the story speaks for it: if a later closed sprint
 * planned the story too, the carry-over question moved there, and warning on every old sprint
 * would repeat one problem once per sprint of history. "Later" compares start days (strictly),
 * which tolerates sprints whose end and next start overlap by a day.
 * Described in docs/domain.md#r10-carry-over.
 */
export const carryOver = defineCheck({
	rule: 'R10',
	scope: 'sprint',
	check(sprint, ctx) {
		if (sprint.state !== 'closed') return [];
		const later = ctx.sprintsOfTeam(sprint.teamId).filter((s) => s.start > sprint.start);
		const storyIds = sortedUnique([
			...Object.keys(sprint.commitments),
			...Object.keys(sprint.reserved)
		]);
		const findings: Finding[] = [];
		for (const storyId of storyIds) {
			const story = ctx.story(storyId);
			if (!story || story.duration !== 'recurring') continue;
			if (later.some((s) => plansStory(s, storyId))) continue;
			findings.push(...leftUnplanned(sprint, story, ctx));
		}
		return findings;
	}
});

/**
 * Reached only when no later sprint of the team plans the story, so any open work package of
 * it was left behind. (A later closed sprint that planned it is the one that warns; a later open
 * one means it was carried over.)
 */
function leftUnplanned(sprint: Sprint, story: Story, ctx: RuleContext): Finding[] {
	// Its own open work, and open work escalated to it that it has not resolved yet.
	const open = [...ctx.workPackagesOfStory(story.id), ...ctx.workPackagesEscalatingVia(story.id)]
		.filter((wp, i, all) => all.findIndex((w) => w.id === wp.id) === i)
		.filter((wp) => storiesWithOpenWork(wp).includes(story.id))
		.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	if (open.length === 0) return [];
	const count = `${open.length} open work package${open.length === 1 ? '' : 's'}`;
	return [
		finding(
			'R10',
			'warning',
			`${sprint.name} of ${teamName(ctx, sprint.teamId)} closed with ${count} of recurring ` +
				`story "${story.title}", which is not planned into a later sprint; plan it into the ` +
				`team's next sprint.`,
			[
				{ kind: 'sprint', id: sprint.id },
				{ kind: 'team', id: sprint.teamId },
				{ kind: 'story', id: story.id },
				...refsOf(
					'workPackage',
					open.map((wp) => wp.id)
				)
			]
		)
	];
}
