/**
 * Validation benchmark: a board of 50 teams, 10,000 stories, 100,000 tasks and 2,000 open work
 * packages. Measures document size and load, document → state, full validation, and the
 * incremental revalidation after one edit, against full revalidation of the same edits.
 */
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { validate } from '../src/lib/domain/validation/engine';
import * as op from '../src/lib/sync/operations';
import { BoardProjection } from '../src/lib/sync/projection';
import { generateBoard, LARGE_BOARD } from './board-generator';
import { randomEdit, type EditKind } from './edits';
import { median, mib, ms, percentile, table, timeRuns } from './stats';

const NOW = Date.parse('2026-11-17T12:00:00.000Z');
const EDITS = 1_000;
const FULL_REVALIDATION_SAMPLES = 50;
/** The edits timed: those the rules react to. */
const VALIDATION_EDITS: readonly EditKind[] = [
	'commitStory',
	'editStory title',
	'editStory duration',
	'setEstimate',
	'setSwarming',
	'setSeverity',
	'moveTask',
	'updateTeam velocity',
	'moveStory'
];

export function runValidationBenchmark(): string {
	const out: string[] = [];
	const generateStart = performance.now();
	const board = generateBoard(LARGE_BOARD);
	const generated = performance.now() - generateStart;

	// Encoded size and load time of every document.
	const updates = [board.docs.board, ...board.docs.teams().values()].map((doc) =>
		Y.encodeStateAsUpdate(doc)
	);
	const bytes = updates.reduce((sum, u) => sum + u.byteLength, 0);
	const load = timeRuns(5, () => {
		for (const update of updates) Y.applyUpdate(new Y.Doc(), update);
	});

	// Document → state (parse every entity, build indexes) and the first full validation.
	let projection!: BoardProjection;
	const toState = timeRuns(
		3,
		() => {
			projection?.destroy();
			projection = new BoardProjection(board.docs, { now: NOW });
		},
		0
	);
	const firstFindingsStart = performance.now();
	const initial = projection.findings().length;
	const firstFindings = performance.now() - firstFindingsStart;
	const full = timeRuns(10, () => validate(projection.state, NOW), 2);
	const heap = process.memoryUsage().heapUsed;

	// One edit at a time: the operation (Yjs transaction + projection), then revalidation.
	const gen = prng.create(7);
	const ctx = op.liveContext('bench-user');
	const kinds: Record<string, { apply: number[]; revalidate: number[] }> = {};
	const applySamples: number[] = [];
	const revalidateSamples: number[] = [];
	for (let i = 0; i < EDITS; i++) {
		const [kind, edit] = randomEdit(board, gen, ctx, VALIDATION_EDITS);
		const start = performance.now();
		edit();
		const applied = performance.now();
		projection.findings();
		const done = performance.now();
		applySamples.push(applied - start);
		revalidateSamples.push(done - applied);
		(kinds[kind] ??= { apply: [], revalidate: [] }).revalidate.push(done - applied);
		kinds[kind].apply.push(applied - start);
	}
	const endToEnd = applySamples.map((a, i) => a + revalidateSamples[i]!);
	// The peer: validating the whole board again after an edit.
	const fullAfterEdit: number[] = [];
	for (let i = 0; i < FULL_REVALIDATION_SAMPLES; i++) {
		randomEdit(board, gen, ctx, VALIDATION_EDITS)[1]();
		const start = performance.now();
		validate(projection.state, NOW);
		fullAfterEdit.push(performance.now() - start);
	}
	const agree =
		JSON.stringify(projection.findings()) === JSON.stringify(validate(projection.state, NOW));

	out.push('### Validation engine');
	out.push('');
	out.push(
		`Board: ${LARGE_BOARD.teams} teams, ${board.personIds.length} people, ` +
			`${LARGE_BOARD.stories.toLocaleString('en')} stories, ${board.sprintIds.length} sprints, ` +
			`${LARGE_BOARD.tasks.toLocaleString('en')} tasks in ${board.docs.teams().size} team documents, ` +
			`${LARGE_BOARD.openWorkPackages.toLocaleString('en')} open work packages ` +
			`(generated in ${ms(generated)}); ${initial} findings on it.`
	);
	out.push('');
	out.push(
		table(
			['measure', 'method', 'median', 'p99'],
			[
				['encoded size', 'Σ Y.encodeStateAsUpdate over 51 documents', mib(bytes), ''],
				[
					'load',
					'Y.applyUpdate of all 51 documents into fresh Y.Docs, 5 runs',
					ms(median(load)),
					ms(Math.max(...load))
				],
				[
					'document → state',
					'new BoardProjection: read + zod-parse every entity, index, 3 runs',
					ms(median(toState)),
					ms(Math.max(...toState))
				],
				[
					'first validation (tracked)',
					'IncrementalValidator, all scopes, recording dependencies',
					ms(firstFindings),
					''
				],
				[
					'full validation',
					'validate(state, now), 10 runs after 2 warm-ups',
					ms(median(full)),
					ms(Math.max(...full))
				],
				[
					'**revalidation after one edit**',
					`incremental, ${EDITS} random edits`,
					ms(median(revalidateSamples)),
					ms(percentile(revalidateSamples, 99))
				],
				[
					'edit → findings',
					'operation + Yjs + projection update + revalidation',
					ms(median(endToEnd)),
					ms(percentile(endToEnd, 99))
				],
				[
					'peer: full revalidation after one edit',
					`validate(state) after each of ${FULL_REVALIDATION_SAMPLES} edits`,
					ms(median(fullAfterEdit)),
					ms(percentile(fullAfterEdit, 99))
				]
			]
		)
	);
	out.push('');
	out.push(
		`Heap after loading and validating: ${mib(heap)}. Incremental and full findings agree after the edits: ${agree ? 'yes' : 'NO'}.`
	);
	out.push('');
	out.push(
		table(
			['edit', 'count', 'operation median', 'revalidation median', 'revalidation p99'],
			Object.entries(kinds)
				.sort(([a], [b]) => (a < b ? -1 : 1))
				.map(([kind, s]) => [
					kind,
					String(s.revalidate.length),
					ms(median(s.apply)),
					ms(median(s.revalidate)),
					ms(percentile(s.revalidate, 99))
				])
		)
	);
	if (!agree) throw new Error('incremental findings differ from a full validation');
	return out.join('\n');
}
