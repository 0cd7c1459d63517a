/**
 * Proposals as people read them. Whoever does not decide for a story (docs/domain.md, A1)
 * proposes a move or a review outcome; its Product Owner sees who proposed what.
 */
import type { Proposal } from './schema';

/** What a proposal asks for: "moving it higher", "accepting it at the review of Sprint 3". */
export function proposalWords(proposal: Proposal, sprintName?: string): string {
	const review = sprintName ? ` at the review of ${sprintName}` : ' at the review';
	switch (proposal.kind) {
		case 'higher':
			return 'moving it higher';
		case 'lower':
			return 'moving it lower';
		case 'accept':
			return `accepting it${review}`;
		case 'reject':
			return `rejecting it${review}`;
	}
}

/** The proposals on a story, oldest first, each with its proposer's id. */
export function proposalsOf(story: {
	readonly proposals: Readonly<Record<string, Proposal>>;
}): { proposerId: string; proposal: Proposal }[] {
	return Object.entries(story.proposals)
		.map(([proposerId, proposal]) => ({ proposerId, proposal }))
		.sort(
			(a, b) =>
				Date.parse(a.proposal.at) - Date.parse(b.proposal.at) ||
				(a.proposerId < b.proposerId ? -1 : 1)
		);
}
