import { describe, expect, it } from 'vitest';
import { Finding, RULE_IDS } from '../../../src/lib/domain/findings';
import { validate } from '../../../src/lib/domain/validation/engine';
import { ALL_CHECKS } from '../../../src/lib/domain/validation/rules';
import type { BoardState } from '../../../src/lib/domain/state';
import {
	NOW,
	T0,
	boardState,
	doneCriterion,
	hop,
	minutesAfterT0,
	person,
	roleChange,
	sprint,
	story,
	task,
	team,
	workPackage
} from '../../helpers/board-builder';

/** A board that breaks every rule at once. */
function troubledBoard(): BoardState {
	return boardState({
		people: [person({ id: 'alice', name: 'Alice' }), person({ id: 'bob', name: 'Bob' })],
		teams: [
			team({ id: 'web', name: 'Web', kind: 'mixed', velocity: 20, memberIds: ['alice'] }),
			team({ id: 'ops', name: 'Ops', kind: 'ops' }),
			team({ id: 'app', name: 'App' }),
			team({ id: 'data', name: 'Data' })
		],
		stories: [
			story({
				id: 'login',
				title: 'Social login',
				productOwnerIds: ['alice', 'bob'],
				teamIds: ['web', 'app'],
				estimates: { web: 25 },
				sla: 'policy',
				escalationAllowed: true,
				escalationTargetIds: ['support']
			}),
			story({ id: 'pay', title: 'Pay by invoice', teaming: 'multiple', teamIds: ['web', 'app'] }),
			story({ id: 'support', title: 'Support', duration: 'recurring', workType: 'ops' }),
			story({ id: 'search', title: 'Search', teamIds: ['ops'] })
		],
		sprints: [
			sprint({
				id: 'w1',
				teamId: 'web',
				commitments: { login: 25, pay: 3 },
				reserved: { support: 2 }
			}),
			sprint({
				id: 'w2',
				teamId: 'web',
				state: 'planned',
				start: '2026-11-30',
				commitments: { login: 1 }
			}),
			sprint({ id: 'a1', teamId: 'app', start: '2026-11-17', commitments: { login: 1, pay: 3 } }),
			sprint({
				id: 'o0',
				teamId: 'ops',
				state: 'closed',
				start: '2026-11-02',
				reserved: { support: 5 },
				commitments: { search: 1 },
				reviews: { search: { outcome: 'accepted', note: '', byPersonId: null, at: T0 } }
			})
		],
		doneCriteria: [doneCriterion({ id: 'c1', text: 'Runbook updated' })],
		workPackages: [
			workPackage({
				id: 'wp1',
				storyId: 'login',
				severity: 'SEV1',
				slaDeadline: minutesAfterT0(-5),
				escalations: [hop({ fromStoryId: 'login', toStoryId: 'support', severity: 'SEV2' })]
			}),
			workPackage({
				id: 'wp2',
				storyId: 'support',
				status: 'done',
				completedAt: minutesAfterT0(1),
				escalations: [hop({ fromStoryId: 'support', toStoryId: 'login' })]
			}),
			workPackage({ id: 'wp3', storyId: 'support' }),
			workPackage({ id: 'wp4', storyId: 'support', points: 3 }),
			workPackage({
				id: 'wp5',
				storyId: 'support',
				severity: 'SEV2',
				status: 'done',
				completedAt: minutesAfterT0(-10 * 24 * 60)
			})
		],
		tasks: [
			task({ id: 'k1', owningTeamId: 'web', homeTeamId: 'ops' }),
			task({ id: 'k2', owningTeamId: 'web', homeTeamId: 'web', assigneeId: 'bob' })
		],
		roleChanges: [
			roleChange({ collection: 'teams', entityId: 'web', field: 'velocity' }),
			roleChange({ entityId: 'login', field: 'sla', personId: 'bob', personName: 'Bob' })
		]
	});
}

function reversed(state: BoardState): BoardState {
	const flip = <T>(map: ReadonlyMap<string, T>) => new Map([...map].reverse());
	return {
		...state,
		people: flip(state.people),
		teams: flip(state.teams),
		stories: flip(state.stories),
		sprints: flip(state.sprints),
		workPackages: flip(state.workPackages),
		tasks: flip(state.tasks),
		roleChanges: flip(state.roleChanges),
		doneCriteria: flip(state.doneCriteria)
	};
}

describe('all checks', () => {
	it('[R1–R19, A1] every rule has a check', () => {
		expect(new Set(ALL_CHECKS.map((c) => c.rule))).toEqual(new Set(RULE_IDS));
	});

	it('[R1–R19, A1] a board breaking every rule reports every rule with schema-valid findings', () => {
		const findings = validate(troubledBoard(), NOW);
		expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(RULE_IDS));
		for (const f of findings) expect(Finding.safeParse(f).success, f.message).toBe(true);
	});

	it('[R1–R19, A1] findings do not depend on the order entities arrived in', () => {
		const state = troubledBoard();
		expect(validate(reversed(state), NOW)).toEqual(validate(state, NOW));
	});
});
