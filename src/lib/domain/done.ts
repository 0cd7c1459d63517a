/**
 * The Definition of Done: which criteria a story's teams tick before it is accepted, and which
 * of them were left unticked when it was (R16). Pure; docs/domain.md#r16-accepted-not-done.
 */
import type { DoneChecklist, DoneCriterion, Sprint, Story } from './schema';

export interface CriterionText {
	id: string;
	text: string;
}

/** Oldest first, then by id: the order a checklist reads in. */
export function byCreation(a: DoneCriterion, b: DoneCriterion): number {
	return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;
}

/** Whether a criterion asks something of the story: it is not retired, and its team and kind of work fit. */
export function appliesTo(criterion: DoneCriterion, story: Story): boolean {
	return (
		criterion.retiredAt === null &&
		(criterion.teamId === null || story.teamIds.includes(criterion.teamId)) &&
		(criterion.workType === null || criterion.workType === story.workType)
	);
}

/** The story's Definition of Done as it stands: the criteria that apply to it, oldest first. */
export function criteriaFor(story: Story, criteria: Iterable<DoneCriterion>): DoneCriterion[] {
	return [...criteria].filter((c) => appliesTo(c, story)).sort(byCreation);
}

/**
 * The criteria a story is held to: those it was accepted against, as they read then, once it was;
 * before, the ones that apply now. A criterion added, changed or retired after the acceptance
 * does not change what the acceptance was held to.
 */
export function heldTo(
	story: Story,
	checklist: DoneChecklist | undefined,
	criteria: Iterable<DoneCriterion>
): CriterionText[] {
	if (checklist && checklist.acceptedAt !== null) return checklist.acceptedAgainst;
	return criteriaFor(story, criteria).map(({ id, text }) => ({ id, text }));
}

/** The criteria of `heldTo` nobody ticked. */
export function unticked(
	story: Story,
	checklist: DoneChecklist | undefined,
	criteria: Iterable<DoneCriterion>
): CriterionText[] {
	return heldTo(story, checklist, criteria).filter((c) => !checklist?.ticks[c.id]);
}

/** The sprints whose review accepted the story, earliest acceptance first. */
export function acceptingSprints(storyId: string, sprints: Iterable<Sprint>): Sprint[] {
	return [...sprints]
		.filter((s) => s.reviews[storyId]?.outcome === 'accepted')
		.sort((a, b) => (a.reviews[storyId]!.at < b.reviews[storyId]!.at ? -1 : 1));
}
