import { describe, expect, it } from 'vitest';
import { GUARDED_FIELDS, authorshipKey, guardedField } from '../../../src/lib/domain/authorship';
import { ruleNumber } from '../../../src/lib/domain/findings';
import {
	expectFindings,
	person,
	ref,
	roleChange,
	sprint,
	story,
	team,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';

describe('A1 role-guarded change', () => {
	const checkout = story({ id: 's1', title: 'Checkout flow' });
	const web = team({ id: 'web', name: 'Web' });
	const board = (parts: BoardParts): BoardParts => ({
		stories: [checkout],
		teams: [web],
		...parts
	});
	const warning = (says: string[], subject = ref('story', 's1')): ExpectedFinding => ({
		severity: 'warning',
		refs: [subject, ref('person', 'mallory')],
		says
	});

	const sprint1 = sprint({
		id: 'sp1',
		teamId: 'web',
		name: 'Web sprint 1',
		commitments: { s1: 3 }
	});
	const review = (fields: Partial<Parameters<typeof roleChange>[0]> = {}) =>
		roleChange({
			collection: 'sprints',
			entityId: 'sp1',
			field: 'reviews',
			entry: 's1',
			...fields
		});
	const byOwner = { personId: 'po', personName: 'Pat', roles: ['product-owner' as const] };
	const notOwner =
		'without being its Product Owner or a Chief Product Owner (their roles: team member).';

	const rows: { name: string; parts: BoardParts; expected: ExpectedFinding[] }[] = [
		{
			name: '[A1] its own Product Owner moving a story in the backlog passes',
			parts: board({ roleChanges: [roleChange({ field: 'rank', ...byOwner })] }),
			expected: []
		},
		{
			name: '[A1] a Chief Product Owner moves any story',
			parts: board({
				roleChanges: [roleChange({ field: 'rank', roles: ['chief-product-owner'] })]
			}),
			expected: []
		},
		{
			name: '[A1] a team member moving a story in the backlog is named',
			parts: board({ roleChanges: [roleChange({ field: 'rank' })] }),
			expected: [warning([`Mallory changed the backlog position of "Checkout flow" ${notOwner}`])]
		},
		{
			name: '[A1] the Product Owner of other stories moving this one is named',
			parts: board({ roleChanges: [roleChange({ field: 'rank', roles: ['product-owner'] })] }),
			expected: [warning(['the backlog position', '(their roles: Product Owner)'])]
		},
		{
			name: '[A1] any Product Owner moves a story nobody owns yet',
			parts: board({
				stories: [story({ id: 's1', title: 'Checkout flow', productOwnerIds: [] })],
				roleChanges: [roleChange({ field: 'rank', roles: ['product-owner'] })]
			}),
			expected: []
		},
		{
			name: '[A1] its Product Owner accepting a story at the review passes',
			parts: board({ sprints: [sprint1], roleChanges: [review(byOwner)] }),
			expected: []
		},
		{
			name: '[A1] a team member accepting a story at the review is named, with the sprint',
			parts: board({ sprints: [sprint1], roleChanges: [review()] }),
			expected: [
				{
					severity: 'warning',
					refs: [ref('story', 's1'), ref('sprint', 'sp1'), ref('person', 'mallory')],
					says: [`Mallory changed the review of "Checkout flow" in Web sprint 1 ${notOwner}`]
				}
			]
		},
		{
			name: '[A1] a review in a deleted sprint reports nothing',
			parts: board({ roleChanges: [review()] }),
			expected: []
		},
		{
			name: '[A1] a Product Owner changing the Product Owner passes',
			parts: board({
				roleChanges: [roleChange({ field: 'productOwnerIds', roles: ['product-owner'] })]
			}),
			expected: []
		},
		{
			name: '[A1] a team member changing the Product Owner is named',
			parts: board({ roleChanges: [roleChange({ field: 'productOwnerIds' })] }),
			expected: [
				warning([
					'Mallory changed the Product Owner of "Checkout flow" without the Product Owner role ' +
						'(their roles: team member).'
				])
			]
		},
		...(['duration', 'teaming', 'sla'] as const).map((field) => ({
			name: `[A1] a team member changing ${field} is named`,
			parts: board({ roleChanges: [roleChange({ field })] }),
			expected: [
				warning([
					`Mallory changed ${guardedField('stories', field)!.label} of "Checkout flow"`,
					'without the Product Owner role'
				])
			]
		})),
		{
			name: '[A1] a Chief Product Owner may change story fields',
			parts: board({
				roleChanges: [
					roleChange({ field: 'duration', roles: ['chief-product-owner'] }),
					roleChange({ field: 'sla', roles: ['team-member', 'chief-product-owner'] })
				]
			}),
			expected: []
		},
		{
			name: '[A1] a Scrum Master is not a Product Owner',
			parts: board({ roleChanges: [roleChange({ field: 'teaming', roles: ['scrum-master'] })] }),
			expected: [warning(['the teaming', '(their roles: Scrum Master)'])]
		},
		{
			name: '[A1] a Scrum Master changing the velocity passes',
			parts: board({
				roleChanges: [
					roleChange({
						collection: 'teams',
						entityId: 'web',
						field: 'velocity',
						roles: ['scrum-master']
					})
				]
			}),
			expected: []
		},
		{
			name: '[A1] a Chief Scrum Master changing the velocity passes',
			parts: board({
				roleChanges: [
					roleChange({
						collection: 'teams',
						entityId: 'web',
						field: 'velocity',
						roles: ['chief-scrum-master']
					})
				]
			}),
			expected: []
		},
		{
			name: '[A1] a team member changing the velocity is named',
			parts: board({
				roleChanges: [roleChange({ collection: 'teams', entityId: 'web', field: 'velocity' })]
			}),
			expected: [
				warning(
					[
						'Mallory changed the velocity of Web without the Scrum Master role ' +
							'(their roles: team member).'
					],
					ref('team', 'web')
				)
			]
		},
		{
			name: '[A1] a Product Owner is not a Scrum Master',
			parts: board({
				roleChanges: [
					roleChange({
						collection: 'teams',
						entityId: 'web',
						field: 'velocity',
						roles: ['product-owner', 'stakeholder']
					})
				]
			}),
			expected: [warning(['(their roles: Product Owner and stakeholder)'], ref('team', 'web'))]
		},
		{
			name: '[A1] someone without any role says so',
			parts: board({ roleChanges: [roleChange({ field: 'sla', roles: [] })] }),
			expected: [warning(['(their roles: none)'])]
		},
		{
			name: '[A1] a change to a deleted story or team reports nothing',
			parts: {
				roleChanges: [
					roleChange({ field: 'duration' }),
					roleChange({ collection: 'teams', entityId: 'web', field: 'velocity' })
				]
			},
			expected: []
		},
		{
			name: '[A1] one finding per recorded change, stories before teams',
			parts: board({
				roleChanges: [
					roleChange({ collection: 'teams', entityId: 'web', field: 'velocity' }),
					roleChange({ field: 'sla', personId: 'eve', personName: 'Eve' }),
					roleChange({ field: 'duration' })
				]
			}),
			expected: [
				warning(['Mallory changed the duration']),
				{
					severity: 'warning',
					refs: [ref('story', 's1'), ref('person', 'eve')],
					says: ['Eve changed the SLA setting']
				},
				warning(['Mallory changed the velocity of Web'], ref('team', 'web'))
			]
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('A1', parts, expected);
	});

	it('[A1] trusts the roles and name the session carried, not the editable people list', () => {
		const [found] = expectFindings(
			'A1',
			board({
				people: [person({ id: 'mallory', name: 'Mallory', roles: ['product-owner'] })],
				roleChanges: [roleChange({ field: 'duration', personName: 'Mallory M.' })]
			}),
			[warning(['Mallory M. changed the duration'])]
		);
		expect(found!.message).toContain('(their roles: team member)');
	});
});

describe('A1 guarded fields', () => {
	it('[A1] the guarded fields and who may change them', () => {
		expect(
			GUARDED_FIELDS.map((g) => `${g.collection}.${g.field}: ${g.allowedRoles.join(', ')}`)
		).toEqual([
			'stories.productOwnerIds: product-owner, chief-product-owner',
			'stories.duration: product-owner, chief-product-owner',
			'stories.teaming: product-owner, chief-product-owner',
			'stories.sla: product-owner, chief-product-owner',
			'teams.velocity: scrum-master, chief-scrum-master',
			'stories.rank: product-owner, chief-product-owner',
			'sprints.reviews: product-owner, chief-product-owner'
		]);
		expect(GUARDED_FIELDS.filter((g) => g.decidedBy === 'story-owner').map((g) => g.field)).toEqual(
			['rank', 'reviews']
		);
	});

	it('[A1] any other field is not guarded', () => {
		expect(guardedField('stories', 'title')).toBeUndefined();
		expect(guardedField('people', 'roles')).toBeUndefined();
		expect(guardedField('teams', 'velocity')?.label).toBe('the velocity');
	});

	it('[A1] authorship keys name collection, entity and field', () => {
		expect(authorshipKey('stories', 's-42', 'duration')).toBe('stories/s-42/duration');
		expect(authorshipKey('sprints', 'web-1', 'reviews', 's-42')).toBe('sprints/web-1/reviews/s-42');
	});

	it('[A1] sorts after every R-rule, which keep their order', () => {
		expect(ruleNumber('R9')).toBeLessThan(ruleNumber('R10'));
		expect(ruleNumber('R15')).toBeLessThan(ruleNumber('A1'));
		expect(ruleNumber('A1')).toBe(101);
	});
});
