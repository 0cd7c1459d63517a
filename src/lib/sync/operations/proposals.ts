/**
 * Proposals: who does not decide for a story (docs/domain.md, A1) proposes a move or a review
 * outcome to whoever does. One proposal per person and story, kept on the story under the
 * proposer's id; the Product Owner acts on it or dismisses it.
 */
import * as Y from 'yjs';
import { parseInput, ScrumOpsError } from '../../domain/errors';
import { Id, Proposal, type ProposalKind } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { setMembership } from '../codec';
import { readStored, storedMap, transact, type OpContext } from './context';

/** Proposes `kind` for a story; replaces what the same person proposed on it before. */
export function proposeChange(
	docs: BoardDocs,
	ctx: OpContext,
	storyId: string,
	input: { kind: ProposalKind; sprintId?: string | null; note?: string }
): Proposal {
	const actorId = ctx.actorId;
	if (actorId === null) throw new ScrumOpsError('A proposal needs someone who makes it.');
	const review = input.kind === 'accept' || input.kind === 'reject';
	const sprintId = input.sprintId ?? null;
	if (review && sprintId === null) {
		throw new ScrumOpsError('Say which sprint’s review the proposal is about.');
	}
	const proposal = parseInput(
		Proposal,
		{
			kind: input.kind,
			sprintId: review ? sprintId : null,
			note: input.note?.trim() ?? '',
			at: ctx.now()
		},
		'proposal'
	);
	const story = readStored(docs.collection('stories'), 'stories', storyId);
	if (review) {
		const sprint = readStored(docs.collection('sprints'), 'sprints', sprintId!);
		if (!(storyId in sprint.commitments) && !(storyId in sprint.reserved)) {
			throw new ScrumOpsError(`"${story.title}" is not planned in sprint "${sprint.name}".`);
		}
	}
	transact(docs.board, ctx, 'proposeChange', () =>
		setMembership(
			storedMap(docs.collection('stories'), 'stories', storyId),
			'proposals',
			actorId,
			true,
			proposal
		)
	);
	return proposal;
}

/** Withdraws `proposerId`'s proposal on a story: the proposer's own, or the Product Owner's dismissal. */
export function dropProposal(
	docs: BoardDocs,
	ctx: OpContext,
	storyId: string,
	proposerId: string
): void {
	parseInput(Id, proposerId, 'proposer id');
	transact(docs.board, ctx, 'dropProposal', () =>
		setMembership(
			storedMap(docs.collection('stories'), 'stories', storyId),
			'proposals',
			proposerId,
			false
		)
	);
}

/**
 * Drops the proposals a decision settles, inside the decision's transaction: a move settles the
 * proposed moves, a review in a sprint the proposed outcomes of that sprint's review.
 */
export function settleProposals(
	docs: BoardDocs,
	storyId: string,
	settled: (proposal: Proposal) => boolean
): void {
	const proposals = docs.collection('stories').get(storyId)?.get('proposals');
	if (!(proposals instanceof Y.Map)) return;
	for (const [proposerId, value] of [...proposals.entries()]) {
		const parsed = Proposal.safeParse(value);
		if (parsed.success && settled(parsed.data)) proposals.delete(proposerId);
	}
}
