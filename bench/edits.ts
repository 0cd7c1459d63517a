/**
 * Random user edits on the generated board, through the public operations: what the validation
 * and measures benchmarks apply between their timings. Each benchmark names the kinds it draws.
 */
import * as prng from 'lib0/prng';
import * as op from '../src/lib/sync/operations';
import type { GeneratedBoard } from './board-generator';

export const EDIT_KINDS = [
	'commitStory',
	'editStory title',
	'editStory duration',
	'setEstimate',
	'setSwarming',
	'setSeverity',
	'moveTask',
	'updateTeam velocity',
	'moveStory',
	'reopenWorkPackage'
] as const;
export type EditKind = (typeof EDIT_KINDS)[number];

/** One random edit of one of `kinds`: its kind, and the function that makes it. */
export function randomEdit(
	board: GeneratedBoard,
	gen: prng.PRNG,
	ctx: op.OpContext,
	kinds: readonly EditKind[]
): [EditKind, () => void] {
	const { docs } = board;
	const team = prng.oneOf(gen, board.teamIds);
	const teamIndex = Number(team.slice(5));
	const story = prng.oneOf(gen, board.storyIds);
	const wp = prng.oneOf(gen, board.workPackageIds);
	const activeSprint = `sprint-${teamIndex}-2`;
	const edits: Record<EditKind, () => void> = {
		commitStory: () => op.commitStory(docs, ctx, activeSprint, story, prng.uint32(gen, 1, 8)),
		'editStory title': () =>
			op.editStory(docs, ctx, story, { title: `Story ${prng.word(gen, 4, 9)}` }),
		'editStory duration': () =>
			op.editStory(docs, ctx, story, { duration: prng.bool(gen) ? 'finite' : 'recurring' }),
		setEstimate: () => op.setEstimate(docs, ctx, story, team, prng.uint32(gen, 1, 13)),
		setSwarming: () =>
			op.setSwarming(docs, ctx, wp, prng.oneOf(gen, board.personIds), prng.bool(gen)),
		setSeverity: () =>
			op.setSeverity(docs, ctx, wp, prng.oneOf(gen, ['SEV1', 'SEV2', 'SEV3'] as const)),
		moveTask: () => {
			const task = prng.oneOf(gen, board.taskIds.get(team)!);
			op.moveTask(docs, ctx, team, task, prng.oneOf(gen, ['todo', 'doing', 'done'] as const));
		},
		'updateTeam velocity': () =>
			op.updateTeam(docs, ctx, team, { velocity: prng.uint32(gen, 30, 50) }),
		moveStory: () => op.moveStory(docs, ctx, story, prng.uint32(gen, 0, board.storyIds.length)),
		reopenWorkPackage: () => op.reopenWorkPackage(docs, ctx, wp)
	};
	const kind = prng.oneOf(gen, [...kinds]);
	return [kind, edits[kind]];
}
