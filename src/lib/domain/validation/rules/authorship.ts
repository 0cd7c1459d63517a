/** Authorship rule: a role-guarded field was last changed by someone without the role (A1). */
import { decidesFor } from '../../access';
import { guardedField, ROLE_LABELS, storyOfChange, type GuardedChange } from '../../authorship';
import type { Ref } from '../../findings';
import { defineCheck, type RuleContext } from '../context';
import { finding, listing } from './support';

/**
 * A1: the relay cannot refuse a change per connection, so the server records who last changed
 * each guarded field, with the roles their signed session carried; a change by someone holding
 * none of the field's roles, or (for a story's backlog position and its review) by someone who
 * does not decide for that story, is reported by name. A later change by someone allowed
 * replaces the record, and the finding goes with it.
 * Described in docs/domain.md#a1-role-guarded-change.
 */
export const roleGuardedChange = defineCheck({
	rule: 'A1',
	scope: 'roleChange',
	check(change, ctx) {
		const guard = guardedField(change.collection, change.field);
		if (!guard) return [];
		const changed = changedEntity(change, ctx);
		// A deleted story, team or sprint has nothing left to protect.
		if (!changed) return [];
		const roles = [...new Set(change.roles)];
		const held = roles.length === 0 ? 'none' : listing(roles.map((role) => ROLE_LABELS[role]));
		const who = { id: change.personId, roles };
		let lacking: string;
		if (guard.decidedBy === 'story-owner') {
			if (!changed.story || decidesFor(who, changed.story)) return [];
			lacking = 'without being its Product Owner or a Chief Product Owner';
		} else {
			if (roles.some((role) => guard.allowedRoles.includes(role))) return [];
			lacking = `without the ${ROLE_LABELS[guard.allowedRoles[0]!]} role`;
		}
		return [
			finding(
				'A1',
				'warning',
				`${change.personName} changed ${guard.label} of ${changed.name} ${lacking} ` +
					`(their roles: ${held}).`,
				[...changed.refs, { kind: 'person', id: change.personId }]
			)
		];
	}
});

interface ChangedEntity {
	/** As a sentence names it: `"Checkout flow"`, `Web`, `"Checkout flow" in Web sprint 1`. */
	name: string;
	refs: Ref[];
	/** The story the change decides for, when there is one. */
	story?: { productOwnerIds: readonly string[] };
}

/** What a change names; undefined once the story, team or sprint it names is deleted. */
function changedEntity(change: GuardedChange, ctx: RuleContext): ChangedEntity | undefined {
	if (change.collection === 'teams') {
		const team = ctx.team(change.entityId);
		return team && { name: team.name, refs: [{ kind: 'team', id: team.id }] };
	}
	const storyId = storyOfChange(change);
	const story = storyId === undefined ? undefined : ctx.story(storyId);
	if (!story) return undefined;
	const storyRef: Ref = { kind: 'story', id: story.id };
	if (change.collection === 'stories') {
		return { name: `"${story.title}"`, refs: [storyRef], story };
	}
	const sprint = ctx.sprint(change.entityId);
	return (
		sprint && {
			name: `"${story.title}" in ${sprint.name}`,
			refs: [storyRef, { kind: 'sprint', id: sprint.id }],
			story
		}
	);
}
