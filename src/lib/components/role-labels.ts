/** How the Members view names each role. */
import type { Role } from '$lib/domain/schema';

export const ROLE_LABELS: Record<Role, string> = {
	'product-owner': 'Product Owner',
	'scrum-master': 'Scrum Master',
	'team-member': 'Team member',
	'chief-product-owner': 'Chief Product Owner',
	'chief-scrum-master': 'Chief Scrum Master',
	stakeholder: 'Stakeholder (reads only)'
};

/** A role's name without the note on what it may do. */
export const roleName = (role: Role): string => ROLE_LABELS[role].replace(' (reads only)', '');
