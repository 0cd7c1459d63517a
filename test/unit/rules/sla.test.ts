import { describe, it } from 'vitest';
import {
	T0,
	expectFindings,
	minutesAfterT0,
	NOW,
	ref,
	story,
	workPackage,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';

type WorkPackageFields = Partial<Parameters<typeof workPackage>[0]>;

const MINUTE = 60_000;
const stories = [story({ id: 'shop', title: 'Shop', sla: 'policy' })];
const refs = [ref('workPackage', 'wp1'), ref('story', 'shop')];

/** A SEV1 created at T0 with the default policy's 6-hour SLA window. */
function incident(fields: WorkPackageFields = {}): BoardParts {
	return {
		stories,
		workPackages: [
			workPackage({
				id: 'wp1',
				storyId: 'shop',
				title: 'Checkout down',
				severity: 'SEV1',
				createdAt: T0,
				slaDeadline: minutesAfterT0(360),
				swarm: ['ann', 'ben'],
				...fields
			})
		]
	};
}

describe('R9 SLA status', () => {
	const rows: { name: string; parts: BoardParts; minutes: number; expected: ExpectedFinding[] }[] =
		[
			{
				name: '[R9] with 2 h of 6 h left the SLA is fine',
				parts: incident(),
				minutes: 240,
				expected: []
			},
			{
				name: '[R9] with exactly 25 % of the window left it is not yet at risk',
				parts: incident(),
				minutes: 270,
				expected: []
			},
			{
				name: '[R9] with one minute less than 25 % left it is at risk',
				parts: incident(),
				minutes: 271,
				expected: [
					{
						severity: 'warning',
						refs,
						says: [
							'SEV1 work package "Checkout down" is at risk',
							'1 h 29 min left of 6 h',
							'deadline 2026-11-21 15:00 UTC'
						]
					}
				]
			},
			{
				name: '[R9] at the deadline it is breached',
				parts: incident(),
				minutes: 360,
				expected: [{ severity: 'error', refs, says: ['was breached less than a minute ago'] }]
			},
			{
				name: '[R9] 2 h 5 min past the deadline it is breached by that much',
				parts: incident(),
				minutes: 485,
				expected: [
					{
						severity: 'error',
						refs,
						says: ['"Checkout down" was breached 2 h 5 min ago', '(deadline 2026-11-21 15:00 UTC)']
					}
				]
			},
			{
				name: '[R9] a done work package past its deadline is history',
				parts: incident({ status: 'done', completedAt: minutesAfterT0(400) }),
				minutes: 485,
				expected: []
			},
			{
				name: '[R9] a work package without SLA has no clock',
				parts: incident({ slaDeadline: null }),
				minutes: 10_000,
				expected: []
			}
		];

	it.each(rows)('$name', ({ parts, minutes, expected }) => {
		expectFindings('R9', parts, expected, NOW + minutes * MINUTE);
	});
});

describe('R13 swarm on SEV1', () => {
	const rows: { name: string; parts: BoardParts; expected: ExpectedFinding[] }[] = [
		{
			name: '[R13] an open SEV1 with 2 people swarming passes',
			parts: incident(),
			expected: []
		},
		{
			name: '[R13] an open SEV1 with 1 person swarming warns',
			parts: incident({ swarm: ['ann'] }),
			expected: [
				{
					severity: 'warning',
					refs: [...refs, ref('person', 'ann')],
					says: ['"Checkout down" has 1 person swarming', 'at least 2']
				}
			]
		},
		{
			name: '[R13] the same person listed twice is still 1 person',
			parts: incident({ swarm: ['ann', 'ann'] }),
			expected: [{ severity: 'warning', refs: [...refs, ref('person', 'ann')], says: ['1 person'] }]
		},
		{
			name: '[R13] an open SEV1 with nobody swarming warns',
			parts: incident({ swarm: [] }),
			expected: [{ severity: 'warning', refs, says: ['has 0 people swarming'] }]
		},
		{
			name: '[R13] a SEV2 needs no swarm',
			parts: incident({ severity: 'SEV2', swarm: [] }),
			expected: []
		},
		{
			name: '[R13] a resolved SEV1 needs no swarm',
			parts: incident({ status: 'done', completedAt: minutesAfterT0(60), swarm: [] }),
			expected: []
		}
	];

	it.each(rows)('$name', ({ parts, expected }) => {
		expectFindings('R13', parts, expected);
	});
});
