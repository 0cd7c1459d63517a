/**
 * A live retrospective, run remotely in the board: a facilitator moves the team through its
 * phases (write, group, vote, discuss, actions), one at a time, for everyone at once. While the
 * team writes, each card stays with its author; when writing ends the cards are revealed to the
 * team, grouped by dragging one onto another, voted on (a few votes each), and the top groups
 * are discussed in order with a shared timer. What the team decides becomes actions: a backlog
 * story, an impediment or a change to a work package template, and the next retrospective of the
 * team opens with them and what became of them.
 *
 * Pure rules: who may move the phase, how cards group, how votes count, the order of discussion
 * and the status of an action. The documents are written by sync/operations/retrospective.ts.
 */
import { z } from 'zod';
import {
	Id,
	Instant,
	type ChangeRequest,
	type Impediment,
	type Person,
	type RetroItem,
	type Sprint,
	type Team
} from './schema';
import { isScrumMasterOf } from './standup';

/** The phases, in the order a retrospective walks them; `ended` is after the last. */
export const RETRO_PHASES = ['write', 'group', 'vote', 'discuss', 'actions', 'ended'] as const;
export type RetroPhase = (typeof RETRO_PHASES)[number];

/** How every view names a phase. */
export const RETRO_PHASE_LABELS: Readonly<Record<RetroPhase, string>> = {
	write: 'Write',
	group: 'Group',
	vote: 'Vote',
	discuss: 'Discuss',
	actions: 'Actions',
	ended: 'Ended'
};

/** The columns people write their cards under. */
export const RETRO_CARD_KINDS = ['went-well', 'to-improve', 'idea'] as const;
export type RetroCardKind = (typeof RETRO_CARD_KINDS)[number];
export const RETRO_CARD_LABELS: Readonly<Record<RetroCardKind, string>> = {
	'went-well': 'Went well',
	'to-improve': 'To improve',
	idea: 'Ideas'
};

/** Votes each person has in one retrospective. */
export const VOTES_PER_PERSON = 3;
/** Longest card, in characters. */
export const MAX_CARD_LENGTH = 500;
/** Default length of one discussion, in minutes. */
export const DEFAULT_DISCUSS_MINUTES = 5;

/** What an action becomes, so it is followed up where the team looks anyway. */
export const RETRO_ACTION_KINDS = ['story', 'impediment', 'changeRequest'] as const;
export type RetroActionKind = (typeof RETRO_ACTION_KINDS)[number];

/** The team's retrospective as its team document holds it (root map `retrospective`). */
export const LiveRetro = z.object({
	/** One id per retrospective: cards, votes and actions name it. */
	id: Id,
	teamId: Id,
	sprintId: Id,
	facilitatorId: Id,
	phase: z.enum(RETRO_PHASES),
	startedAt: Instant,
	phaseStartedAt: Instant,
	/** The team's retrospective before this one, whose actions it opens with; null: none. */
	previousId: Id.nullable(),
	/** Which group of the discussion order is discussed now (discuss phase). */
	discussIndex: z.number().int().min(0).max(500),
	/** When the shared discussion timer runs out; null while none runs. */
	discussEndsAt: Instant.nullable()
});
export type LiveRetro = z.infer<typeof LiveRetro>;

/** One card. `groupId` names the card it was dropped onto (null: it stands alone). */
export const RetroCard = z.object({
	id: Id,
	retroId: Id,
	teamId: Id,
	authorId: Id,
	kind: z.enum(RETRO_CARD_KINDS),
	text: z
		.string()
		.trim()
		.min(1, 'write something on the card')
		.max(MAX_CARD_LENGTH, `a card holds at most ${MAX_CARD_LENGTH} characters`),
	groupId: Id.nullable(),
	createdAt: Instant
});
export type RetroCard = z.infer<typeof RetroCard>;

/** One person's votes in one retrospective: the groups (their first card's id) they voted for. */
export const RetroVotes = z.object({
	retroId: Id,
	cardIds: z.array(Id).max(VOTES_PER_PERSON, `each person has ${VOTES_PER_PERSON} votes`)
});
export type RetroVotes = z.infer<typeof RetroVotes>;

/** The index of a phase in the walk. */
export function phaseIndex(phase: RetroPhase): number {
	return RETRO_PHASES.indexOf(phase);
}

/** The phase after `phase` (`ended` stays `ended`). */
export function nextPhase(phase: RetroPhase): RetroPhase {
	return RETRO_PHASES[Math.min(phaseIndex(phase) + 1, RETRO_PHASES.length - 1)]!;
}

/** Whether cards are still hidden with their authors: only while the team writes. */
export function cardsHidden(retro: LiveRetro | null): boolean {
	return retro !== null && retro.phase === 'write';
}

/** Whether `phase` lets people add cards, group them, vote, or record actions. */
export const PHASE_ALLOWS = {
	write: (phase: RetroPhase) => phase === 'write',
	group: (phase: RetroPhase) => phase === 'group',
	vote: (phase: RetroPhase) => phase === 'vote',
	actions: (phase: RetroPhase) => phase === 'discuss' || phase === 'actions'
} as const;

/**
 * The group of every card: the id of the card at the head of its chain of `groupId`s. A card
 * whose `groupId` names a missing card heads its own group; a cycle (two people dropping two
 * cards onto each other at once) is one group headed by its smallest id, the same on every
 * replica.
 */
export function groupHeads(cards: readonly RetroCard[]): Map<string, string> {
	const byId = new Map(cards.map((card) => [card.id, card]));
	const heads = new Map<string, string>();
	for (const card of cards) {
		const seen: string[] = [];
		let current: RetroCard = card;
		let head: string | null = null;
		while (head === null) {
			const known = heads.get(current.id);
			if (known !== undefined) head = known;
			else if (seen.includes(current.id)) {
				const cycle = seen.slice(seen.indexOf(current.id));
				head = cycle.reduce((a, b) => (b < a ? b : a));
			} else {
				seen.push(current.id);
				const next = current.groupId === null ? undefined : byId.get(current.groupId);
				if (next === undefined || next.id === current.id) head = current.id;
				else current = next;
			}
		}
		for (const id of seen) heads.set(id, head);
	}
	return heads;
}

export interface RetroGroup {
	/** The head card's id: what votes name. */
	id: string;
	cards: RetroCard[];
	votes: number;
}

/** Orders cards by when they were written, then id: the same on every replica. */
function byCreation(a: RetroCard, b: RetroCard): number {
	if (a.createdAt !== b.createdAt) return Date.parse(a.createdAt) - Date.parse(b.createdAt);
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Every person's votes that count: at most VOTES_PER_PERSON each, of this retrospective, for
 * groups that exist (a vote for a card that joined a group counts for the group).
 */
export function countVotes(
	retroId: string,
	cards: readonly RetroCard[],
	votes: ReadonlyMap<string, RetroVotes>
): Map<string, number> {
	const heads = groupHeads(cards);
	const counts = new Map<string, number>();
	for (const ballot of votes.values()) {
		if (ballot.retroId !== retroId) continue;
		for (const cardId of ballot.cardIds.slice(0, VOTES_PER_PERSON)) {
			const head = heads.get(cardId);
			if (head !== undefined) counts.set(head, (counts.get(head) ?? 0) + 1);
		}
	}
	return counts;
}

/**
 * The groups of a retrospective's cards, in discussion order: most votes first, then the group
 * whose first card was written first.
 */
export function retroGroups(
	retroId: string,
	cards: readonly RetroCard[],
	votes: ReadonlyMap<string, RetroVotes>
): RetroGroup[] {
	const own = cards.filter((card) => card.retroId === retroId).sort(byCreation);
	const heads = groupHeads(own);
	const counts = countVotes(retroId, own, votes);
	const groups = new Map<string, RetroGroup>();
	for (const card of own) {
		const head = heads.get(card.id)!;
		let group = groups.get(head);
		if (!group) groups.set(head, (group = { id: head, cards: [], votes: counts.get(head) ?? 0 }));
		group.cards.push(card);
	}
	return [...groups.values()].sort(
		(a, b) => b.votes - a.votes || byCreation(a.cards[0]!, b.cards[0]!)
	);
}

/** The votes a person has left in a retrospective. */
export function votesLeft(retroId: string, ballot: RetroVotes | undefined): number {
	const used = ballot && ballot.retroId === retroId ? ballot.cardIds.length : 0;
	return Math.max(0, VOTES_PER_PERSON - used);
}

/** Who is asking, and what the screen knows about them and the team. */
export interface RetroViewer {
	selfId: string;
	team: Team;
	person: (id: string) => Person | undefined;
	/** Everyone on the board now (presence), this person included. */
	presentIds: ReadonlySet<string>;
	/** May write the team's document (a member, not read-only). */
	canWriteTeam: boolean;
}

export interface RetroPermissions {
	/** Start a new retrospective (none runs). */
	start: boolean;
	/** Move the phase, run the timer, choose the topic. */
	facilitate: boolean;
	/** Become the facilitator: the Scrum Master, or anyone when the facilitator is not here. */
	takeOver: boolean;
	/** Take part: write, group, vote and record actions. */
	takePart: boolean;
}

/** Whether a retrospective is under way (started and not ended). */
export function isRunning(retro: LiveRetro | null): retro is LiveRetro {
	return retro !== null && retro.phase !== 'ended';
}

/**
 * What the viewer may do: the team's Scrum Master facilitates, and anyone on the team does when
 * no Scrum Master is here; a facilitator who left may be replaced by anyone on the team.
 */
export function retroPermissions(retro: LiveRetro | null, viewer: RetroViewer): RetroPermissions {
	const { selfId, team } = viewer;
	const member = viewer.canWriteTeam && team.memberIds.includes(selfId);
	const none = { start: false, facilitate: false, takeOver: false, takePart: false };
	if (!member) return none;
	const isSm = isScrumMasterOf(team, viewer.person(selfId), selfId);
	if (!isRunning(retro)) {
		const smPresent = [...viewer.presentIds].some((id) =>
			isScrumMasterOf(team, viewer.person(id), id)
		);
		return { ...none, start: isSm || !smPresent };
	}
	const facilitate = retro.facilitatorId === selfId;
	const takeOver = !facilitate && (isSm || !viewer.presentIds.has(retro.facilitatorId));
	return { start: false, facilitate, takeOver, takePart: true };
}

/** The sprint a team's retrospective looks back on: the active one, else the last closed one. */
export function retroSprintOf(teamId: string, sprints: Iterable<Sprint>): Sprint | null {
	const own = [...sprints].filter((s) => s.teamId === teamId);
	const active = own.find((s) => s.state === 'active');
	if (active) return active;
	const closed = own.filter((s) => s.state === 'closed').sort((a, b) => (a.end < b.end ? 1 : -1));
	return closed[0] ?? own.sort((a, b) => (a.start < b.start ? 1 : -1))[0] ?? null;
}

/** What became of an action, as the next retrospective shows it. */
export type ActionStatus =
	| 'story-open'
	| 'story-accepted'
	| 'impediment-open'
	| 'impediment-resolved'
	| 'change-open'
	| 'change-applied'
	| 'change-declined'
	| 'not-followed';

export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, string>> = {
	'story-open': 'Story open',
	'story-accepted': 'Story accepted',
	'impediment-open': 'Impediment open',
	'impediment-resolved': 'Impediment resolved',
	'change-open': 'Change requested',
	'change-applied': 'Change applied',
	'change-declined': 'Change declined',
	'not-followed': 'Not followed up'
};

/** What the board holds about an action's story, impediment or change request. */
export interface ActionLookup {
	storyAccepted: (storyId: string) => boolean | undefined;
	impediment: (impedimentId: string) => Impediment | undefined;
	changeRequest: (templateId: string, requestId: string) => ChangeRequest | undefined;
}

/** The status of one action: what its story, impediment or change request says now. */
export function actionStatus(action: RetroItem, lookup: ActionLookup): ActionStatus {
	if (action.storyId) {
		return lookup.storyAccepted(action.storyId) ? 'story-accepted' : 'story-open';
	}
	if (action.impedimentId) {
		const impediment = lookup.impediment(action.impedimentId);
		if (impediment)
			return impediment.status === 'resolved' ? 'impediment-resolved' : 'impediment-open';
	}
	if (action.templateId && action.changeRequestId) {
		const request = lookup.changeRequest(action.templateId, action.changeRequestId);
		if (request) return `change-${request.status}`;
	}
	return 'not-followed';
}

/** Whether a story was accepted at some sprint's review. */
export function storyAccepted(storyId: string, sprints: Iterable<Sprint>): boolean {
	for (const sprint of sprints) if (sprint.reviews[storyId]?.outcome === 'accepted') return true;
	return false;
}

/** The actions of one retrospective, in the order they were recorded. */
export function actionsOf(retroId: string, items: Iterable<RetroItem>): RetroItem[] {
	const at = (item: RetroItem) => (item.createdAt === null ? 0 : Date.parse(item.createdAt));
	return [...items]
		.filter((item) => item.kind === 'action' && item.retroId === retroId)
		.sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Seconds left on the discussion timer at `now` (0 when it ran out; null when none runs). */
export function discussSecondsLeft(retro: LiveRetro, now: number): number | null {
	if (retro.phase !== 'discuss' || retro.discussEndsAt === null) return null;
	return Math.max(0, Math.ceil((Date.parse(retro.discussEndsAt) - now) / 1000));
}

/**
 * Who owns a story an action becomes: the Product Owner of most of the stories the sprint
 * committed (the team's Product Owner in practice), so the action lands with someone (R3); none
 * when the sprint committed nothing with an owner.
 */
export function productOwnerOfSprint(
	sprint: Pick<Sprint, 'commitments'>,
	ownersOf: (storyId: string) => readonly string[] | undefined
): string | null {
	const counts = new Map<string, number>();
	for (const storyId of Object.keys(sprint.commitments).sort()) {
		for (const owner of ownersOf(storyId) ?? []) counts.set(owner, (counts.get(owner) ?? 0) + 1);
	}
	let best: string | null = null;
	for (const [owner, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
		if (best === null || count > counts.get(best)!) best = owner;
	}
	return best;
}
