/**
 * Story rules: one Product Owner (R3), a single-team story stays with one team (R4), and a
 * multi-team story is estimated by every team and planned in aligned sprints (R6).
 */
import type { Finding } from '../../findings';
import type { Sprint, Story } from '../../schema';
import { defineCheck, type RuleContext } from '../context';
import {
	compareIds,
	finding,
	has,
	isOpen,
	listing,
	own,
	personName,
	refsOf,
	sortedUnique,
	teamName
} from './support';

/**
 * R3: exactly one Product Owner, who is on the board. Owners are a set so that concurrent
 * assignments merge into a visible conflict here rather than one silently winning.
 * Described in docs/domain.md#r3-one-product-owner.
 */
export const oneProductOwner = defineCheck({
	rule: 'R3',
	scope: 'story',
	check(story, ctx) {
		const ownerIds = sortedUnique(story.productOwnerIds);
		const known = ownerIds.filter((id) => ctx.person(id) !== undefined);
		const refs = [{ kind: 'story' as const, id: story.id }, ...refsOf('person', known)];
		const problem = ownerProblem(ownerIds, known, ctx);
		if (problem === null) return [];
		return [finding('R3', 'error', `Story "${story.title}" ${problem}.`, refs)];
	}
});

function ownerProblem(
	ownerIds: readonly string[],
	known: readonly string[],
	ctx: RuleContext
): string | null {
	if (ownerIds.length === 0) return 'has no Product Owner; assign exactly one';
	if (ownerIds.length > 1) {
		const names = ownerIds.map((id) => personName(ctx, id));
		return `has ${ownerIds.length} Product Owners (${listing(names)}); keep exactly one`;
	}
	if (known.length === 0) {
		return `names Product Owner "${ownerIds[0]}", who is not on the board; assign a known person`;
	}
	return null;
}

/**
 * R4: a single-team story lists one team and is committed by one team's open sprints.
 * Described in docs/domain.md#r4-single-team-means-one-team.
 */
export const singleTeamMeansOne = defineCheck({
	rule: 'R4',
	scope: 'story',
	check(story, ctx) {
		if (story.teaming !== 'single') return [];
		const listed = sortedUnique(story.teamIds);
		const committing = openCommitting(story, ctx);
		const committingTeams = sortedUnique(committing.map((s) => s.teamId));
		if (listed.length <= 1 && committingTeams.length <= 1) return [];
		const involved = sortedUnique([...listed, ...committingTeams]);
		const how =
			committingTeams.length > 1
				? `is committed by ${committingTeams.length} teams (${namesOf(committingTeams, ctx)})`
				: `lists ${listed.length} teams (${namesOf(listed, ctx)})`;
		return [
			finding(
				'R4',
				'error',
				`Single-team story "${story.title}" ${how}; recategorize as multiple-team or keep ` +
					`one team.`,
				[
					{ kind: 'story', id: story.id },
					...refsOf('team', involved),
					...refsOf(
						'sprint',
						committing.map((s) => s.id)
					)
				]
			)
		];
	}
});

/**
 * R6: every team of a multi-team story estimates its own portion, and the teams working on it
 * now do so in sprints with the same dates.
 * Described in docs/domain.md#r6-multi-team-coordination.
 */
export const multiTeamCoordination = defineCheck({
	rule: 'R6',
	scope: 'story',
	check(story, ctx) {
		if (story.teaming !== 'multiple') return [];
		return [...missingEstimates(story, ctx), ...misalignedSprints(story, ctx)];
	}
});

function missingEstimates(story: Story, ctx: RuleContext): Finding[] {
	const missing = sortedUnique(story.teamIds).filter(
		(id) => own(story.estimates, id) === undefined
	);
	if (missing.length === 0) return [];
	return [
		finding(
			'R6',
			'warning',
			`Multi-team story "${story.title}" has no estimate from ${namesOf(missing, ctx)}; ` +
				`each team estimates its own portion.`,
			[{ kind: 'story', id: story.id }, ...refsOf('team', missing)]
		)
	];
}

/**
 * Compares each team's current sprint for the story: its earliest open sprint committing it.
 * Taking one sprint per team keeps a recurring story planned into consecutive sprints of the
 * same team from reading as misaligned with itself.
 */
function misalignedSprints(story: Story, ctx: RuleContext): Finding[] {
	const current = new Map<string, Sprint>();
	const byStart = [...openCommitting(story, ctx)].sort(
		(a, b) => compareIds(a.start, b.start) || compareIds(a.id, b.id)
	);
	for (const sprint of byStart) if (!current.has(sprint.teamId)) current.set(sprint.teamId, sprint);
	const sprints = [...current.values()].sort((a, b) => compareIds(a.teamId, b.teamId));
	const first = sprints[0];
	if (!first || sprints.every((s) => s.start === first.start && s.end === first.end)) return [];
	const dates = sprints.map((s) => `${teamName(ctx, s.teamId)} ${s.start} to ${s.end}`);
	return [
		finding(
			'R6',
			'warning',
			`Multi-team story "${story.title}" is in sprints that are not aligned: ` +
				`${listing(dates)}; give the teams the same sprint dates.`,
			[
				{ kind: 'story', id: story.id },
				...refsOf(
					'team',
					sprints.map((s) => s.teamId)
				),
				...refsOf(
					'sprint',
					sprints.map((s) => s.id)
				)
			]
		)
	];
}

/** Open sprints that commit the story (reserving unknown work is not a commitment), by id. */
function openCommitting(story: Story, ctx: RuleContext): Sprint[] {
	return ctx
		.sprintsPlanningStory(story.id)
		.filter((s) => isOpen(s) && has(s.commitments, story.id));
}

function namesOf(teamIds: readonly string[], ctx: RuleContext): string {
	return listing(teamIds.map((id) => teamName(ctx, id)));
}
