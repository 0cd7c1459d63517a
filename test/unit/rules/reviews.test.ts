import { describe, expect, it } from 'vitest';
import {
	NOW,
	T0,
	board,
	expectFindings,
	incidentReview,
	minutesAfterT0,
	ref,
	workPackage,
	type BoardParts,
	type ExpectedFinding
} from '../../helpers/board-builder';

const DAY = 24 * 60;
type WorkPackageFields = Partial<Parameters<typeof workPackage>[0]>;

/** A SEV1 incident completed at T0. */
function completed(fields: WorkPackageFields = {}) {
	return workPackage({
		id: 'wp1',
		storyId: 'shop',
		title: 'Checkout down',
		severity: 'SEV1',
		status: 'done',
		completedAt: T0,
		...fields
	});
}

const refs = [ref('workPackage', 'wp1'), ref('story', 'shop')];
/** Minutes after T0 as a validation instant. */
const at = (minutes: number) => NOW + minutes * 60_000;

describe('R19 post-incident review overdue', () => {
	const rows: {
		name: string;
		parts: BoardParts;
		minutes: number;
		expected: ExpectedFinding[];
	}[] = [
		{
			name: '[R19] a SEV1 completed 4 days ago without a finished review is due, not overdue',
			parts: { workPackages: [completed()] },
			minutes: 4 * DAY,
			expected: []
		},
		{
			name: '[R19] exactly 5 days after completion it is still due',
			parts: { workPackages: [completed()] },
			minutes: 5 * DAY,
			expected: []
		},
		{
			name: '[R19] a minute past the 5 days it is 1 day overdue',
			parts: { workPackages: [completed()] },
			minutes: 5 * DAY + 1,
			expected: [
				{
					severity: 'warning',
					refs,
					says: [
						'The post-incident review of SEV1 incident "Checkout down" is 1 day overdue',
						'completed 2026-11-21 09:00 UTC',
						'within 5 days'
					]
				}
			]
		},
		{
			name: '[R19] a SEV2 completed 8 days ago with a review still open is 3 days overdue',
			parts: {
				workPackages: [completed({ severity: 'SEV2' })],
				incidentReviews: [incidentReview({ id: 'wp1', summary: 'Half written' })]
			},
			minutes: 8 * DAY,
			expected: [{ severity: 'warning', refs, says: ['SEV2 incident', 'is 3 days overdue'] }]
		},
		{
			name: '[R19] a review marked done is no finding, however late it was done',
			parts: {
				workPackages: [completed()],
				incidentReviews: [
					incidentReview({ id: 'wp1', doneAt: minutesAfterT0(20 * DAY), doneBy: 'cleo' })
				]
			},
			minutes: 30 * DAY,
			expected: []
		},
		{
			name: '[R19] a SEV3 incident needs no review',
			parts: { workPackages: [completed({ severity: 'SEV3' })] },
			minutes: 30 * DAY,
			expected: []
		},
		{
			name: '[R19] a SEV1 work package that is not an incident (a request) needs no review',
			parts: { workPackages: [completed({ category: 'request' })] },
			minutes: 30 * DAY,
			expected: []
		},
		{
			name: '[R19] an open incident has no review due yet',
			parts: { workPackages: [completed({ status: 'open', completedAt: null })] },
			minutes: 30 * DAY,
			expected: []
		},
		{
			name: '[R19] the board setting decides: with 10 days, 8 days after is still due',
			parts: { board: board({ reviewDueDays: 10 }), workPackages: [completed()] },
			minutes: 8 * DAY,
			expected: []
		},
		{
			name: '[R19] the board setting decides: with 1 day, 3 days after is 2 days overdue',
			parts: { board: board({ reviewDueDays: 1 }), workPackages: [completed()] },
			minutes: 3 * DAY,
			expected: [{ severity: 'warning', refs, says: ['is 2 days overdue', 'within 1 day.'] }]
		}
	];

	it.each(rows)('$name', ({ parts, minutes, expected }) => {
		expectFindings('R19', parts, expected, at(minutes));
	});

	it('[R19] reported once per incident: two overdue incidents give one finding each', () => {
		const parts = {
			workPackages: [completed(), completed({ id: 'wp2', title: 'Search slow', severity: 'SEV2' })]
		};
		const found = expectFindings(
			'R19',
			parts,
			[
				{ severity: 'warning', refs, says: ['"Checkout down" is 2 days overdue'] },
				{
					severity: 'warning',
					refs: [ref('workPackage', 'wp2'), ref('story', 'shop')],
					says: ['"Search slow" is 2 days overdue']
				}
			],
			at(7 * DAY)
		);
		expect(found).toHaveLength(2);
	});
});
