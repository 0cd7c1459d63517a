/**
 * Where escalated work is and where it may go: the chain of hops decides which stories hold a
 * work package, and R7 decides which stories it may be escalated to next.
 */
import type { Sprint, Story, WorkPackage } from './schema';

/** The story currently working on it: the target of the deepest unresolved hop, or its origin. */
export function holdingStoryId(wp: WorkPackage): string {
	for (let i = wp.escalations.length - 1; i >= 0; i--) {
		const hop = wp.escalations[i]!;
		if (hop.resolvedAt === null) return hop.toStoryId;
	}
	return wp.storyId;
}

/**
 * Stories an open work package is unfinished business of: its origin (which completes it, R14)
 * and every story it is escalated to and not yet resolved by. Empty once it is done.
 */
export function storiesWithOpenWork(wp: WorkPackage): string[] {
	if (wp.status !== 'open') return [];
	const stories = new Set([wp.storyId]);
	for (const hop of wp.escalations) if (hop.resolvedAt === null) stories.add(hop.toStoryId);
	return [...stories];
}

/** What an escalation check needs to look up: the engine's RuleContext, or a plain BoardState. */
export interface EscalationLookup {
	story(id: string): Story | undefined;
	/** Sprints that commit the story or reserve unknown work for it. */
	sprintsPlanningStory(storyId: string): readonly Sprint[];
}

/**
 * Why a hop from story `fromId` to `toId` breaks R7 whenever it is checked: the origin must
 * allow escalation and list the target, the target must be recurring, both must share the SLA
 * setting. Empty when the hop is legal. R7 and the escalation dialog both use this.
 */
export function hopProblems(fromId: string, toId: string, lookup: EscalationLookup): string[] {
	const from = lookup.story(fromId);
	const to = lookup.story(toId);
	const reasons: string[] = [];
	if (!from) reasons.push(`the originating story "${fromId}" does not exist`);
	if (!to) reasons.push(`the target story "${toId}" does not exist`);
	if (!from || !to) return reasons;
	if (!from.escalationAllowed) reasons.push(`"${from.title}" does not allow escalation`);
	else if (!from.escalationTargetIds.includes(to.id)) {
		reasons.push(`"${from.title}" does not list "${to.title}" as an escalation target`);
	}
	if (to.duration !== 'recurring') {
		reasons.push(`"${to.title}" is not a recurring (operational) story`);
	}
	if (from.sla !== to.sla) {
		reasons.push(`SLA settings differ ("${from.title}" ${from.sla}, "${to.title}" ${to.sla})`);
	}
	return reasons;
}

/** R7's "now" part: the receiving team works the target in a sprint that is active now. */
export function inactiveTargetProblems(toId: string, lookup: EscalationLookup): string[] {
	const to = lookup.story(toId);
	if (!to) return [];
	const active = lookup.sprintsPlanningStory(to.id).some((s) => s.state === 'active');
	return active
		? []
		: [`"${to.title}" is not planned (committed or reserved) in any active sprint`];
}

/** A story a work package could be escalated to, and why it may not be, if it may not. */
export interface EscalationOption {
	storyId: string;
	title: string;
	problems: string[];
}

/**
 * Where an open work package may be escalated now, from the story holding it: every story that
 * story lists, legal ones first (no problems), the others with R7's reasons. A UI offers the
 * legal ones; the engine still flags an illegal result of concurrent edits.
 */
export function escalationOptions(wp: WorkPackage, lookup: EscalationLookup): EscalationOption[] {
	if (wp.status !== 'open') return [];
	const fromId = holdingStoryId(wp);
	const from = lookup.story(fromId);
	if (!from) return [];
	return from.escalationTargetIds
		.filter((id) => id !== fromId)
		.map((id) => ({
			storyId: id,
			title: lookup.story(id)?.title ?? id,
			problems: [...hopProblems(fromId, id, lookup), ...inactiveTargetProblems(id, lookup)]
		}))
		.sort(
			(a, b) =>
				a.problems.length - b.problems.length ||
				a.title.localeCompare(b.title) ||
				(a.storyId < b.storyId ? -1 : 1)
		);
}

/** An EscalationLookup over a plain board state (for screens; the engine has its own index). */
export function lookupIn(state: {
	stories: ReadonlyMap<string, Story>;
	sprints: ReadonlyMap<string, Sprint>;
}): EscalationLookup {
	return {
		story: (id) => state.stories.get(id),
		sprintsPlanningStory: (storyId) =>
			[...state.sprints.values()]
				.filter((s) => storyId in s.commitments || storyId in s.reserved)
				.sort((a, b) => (a.id < b.id ? -1 : 1))
	};
}

/** Escalation targets split into those offered and those shown disabled with R7's reasons. */
export interface EscalationChoices {
	legal: EscalationOption[];
	refused: EscalationOption[];
}

/** Where `wp` may go now, from the story holding it (R7). */
export function escalationChoices(
	wp: WorkPackage,
	stories: ReadonlyMap<string, Story>,
	sprints: ReadonlyMap<string, Sprint>
): EscalationChoices {
	const options = escalationOptions(wp, lookupIn({ stories, sprints }));
	return {
		legal: options.filter((o) => o.problems.length === 0),
		refused: options.filter((o) => o.problems.length > 0)
	};
}

/** Did a receiving team of `teamIds` get this work package, and has not resolved it yet (R14)? */
export function heldByTeams(
	wp: WorkPackage,
	story: (id: string) => Story | undefined,
	teamIds: readonly string[]
): boolean {
	const holding = holdingStoryId(wp);
	if (holding === wp.storyId || wp.status !== 'open') return false;
	return story(holding)?.teamIds.some((id) => teamIds.includes(id)) ?? false;
}
