import { describe, it } from 'vitest';
import {
	expectFindings,
	hop,
	minutesAfterT0,
	ref,
	sprint,
	story,
	team,
	workPackage,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';

interface Row {
	name: string;
	parts: BoardParts;
	expected: ExpectedFinding[];
}

type StoryFields = Partial<Parameters<typeof story>[0]>;
type WorkPackageFields = Partial<Parameters<typeof workPackage>[0]>;
type HopFields = Partial<Parameters<typeof hop>[0]>;

/**
 * The web team's "Checkout" story may escalate to the ops team's recurring "Second-level
 * support", which the ops team has reserved unknown-work points for in its active sprint.
 */
function escalation(
	options: {
		from?: StoryFields;
		to?: StoryFields;
		wp?: WorkPackageFields;
		hop?: HopFields;
		opsSprintState?: 'planned' | 'active' | 'closed';
	} = {}
): BoardParts {
	return {
		teams: [team({ id: 'web', name: 'Web' }), team({ id: 'ops', name: 'Ops', kind: 'ops' })],
		stories: [
			story({
				id: 'checkout',
				title: 'Checkout',
				teamIds: ['web'],
				sla: 'policy',
				escalationAllowed: true,
				escalationTargetIds: ['support'],
				...options.from
			}),
			story({
				id: 'support',
				title: 'Second-level support',
				teamIds: ['ops'],
				duration: 'recurring',
				workType: 'ops',
				sla: 'policy',
				...options.to
			})
		],
		sprints: [
			sprint({
				id: 'o1',
				teamId: 'ops',
				state: options.opsSprintState ?? 'active',
				reserved: { support: 10 }
			})
		],
		workPackages: [
			workPackage({
				id: 'wp1',
				storyId: 'checkout',
				title: 'Payments time out',
				escalations: [hop({ fromStoryId: 'checkout', toStoryId: 'support', ...options.hop })],
				...options.wp
			})
		]
	};
}

const hopRefs = [ref('workPackage', 'wp1'), ref('story', 'checkout'), ref('story', 'support')];

describe('R7 escalation is legal', () => {
	const illegal = (...says: string[]): ExpectedFinding[] => [
		{
			severity: 'error',
			refs: hopRefs,
			says: [
				'Escalation of work package "Payments time out" from "Checkout" to "Second-level support"',
				'is not allowed',
				...says
			]
		}
	];
	const rows: Row[] = [
		{
			name: '[R7] a listed, recurring, same-SLA target in an active sprint passes',
			parts: escalation(),
			expected: []
		},
		{
			name: '[R7] a target committed (not reserved) in an active sprint passes',
			parts: {
				...escalation(),
				sprints: [sprint({ id: 'o1', teamId: 'ops', commitments: { support: 5 } })]
			},
			expected: []
		},
		{
			name: '[R7] a story that does not allow escalation is an error',
			parts: escalation({ from: { escalationAllowed: false } }),
			expected: illegal('"Checkout" does not allow escalation')
		},
		{
			name: '[R7] a target the story does not list is an error',
			parts: escalation({ from: { escalationTargetIds: [] } }),
			expected: illegal('"Checkout" does not list "Second-level support" as an escalation target')
		},
		{
			name: '[R7] a finite target is an error',
			parts: escalation({ to: { duration: 'finite' } }),
			expected: illegal('"Second-level support" is not a recurring (operational) story')
		},
		{
			name: '[R7] different SLA settings are an error',
			parts: escalation({ to: { sla: 'none' } }),
			expected: illegal('SLA settings differ ("Checkout" policy, "Second-level support" none)')
		},
		{
			name: '[R7] a current hop whose target is only in a planned sprint is an error',
			parts: escalation({ opsSprintState: 'planned' }),
			expected: illegal(
				'"Second-level support" is not planned (committed or reserved) in any active sprint'
			)
		},
		{
			name: '[R7] a resolved hop is not held to today’s sprints',
			parts: escalation({
				opsSprintState: 'closed',
				hop: { resolvedAt: minutesAfterT0(60), resolvedBy: 'o-m1' }
			}),
			expected: []
		},
		{
			name: '[R7] a missing target story is an error',
			parts: {
				...escalation(),
				workPackages: [
					workPackage({
						id: 'wp1',
						storyId: 'checkout',
						title: 'Payments time out',
						escalations: [hop({ fromStoryId: 'checkout', toStoryId: 'gone' })]
					})
				]
			},
			expected: [
				{
					severity: 'error',
					refs: [ref('workPackage', 'wp1'), ref('story', 'checkout')],
					says: ['unknown story "gone"', 'the target story "gone" does not exist']
				}
			]
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R7', parts, expected);
	});
});

describe('R8 SLA clock survives escalation', () => {
	const deadline = '2026-11-21T15:00:00.000Z';
	const sev1 = { severity: 'SEV1' as const, slaDeadline: deadline };
	const rows: Row[] = [
		{
			name: '[R8] a hop that kept severity and deadline passes',
			parts: escalation({ wp: sev1, hop: sev1 }),
			expected: []
		},
		{
			name: '[R8] the same deadline written with another offset passes',
			parts: escalation({
				wp: sev1,
				hop: { severity: 'SEV1', slaDeadline: '2026-11-21T16:00:00.000+01:00' }
			}),
			expected: []
		},
		{
			name: '[R8] a severity lowered after escalation is an error',
			parts: escalation({ wp: { ...sev1, severity: 'SEV2' }, hop: sev1 }),
			expected: [{ severity: 'error', refs: hopRefs, says: ['changed severity SEV1 → SEV2'] }]
		},
		{
			name: '[R8] a deadline moved after escalation is an error',
			parts: escalation({ wp: { ...sev1, slaDeadline: '2026-11-21T21:00:00.000Z' }, hop: sev1 }),
			expected: [
				{
					severity: 'error',
					refs: hopRefs,
					says: ['SLA deadline 2026-11-21 15:00 UTC → 2026-11-21 21:00 UTC']
				}
			]
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R8', parts, expected);
	});
});

describe('R14 escalation returns', () => {
	const resolved = { resolvedAt: minutesAfterT0(90), resolvedBy: 'ops-m1' };
	const done = { status: 'done' as const, completedAt: minutesAfterT0(120) };
	const rows: Row[] = [
		{
			name: '[R14] completed after the receiving team resolved it passes',
			parts: escalation({ wp: done, hop: resolved }),
			expected: []
		},
		{
			name: '[R14] completed while the receiving team still holds it is an error',
			parts: escalation({ wp: done }),
			expected: [
				{
					severity: 'error',
					refs: [ref('workPackage', 'wp1'), ref('story', 'checkout'), ref('story', 'support')],
					says: [
						'"Payments time out" was completed before the receiving team resolved it',
						'"Second-level support"'
					]
				}
			]
		},
		{
			name: '[R14] open and resolved by the receiving team notifies the originating team',
			parts: escalation({ hop: resolved }),
			expected: [
				{
					severity: 'info',
					refs: [ref('workPackage', 'wp1'), ref('story', 'checkout'), ref('story', 'support')],
					says: [
						'"Payments time out" returned from "Second-level support": the originating team can complete it'
					]
				}
			]
		},
		{
			name: '[R14] open and still with the receiving team says nothing',
			parts: escalation(),
			expected: []
		},
		{
			name: '[R14] a work package never escalated says nothing',
			parts: escalation({ wp: { ...done, escalations: [] } }),
			expected: []
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R14', parts, expected);
	});
});
