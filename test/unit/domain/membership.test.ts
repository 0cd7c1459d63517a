/**
 * Who decides a request to change team or role (docs/domain.md#members), table-driven: the
 * admin any, a Scrum Master only someone else's within the teams they lead and the team roles.
 */
import { describe, expect, test } from 'vitest';
import {
	changesPlacement,
	mayDecide,
	teamsTouched,
	type Placement
} from '../../../src/lib/domain/membership';

const SCRUM_MASTERS: Record<string, string> = { web: 'sam', ops: 'olga', mobile: 'sam' };
const scrumMasterOf = (teamId: string) => SCRUM_MASTERS[teamId] ?? null;
const dan: Placement = { teams: ['web'], roles: ['team-member'] };

describe('the teams a change touches', () => {
	test.each([
		['joining a team', { teams: ['web', 'ops'], roles: ['team-member'] }, ['ops']],
		['moving to another team', { teams: ['ops'], roles: ['team-member'] }, ['ops', 'web']],
		['a new role, same team', { teams: ['web'], roles: ['scrum-master'] }, ['web']],
		['nothing', dan, []]
	] as const)('%s', (_, wanted, touched) => {
		expect(teamsTouched(dan, wanted as Placement)).toEqual(touched);
		expect(changesPlacement(dan, wanted as Placement)).toBe(touched.length > 0);
	});

	test('a new role without any team touches no team, yet is a change', () => {
		const loner: Placement = { teams: [], roles: ['team-member'] };
		const wanted: Placement = { teams: [], roles: ['stakeholder'] };
		expect(teamsTouched(loner, wanted)).toEqual([]);
		expect(changesPlacement(loner, wanted)).toBe(true);
	});
});

describe('who may decide a request', () => {
	const cases: [string, { personId: string; admin: boolean }, Placement, boolean][] = [
		[
			'the admin, anything',
			{ personId: 'ada', admin: true },
			{ teams: ['ops'], roles: ['chief-product-owner'] },
			true
		],
		[
			'the Scrum Master of the team joined',
			{ personId: 'sam', admin: false },
			{ teams: ['web', 'mobile'], roles: ['team-member'] },
			true
		],
		[
			'a Scrum Master of one of two teams touched',
			{ personId: 'sam', admin: false },
			{ teams: ['ops'], roles: ['team-member'] },
			false
		],
		[
			"the other team's Scrum Master",
			{ personId: 'olga', admin: false },
			{ teams: ['web', 'mobile'], roles: ['team-member'] },
			false
		],
		[
			'the Scrum Master, a team role',
			{ personId: 'sam', admin: false },
			{ teams: ['web'], roles: ['scrum-master'] },
			true
		],
		[
			'the Scrum Master, a chief role',
			{ personId: 'sam', admin: false },
			{ teams: ['web'], roles: ['chief-scrum-master'] },
			false
		],
		[
			'a member without a team to lead',
			{ personId: 'eve', admin: false },
			{ teams: ['web', 'ops'], roles: ['team-member'] },
			false
		]
	];
	test.each(cases)('%s', (_, approver, wanted, allowed) => {
		expect(mayDecide(approver, 'dan', dan, wanted, scrumMasterOf)).toBe(allowed);
	});

	test('nobody but the admin decides their own request', () => {
		const wanted: Placement = { teams: ['web', 'mobile'], roles: ['team-member'] };
		expect(mayDecide({ personId: 'sam', admin: false }, 'sam', dan, wanted, scrumMasterOf)).toBe(
			false
		);
		expect(mayDecide({ personId: 'ada', admin: true }, 'ada', dan, wanted, scrumMasterOf)).toBe(
			true
		);
	});

	test('a request that touches no team needs the admin', () => {
		const loner: Placement = { teams: [], roles: ['team-member'] };
		const wanted: Placement = { teams: [], roles: ['stakeholder'] };
		expect(mayDecide({ personId: 'sam', admin: false }, 'dan', loner, wanted, scrumMasterOf)).toBe(
			false
		);
	});
});
