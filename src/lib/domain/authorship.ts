/**
 * Role-guarded fields and who last changed them. Some fields of the board document need a role
 * (only a Product Owner decides a story's Product Owner, duration, teaming or SLA; only a Scrum
 * Master sets a team's velocity; only the story's own Product Owner, or the Chief Product Owner,
 * moves it in the backlog or reviews it), but the relay cannot refuse a change per connection. So the
 * server records, per guarded field, who last changed it and with which roles their signed
 * session carried, and rule A1 reports a change made without the role. This module is that
 * contract: the server writes these records, the projection reads them, the rule checks them.
 */
import { z } from 'zod';
import { Id, Instant, Role } from './schema';

/** The collections that hold guarded fields. */
export const GUARDED_COLLECTIONS = ['stories', 'teams', 'sprints'] as const;
export type GuardedCollection = (typeof GUARDED_COLLECTIONS)[number];

/** One guarded field: who may change it, and what a Scrum Master calls it in a sentence. */
export interface GuardedField {
	readonly collection: GuardedCollection;
	readonly field: string;
	/** A change by someone holding none of these roles is reported (A1). */
	readonly allowedRoles: readonly Role[];
	/** The field as a sentence names it: "the duration". */
	readonly label: string;
	/**
	 * `role`: any holder of an allowed role may change it. `story-owner`: only whoever decides for
	 * the story (`decidesFor` in access.ts): its own Product Owner, or a Chief Product Owner.
	 */
	readonly decidedBy: 'role' | 'story-owner';
	/**
	 * A `record` field guarded per entry, the entry's key naming the story (a sprint's `reviews`):
	 * each entry is recorded on its own, under `<collection>/<entityId>/<field>/<entry>`.
	 */
	readonly perEntry: boolean;
}

const PRODUCT_OWNERS: readonly Role[] = ['product-owner', 'chief-product-owner'];
const SCRUM_MASTERS: readonly Role[] = ['scrum-master', 'chief-scrum-master'];

/** Every role-guarded field of the board document. */
const byRole = { decidedBy: 'role', perEntry: false } as const;

/** Every role-guarded field of the board document. */
export const GUARDED_FIELDS: readonly GuardedField[] = [
	{
		collection: 'stories',
		field: 'productOwnerIds',
		allowedRoles: PRODUCT_OWNERS,
		label: 'the Product Owner',
		...byRole
	},
	{
		collection: 'stories',
		field: 'duration',
		allowedRoles: PRODUCT_OWNERS,
		label: 'the duration',
		...byRole
	},
	{
		collection: 'stories',
		field: 'teaming',
		allowedRoles: PRODUCT_OWNERS,
		label: 'the teaming',
		...byRole
	},
	{
		collection: 'stories',
		field: 'sla',
		allowedRoles: PRODUCT_OWNERS,
		label: 'the SLA setting',
		...byRole
	},
	{
		collection: 'teams',
		field: 'velocity',
		allowedRoles: SCRUM_MASTERS,
		label: 'the velocity',
		...byRole
	},
	{
		collection: 'stories',
		field: 'rank',
		allowedRoles: PRODUCT_OWNERS,
		label: 'the backlog position',
		decidedBy: 'story-owner',
		perEntry: false
	},
	{
		collection: 'sprints',
		field: 'reviews',
		allowedRoles: PRODUCT_OWNERS,
		label: 'the review',
		decidedBy: 'story-owner',
		perEntry: true
	}
];

const GUARDED_BY_KEY = new Map(GUARDED_FIELDS.map((g) => [`${g.collection}/${g.field}`, g]));

/** The guard of a field, or undefined when anyone may change it. */
export function guardedField(collection: string, field: string): GuardedField | undefined {
	return GUARDED_BY_KEY.get(`${collection}/${field}`);
}

/**
 * The key of a field's record in the `authorship` map: `stories/s-42/duration`, or with the
 * entry of a field guarded per entry, `sprints/web-s1/reviews/s-42`.
 */
export function authorshipKey(
	collection: GuardedCollection,
	entityId: string,
	field: string,
	entry?: string
): string {
	const key = `${collection}/${entityId}/${field}`;
	return entry === undefined ? key : `${key}/${entry}`;
}

/** The key of a change's own record. */
export function keyOfChange(change: GuardedChange): string {
	return authorshipKey(change.collection, change.entityId, change.field, change.entry);
}

/**
 * The story a change decides for, when its field is decided by the story's owner: the story
 * itself, or the story a review entry names.
 */
export function storyOfChange(change: GuardedChange): string | undefined {
	if (change.collection === 'stories') return change.entityId;
	return guardedField(change.collection, change.field)?.perEntry ? change.entry : undefined;
}

/**
 * The last change of one guarded field. `roles` are the roles the person's signed session
 * carried when they made it, attested by the server; never the board's `people` collection,
 * which any client can edit.
 */
export const GuardedChange = z
	.object({
		collection: z.enum(GUARDED_COLLECTIONS),
		entityId: Id,
		field: z.string().min(1).max(64),
		personId: Id,
		personName: z.string().trim().min(1, 'a name is required').max(80),
		roles: z.array(Role),
		at: Instant,
		/** The entry of a field guarded per entry (a review's story id); absent otherwise. */
		entry: Id.optional()
	})
	.refine((change) => guardedField(change.collection, change.field) !== undefined, {
		message: 'not a role-guarded field',
		path: ['field']
	})
	.refine(
		(change) =>
			(change.entry !== undefined) === guardedField(change.collection, change.field)?.perEntry,
		{
			message: 'an entry is named for fields guarded per entry, and only for them',
			path: ['entry']
		}
	);
export type GuardedChange = z.infer<typeof GuardedChange>;

/** Roles as a Scrum Master writes them in a sentence. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
	'product-owner': 'Product Owner',
	'scrum-master': 'Scrum Master',
	'team-member': 'team member',
	'chief-product-owner': 'Chief Product Owner',
	'chief-scrum-master': 'Chief Scrum Master',
	stakeholder: 'stakeholder'
};
