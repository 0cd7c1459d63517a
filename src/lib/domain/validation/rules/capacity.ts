/**
 * Capacity rules: a sprint must fit the team's velocity (R1), a mixed team keeps its dev/ops split
 * near the board's target (R2), and a finite story fits one sprint of each team (R5).
 */
import type { Finding } from '../../findings';
import type { Sprint, Story, Team } from '../../schema';
import { defineCheck, type RuleContext } from '../context';
import {
	finding,
	formatPoints,
	has,
	isOpen,
	listing,
	own,
	refsOf,
	sortedUnique,
	sprintWorkRefs,
	sumPoints,
	sumRecord,
	teamName
} from './support';

/**
 * R1: committed stories + known work packages + reserved unknown work ≤ velocity.
 * Described in docs/domain.md#r1-over-commitment.
 */
export const overCommitment = defineCheck({
	rule: 'R1',
	scope: 'sprint',
	check(sprint, ctx) {
		if (!isOpen(sprint)) return [];
		const team = ctx.team(sprint.teamId);
		if (!team) return [];
		const known = sumPoints([sumRecord(sprint.commitments), sumRecord(sprint.knownWork)]);
		const reserved = sumRecord(sprint.reserved);
		const total = sumPoints([known, reserved]);
		if (total <= team.velocity) return [];
		return [
			finding(
				'R1',
				'error',
				`${team.name} committed ${formatPoints(total)} points to ${sprint.name} against ` +
					`velocity ${formatPoints(team.velocity)}: ${formatPoints(known)} known + ` +
					`${formatPoints(reserved)} reserved for unknown work.`,
				[
					{ kind: 'sprint', id: sprint.id },
					{ kind: 'team', id: team.id },
					...sprintWorkRefs(sprint)
				]
			)
		];
	}
});

/**
 * R2: the ops share of a mixed team's sprint stays within the board's tolerance of the target.
 * Dev and ops teams are split by design, so only mixed teams are held to the target. Reserved
 * allocations and known work packages are operational work by nature; a committed story counts
 * as ops when it is ops work or recurring.
 * Described in docs/domain.md#r2-capacity-split.
 */
export const capacitySplit = defineCheck({
	rule: 'R2',
	scope: 'sprint',
	check(sprint, ctx) {
		if (!isOpen(sprint)) return [];
		const team = ctx.team(sprint.teamId);
		const board = ctx.board();
		if (!team || team.kind !== 'mixed' || !board) return [];
		const unplanned = sumPoints([sumRecord(sprint.reserved), sumRecord(sprint.knownWork)]);
		const opsCommitted = sumPoints(
			Object.entries(sprint.commitments)
				.filter(([storyId]) => isOpsStory(ctx.story(storyId)))
				.map(([, points]) => points)
		);
		const ops = sumPoints([opsCommitted, unplanned]);
		const total = sumPoints([sumRecord(sprint.commitments), unplanned]);
		if (total <= 0) return [];
		// Multiply before dividing: 4 / 10 * 100 is 40.00000000000001, which would warn at 40 %.
		const opsPercent = (ops * 100) / total;
		const drift = Math.abs(opsPercent - board.targetOpsPercent);
		if (drift - board.splitTolerance <= 1e-9) return [];
		return [
			finding(
				'R2',
				'warning',
				`${team.name} plans ${Math.round(opsPercent)} % ops work in ${sprint.name} ` +
					`(${formatPoints(ops)} of ${formatPoints(total)} points), but the board targets ` +
					`${Math.round(board.targetOpsPercent)} % ± ${formatPoints(board.splitTolerance)} percentage points.`,
				[
					{ kind: 'sprint', id: sprint.id },
					{ kind: 'team', id: team.id },
					...sprintWorkRefs(sprint)
				]
			)
		];
	}
});

function isOpsStory(story: Story | undefined): boolean {
	return story !== undefined && (story.workType === 'ops' || story.duration === 'recurring');
}

/**
 * R5: a finite story is done within one sprint, so it is committed to at most one open sprint
 * per team and no team's portion exceeds that team's velocity. Recurring stories are planned
 * sprint after sprint by design and are exempt.
 * Described in docs/domain.md#r5-finite-fits-a-sprint.
 */
export const finiteFitsSprint = defineCheck({
	rule: 'R5',
	scope: 'story',
	check(story, ctx) {
		if (story.duration !== 'finite') return [];
		const committing = ctx
			.sprintsPlanningStory(story.id)
			.filter((s) => isOpen(s) && has(s.commitments, story.id));
		const teamIds = sortedUnique([
			...Object.keys(story.estimates),
			...committing.map((s) => s.teamId)
		]);
		const findings: Finding[] = [];
		for (const teamId of teamIds) {
			const sprints = committing.filter((s) => s.teamId === teamId);
			findings.push(...committedTwice(story, teamId, sprints, ctx));
			const team = ctx.team(teamId);
			if (team) findings.push(...exceedsVelocity(story, team, sprints));
		}
		return findings;
	}
});

function committedTwice(
	story: Story,
	teamId: string,
	sprints: readonly Sprint[],
	ctx: RuleContext
): Finding[] {
	if (sprints.length < 2) return [];
	return [
		finding(
			'R5',
			'error',
			`Finite story "${story.title}" is committed to ${sprints.length} open sprints of ` +
				`${teamName(ctx, teamId)} (${listing(sprints.map((s) => s.name))}); ` +
				`a finite story belongs to one sprint.`,
			[
				{ kind: 'story', id: story.id },
				{ kind: 'team', id: teamId },
				...refsOf(
					'sprint',
					sprints.map((s) => s.id)
				)
			]
		)
	];
}

/** One finding per team, listing every estimate or commitment above its velocity. */
function exceedsVelocity(story: Story, team: Team, sprints: readonly Sprint[]): Finding[] {
	const excesses: string[] = [];
	const estimate = own(story.estimates, team.id);
	if (estimate !== undefined && estimate > team.velocity) {
		excesses.push(`estimated at ${formatPoints(estimate)} points`);
	}
	const overSprints = sprints.filter((s) => (own(s.commitments, story.id) ?? 0) > team.velocity);
	for (const sprint of overSprints) {
		const points = own(sprint.commitments, story.id) ?? 0;
		excesses.push(`committed at ${formatPoints(points)} points in ${sprint.name}`);
	}
	if (excesses.length === 0) return [];
	return [
		finding(
			'R5',
			'error',
			`Finite story "${story.title}" does not fit a sprint of ${team.name} ` +
				`(velocity ${formatPoints(team.velocity)}): ${listing(excesses)}; split it.`,
			[
				{ kind: 'story', id: story.id },
				{ kind: 'team', id: team.id },
				...refsOf(
					'sprint',
					overSprints.map((s) => s.id)
				)
			]
		)
	];
}
