/**
 * Measures benchmark: every measure of the 10,000-story board (bench/board-generator.ts), computed
 * from scratch (`measures(state)`) and after one edit from the parts kept between calls
 * (`IncrementalMeasures`, fed the projection's changes as the server feeds it).
 */
import * as prng from 'lib0/prng';
import { IncrementalMeasures, measures } from '../src/lib/domain/measures';
import * as op from '../src/lib/sync/operations';
import { BoardProjection } from '../src/lib/sync/projection';
import { generateBoard, LARGE_BOARD, type GeneratedBoard } from './board-generator';
import { randomEdit, type EditKind } from './edits';
import { median, ms, percentile, table, timeRuns } from './stats';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const OPTIONS = { from: '2026-10-01', to: '2026-11-30', now: NOW };
const EDITS = 500;
/** The edits timed: those the measures read. */
const MEASURES_EDITS: readonly EditKind[] = [
	'commitStory',
	'editStory title',
	'setSeverity',
	'setSwarming',
	'moveTask',
	'reopenWorkPackage'
];

export function runMeasuresBenchmark(): string {
	const board = generateBoard(LARGE_BOARD);
	seedHistory(board);
	const projection = new BoardProjection(board.docs, { now: NOW });
	const incremental = new IncrementalMeasures(projection.state);
	projection.subscribe((changes) => incremental.apply(changes));

	const full = timeRuns(10, () => measures(projection.state, OPTIONS), 2);
	const teamOnly = timeRuns(
		10,
		() => measures(projection.state, { ...OPTIONS, teamId: 'team-7' }),
		2
	);
	const firstStart = performance.now();
	const answer = incremental.measures(OPTIONS);
	const first = performance.now() - firstStart;

	const gen = prng.create(11);
	const ctx = op.liveContext('bench-user', () => NOW);
	const samples: number[] = [];
	const kinds: Record<string, number[]> = {};
	for (let i = 0; i < EDITS; i++) {
		const [kind, edit] = randomEdit(board, gen, ctx, MEASURES_EDITS);
		edit();
		const start = performance.now();
		incremental.measures(OPTIONS);
		const took = performance.now() - start;
		samples.push(took);
		(kinds[kind] ??= []).push(took);
	}
	const agree =
		JSON.stringify(incremental.measures(OPTIONS)) ===
		JSON.stringify(measures(projection.state, OPTIONS));

	const out: string[] = [];
	out.push('### Measures');
	out.push('');
	out.push(
		`Board as above, with 500 of its work packages completed and the closed sprints reviewed; ` +
			`period ${OPTIONS.from}..${OPTIONS.to}: ${answer.sprints.length} sprints, ` +
			`${answer.sla.SEV1.resolved + answer.sla.SEV2.resolved + answer.sla.SEV3.resolved + answer.sla['non-production-defect'].resolved} resolved work packages, ` +
			`${answer.burndown.length} burndowns. JSON answer ${(JSON.stringify(answer).length / 1024).toFixed(0)} KiB.`
	);
	out.push('');
	out.push(
		table(
			['measure', 'method', 'median', 'p99'],
			[
				[
					'**every measure, in full**',
					'measures(state), 10 runs after 2 warm-ups',
					ms(median(full)),
					ms(Math.max(...full))
				],
				[
					'one team, in full',
					'measures(state, { teamId }), 10 runs',
					ms(median(teamOnly)),
					ms(Math.max(...teamOnly))
				],
				[
					'first call with kept parts',
					'IncrementalMeasures: index tasks, read every work package',
					ms(first),
					''
				],
				[
					'**every measure after one edit**',
					`IncrementalMeasures, ${EDITS} random edits`,
					ms(median(samples)),
					ms(percentile(samples, 99))
				]
			]
		)
	);
	out.push('');
	out.push(`Kept and fresh answers agree after the edits: ${agree ? 'yes' : 'NO'}.`);
	out.push('');
	out.push(
		table(
			['edit', 'count', 'median', 'p99'],
			Object.entries(kinds)
				.sort(([a], [b]) => (a < b ? -1 : 1))
				.map(([kind, s]) => [kind, String(s.length), ms(median(s)), ms(percentile(s, 99))])
		)
	);
	if (!agree) throw new Error('kept measures differ from measures computed afresh');
	return out.join('\n');
}

/** Completes some work and reviews the closed sprints' stories, so every measure has data. */
function seedHistory(board: GeneratedBoard): void {
	const { docs } = board;
	docs.board.transact(() => {
		const workPackages = docs.collection('workPackages');
		for (const [i, id] of board.workPackageIds.slice(0, 500).entries()) {
			const wp = workPackages.get(id)!;
			const created = Date.parse(String(wp.get('createdAt')));
			wp.set('status', 'done');
			wp.set('completedAt', new Date(created + (60 + (i % 50) * 20) * 60_000).toISOString());
		}
		const sprints = docs.collection('sprints');
		for (const id of board.sprintIds) {
			const sprint = sprints.get(id)!;
			if (sprint.get('state') !== 'closed') continue;
			const reviews = sprint.get('reviews') as import('yjs').Map<unknown>;
			const commitments = sprint.get('commitments') as import('yjs').Map<unknown>;
			let n = 0;
			for (const storyId of commitments.keys()) {
				reviews.set(storyId, {
					outcome: n++ % 4 === 3 ? 'rejected' : 'accepted',
					note: '',
					byPersonId: 'po',
					at: `${String(sprint.get('end'))}T15:00:00.000Z`
				});
			}
		}
	});
}
