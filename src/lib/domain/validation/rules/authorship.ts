/** Authorship rule: a role-guarded field was last changed by someone without the role (A1). */
import { guardedField, ROLE_LABELS, type GuardedChange } from '../../authorship';
import type { Ref } from '../../findings';
import { defineCheck, type RuleContext } from '../context';
import { finding, listing } from './support';

/**
 * A1: the relay cannot refuse a change per connection, so the server records who last changed
 * each guarded field, with the roles their signed session carried; a change by someone holding
 * none of the field's roles is reported by name. A later change by someone with the role
 * replaces the record, and the finding goes with it.
 * Described in docs/domain.md#a1-role-guarded-change.
 */
export const roleGuardedChange = defineCheck({
	rule: 'A1',
	scope: 'roleChange',
	check(change, ctx) {
		const guard = guardedField(change.collection, change.field);
		if (!guard || change.roles.some((role) => guard.allowedRoles.includes(role))) return [];
		const entity = changedEntity(change, ctx);
		// A deleted story or team has nothing left to protect.
		if (!entity) return [];
		const needed = ROLE_LABELS[guard.allowedRoles[0]!];
		const roles = [...new Set(change.roles)];
		const held = roles.length === 0 ? 'none' : listing(roles.map((role) => ROLE_LABELS[role]));
		return [
			finding(
				'A1',
				'warning',
				`${change.personName} changed ${guard.label} of ${entity.name} without the ${needed} ` +
					`role (their roles: ${held}).`,
				[entity.ref, { kind: 'person', id: change.personId }]
			)
		];
	}
});

/** The story or team a change names, as a sentence names it; undefined once it is deleted. */
function changedEntity(
	change: GuardedChange,
	ctx: RuleContext
): { name: string; ref: Ref } | undefined {
	if (change.collection === 'stories') {
		const story = ctx.story(change.entityId);
		return story && { name: `"${story.title}"`, ref: { kind: 'story', id: story.id } };
	}
	const team = ctx.team(change.entityId);
	return team && { name: team.name, ref: { kind: 'team', id: team.id } };
}
