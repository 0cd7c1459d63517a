/**
 * The live retrospective of a team (docs/schema.md D19), in the team's own document: its members
 * write it, everyone else watches. A phase move names the retrospective and the phase it moves
 * from, and writes every phase field together, so two facilitators pressing "next" at once move
 * it once, and of two different moves one wins whole on every replica. Cards are written into the
 * author's personal document while the team writes (retro-cards.ts moves them at the end);
 * actions are board items that become a story, an impediment or a template change request.
 */
import type * as Y from 'yjs';
import { ScrumOpsError, parseInput } from '../../domain/errors';
import {
	DEFAULT_DISCUSS_MINUTES,
	LiveRetro,
	PHASE_ALLOWS,
	RETRO_PHASE_LABELS,
	RetroCard,
	VOTES_PER_PERSON,
	groupHeads,
	nextPhase,
	productOwnerOfSprint,
	retroGroups,
	type RetroActionKind,
	type RetroCardKind,
	type RetroPhase
} from '../../domain/retrospective';
import type { RetroItem } from '../../domain/schema';
import { viewHref } from '../../client/board-links';
import type { BoardDocs } from '../board-docs';
import { RETRO_CARDS_KEY, RETRO_KEY, RETRO_VOTES_KEY } from '../layout';
import { cardToYMap, readCards, readLiveRetro, readVotes, revealCards } from '../retro-cards';
import { createStory } from './backlog';
import { addRetroItem, raiseImpediment } from './ceremonies';
import { requestTemplateChange } from './change-requests';
import { readStored, transact, type OpContext } from './context';

/** The team's retrospective as stored, or null. */
export function readRetro(docs: BoardDocs, teamId: string): LiveRetro | null {
	return readLiveRetro(docs.team(teamId), teamId);
}

/** The link of a team's retrospective view. */
export function retroHref(boardId: string, teamId: string): string {
	return viewHref(boardId, 'retro', { team: teamId });
}

function running(docs: BoardDocs, teamId: string, retroId: string): LiveRetro {
	const retro = readRetro(docs, teamId);
	if (!retro || retro.id !== retroId) {
		throw new ScrumOpsError('This retrospective is over; reload to see the current one.');
	}
	return retro;
}

function requirePhase(retro: LiveRetro, allowed: (phase: RetroPhase) => boolean, what: string) {
	if (!allowed(retro.phase)) {
		throw new ScrumOpsError(
			`${what} is not possible while the retrospective is in its ${RETRO_PHASE_LABELS[retro.phase]} phase.`
		);
	}
}

/** Writes every field of `next`, so of two concurrent moves one wins on every key. */
function writeRetro(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	intent: string,
	next: LiveRetro
) {
	const doc = docs.team(teamId);
	transact(doc, ctx, intent, () => {
		const map = doc.getMap<unknown>(RETRO_KEY);
		for (const [field, value] of Object.entries(next)) map.set(field, value);
	});
}

/**
 * Starts a retrospective of the team for `sprintId`, in the write phase. It opens with the
 * previous one's actions; cards of retrospectives before the previous one are cleared from the
 * team document, so it stays small.
 */
export function startRetro(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	input: { sprintId: string; facilitatorId: string }
): LiveRetro {
	if (!docs.collection('sprints').has(input.sprintId)) {
		throw new ScrumOpsError('A retrospective looks back on a sprint: plan one for the team first.');
	}
	const previous = readRetro(docs, teamId);
	if (previous && previous.phase !== 'ended') {
		throw new ScrumOpsError('A retrospective is under way: end it before starting another.');
	}
	const now = ctx.now();
	const retro = parseInput(
		LiveRetro,
		{
			id: ctx.newId(),
			teamId,
			sprintId: input.sprintId,
			facilitatorId: input.facilitatorId,
			phase: 'write',
			startedAt: now,
			phaseStartedAt: now,
			previousId: previous?.id ?? null,
			discussIndex: 0,
			discussEndsAt: null
		},
		'retrospective'
	);
	const doc = docs.team(teamId);
	transact(doc, ctx, 'startRetro', () => {
		const cards = doc.getMap<unknown>(RETRO_CARDS_KEY);
		for (const card of readCards(doc)) if (card.retroId !== previous?.id) cards.delete(card.id);
		writeRetro(docs, ctx, teamId, 'startRetro', retro);
	});
	return retro;
}

/**
 * Moves the retrospective from `from` to the next phase; nothing happens when it has moved on
 * already (someone else pressed first). Leaving the write phase also reveals this person's own
 * hidden cards; the server reveals everyone else's.
 */
export function advanceRetro(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	move: { retroId: string; from: RetroPhase },
	personal?: Y.Doc
): LiveRetro | null {
	const retro = running(docs, teamId, move.retroId);
	if (retro.phase !== move.from || retro.phase === 'ended') return null;
	const next: LiveRetro = {
		...retro,
		phase: nextPhase(retro.phase),
		phaseStartedAt: ctx.now(),
		discussIndex: 0,
		discussEndsAt: null
	};
	writeRetro(docs, ctx, teamId, 'advanceRetro', next);
	if (move.from === 'write' && personal) revealOwnCards(docs, ctx, teamId, personal);
	return next;
}

/** Moves this person's hidden cards into the team document once writing is over. */
export function revealOwnCards(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	personal: Y.Doc
): number {
	const retro = readRetro(docs, teamId);
	if (!retro || retro.phase === 'write' || !ctx.actorId) return 0;
	// Not a LocalEdit: moving cards is no edit of the person's to undo.
	const origin = { kind: 'local', actorId: ctx.actorId, intent: 'revealRetroCards' };
	const reveal = { retroId: retro.id, teamId, authorId: ctx.actorId };
	return revealCards(personal, docs.team(teamId), reveal, origin);
}

/** Makes the person looking the facilitator. */
export function takeOverRetro(docs: BoardDocs, ctx: OpContext, teamId: string, retroId: string) {
	const retro = running(docs, teamId, retroId);
	if (!ctx.actorId) throw new ScrumOpsError('Join the board to run its retrospective.');
	const doc = docs.team(teamId);
	transact(doc, ctx, 'takeOverRetro', () =>
		doc.getMap(RETRO_KEY).set('facilitatorId', ctx.actorId)
	);
	return { ...retro, facilitatorId: ctx.actorId };
}

/**
 * Writes a card into the author's personal document: nobody else receives it until the write
 * phase ends.
 */
export function writeCard(
	docs: BoardDocs,
	ctx: OpContext,
	personal: Y.Doc,
	teamId: string,
	input: { retroId: string; kind: RetroCardKind; text: string }
): RetroCard {
	const retro = running(docs, teamId, input.retroId);
	requirePhase(retro, PHASE_ALLOWS.write, 'Writing a card');
	if (!ctx.actorId) throw new ScrumOpsError('Join the board to write cards.');
	const card = parseInput(
		RetroCard,
		{
			id: ctx.newId(),
			retroId: retro.id,
			teamId,
			authorId: ctx.actorId,
			kind: input.kind,
			text: input.text,
			groupId: null,
			createdAt: ctx.now()
		},
		'card'
	);
	transact(personal, ctx, 'writeRetroCard', () =>
		personal.getMap<unknown>(RETRO_CARDS_KEY).set(card.id, cardToYMap(card))
	);
	return card;
}

/** Takes back one of this person's cards while the team still writes. */
export function withdrawCard(ctx: OpContext, personal: Y.Doc, cardId: string): void {
	transact(personal, ctx, 'withdrawRetroCard', () =>
		personal.getMap<unknown>(RETRO_CARDS_KEY).delete(cardId)
	);
}

/**
 * Groups a card with another (drops `cardId` onto `ontoId`); `ontoId` null takes it out of its
 * group. The cards that were grouped under it come along.
 */
export function groupCard(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	input: { retroId: string; cardId: string; ontoId: string | null }
): void {
	const retro = running(docs, teamId, input.retroId);
	requirePhase(retro, PHASE_ALLOWS.group, 'Grouping cards');
	const doc = docs.team(teamId);
	const cards = readCards(doc).filter((card) => card.retroId === retro.id);
	const ids = new Set(cards.map((card) => card.id));
	if (!ids.has(input.cardId)) throw new ScrumOpsError('That card is not on this retrospective.');
	let groupId: string | null = null;
	if (input.ontoId !== null) {
		if (!ids.has(input.ontoId)) throw new ScrumOpsError('That card is not on this retrospective.');
		const heads = groupHeads(cards);
		groupId = heads.get(input.ontoId)!;
		if (groupId === heads.get(input.cardId)) {
			throw new ScrumOpsError('These cards are in one group already.');
		}
	}
	transact(doc, ctx, 'groupRetroCard', () => {
		const map = doc.getMap<unknown>(RETRO_CARDS_KEY).get(input.cardId) as Y.Map<unknown>;
		map.set('groupId', groupId);
	});
}

/** Gives one of this person's votes to a group (its first card's id). */
export function castVote(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	input: { retroId: string; groupId: string }
): void {
	const retro = running(docs, teamId, input.retroId);
	requirePhase(retro, PHASE_ALLOWS.vote, 'Voting');
	if (!ctx.actorId) throw new ScrumOpsError('Join the board to vote.');
	const doc = docs.team(teamId);
	const groups = retroGroups(retro.id, readCards(doc), readVotes(doc));
	if (!groups.some((group) => group.id === input.groupId)) {
		throw new ScrumOpsError('That group is not on this retrospective.');
	}
	const mine = readVotes(doc).get(ctx.actorId);
	const used = mine?.retroId === retro.id ? mine.cardIds : [];
	if (used.length >= VOTES_PER_PERSON) {
		throw new ScrumOpsError(
			`You have used your ${VOTES_PER_PERSON} votes: take one back to vote for this.`
		);
	}
	transact(doc, ctx, 'castRetroVote', () =>
		doc
			.getMap<unknown>(RETRO_VOTES_KEY)
			.set(ctx.actorId!, { retroId: retro.id, cardIds: [...used, input.groupId] })
	);
}

/** Takes back one of this person's votes for a group. */
export function retractVote(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	input: { retroId: string; groupId: string }
): void {
	const retro = running(docs, teamId, input.retroId);
	requirePhase(retro, PHASE_ALLOWS.vote, 'Taking back a vote');
	if (!ctx.actorId) return;
	const doc = docs.team(teamId);
	const mine = readVotes(doc).get(ctx.actorId);
	if (!mine || mine.retroId !== retro.id) return;
	const at = mine.cardIds.indexOf(input.groupId);
	if (at < 0) return;
	const cardIds = mine.cardIds.filter((_, i) => i !== at);
	transact(doc, ctx, 'retractRetroVote', () =>
		doc.getMap<unknown>(RETRO_VOTES_KEY).set(ctx.actorId!, { retroId: retro.id, cardIds })
	);
}

/**
 * Moves the discussion from group `from` to group `to` of the discussion order and stops the
 * timer; nothing happens when someone moved it already.
 */
export function discussTopic(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	move: { retroId: string; from: number; to: number }
): void {
	const retro = running(docs, teamId, move.retroId);
	requirePhase(retro, (phase) => phase === 'discuss', 'Choosing a topic');
	if (retro.discussIndex !== move.from) return;
	writeRetro(docs, ctx, teamId, 'discussRetroTopic', {
		...retro,
		discussIndex: Math.max(0, move.to),
		discussEndsAt: null
	});
}

/** Starts the shared discussion timer: it runs out `minutes` from now on the shared clock. */
export function startDiscussTimer(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	input: { retroId: string; minutes?: number }
): void {
	const retro = running(docs, teamId, input.retroId);
	requirePhase(retro, (phase) => phase === 'discuss', 'The timer');
	const minutes = input.minutes ?? DEFAULT_DISCUSS_MINUTES;
	if (!Number.isFinite(minutes) || minutes < 1 || minutes > 60) {
		throw new ScrumOpsError(`A discussion lasts 1 to 60 minutes, not ${minutes}.`);
	}
	const endsAt = new Date(Date.parse(ctx.now()) + minutes * 60_000).toISOString();
	const doc = docs.team(teamId);
	transact(doc, ctx, 'startRetroTimer', () => doc.getMap(RETRO_KEY).set('discussEndsAt', endsAt));
}

export interface ActionInput {
	retroId: string;
	text: string;
	becomes: RetroActionKind;
	/** The template a change request is for (`becomes: 'changeRequest'`). */
	templateId?: string | null;
}

/**
 * Records what the team decided and turns it into a backlog story, an impediment of the team or
 * a change request on a template, which links back to the retrospective; the action links to
 * what it became. One transaction of the board document.
 */
export function recordAction(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	input: ActionInput
): RetroItem {
	const retro = running(docs, teamId, input.retroId);
	requirePhase(retro, PHASE_ALLOWS.actions, 'Recording an action');
	const text = input.text.trim();
	if (text.length === 0) throw new ScrumOpsError('Say what the team will do: the action is empty.');
	if (text.length > 1000) {
		throw new ScrumOpsError(`An action holds at most 1000 characters, not ${text.length}.`);
	}
	if (input.becomes === 'changeRequest' && !input.templateId) {
		throw new ScrumOpsError('Choose the template the change is for.');
	}
	const back = `the retrospective of ${sprintName(docs, retro.sprintId)}, ${retroHref(docs.boardId, teamId)}`;
	const title = text.length > 200 ? `${text.slice(0, 199)}…` : text;
	return transact(docs.board, ctx, 'recordRetroAction', () => {
		const id = ctx.newId();
		const links: Partial<RetroItem> = {};
		if (input.becomes === 'story') {
			const owner = teamProductOwner(docs, retro.sprintId);
			links.storyId = createStory(docs, ctx, {
				title,
				productOwnerIds: owner ? [owner] : [],
				iWant: text,
				soThat: `we improve how we work: an action of ${back}`,
				teamIds: [teamId]
			}).id;
		} else if (input.becomes === 'impediment') {
			links.impedimentId = raiseImpediment(docs, ctx, {
				teamId,
				sprintId: retro.sprintId,
				title,
				description: `${text}\n\nAn action of ${back}`
			}).id;
		} else {
			links.templateId = input.templateId!;
			links.changeRequestId = requestTemplateChange(docs, ctx, input.templateId!, {
				text,
				sourceKind: 'retrospective',
				sourceId: retro.id,
				sourceItemId: id
			}).id;
		}
		return addRetroItem(
			docs,
			{ ...ctx, newId: () => id },
			{
				teamId,
				sprintId: retro.sprintId,
				kind: 'action',
				text,
				retroId: retro.id,
				createdAt: ctx.now(),
				...links
			}
		);
	});
}

function teamProductOwner(docs: BoardDocs, sprintId: string): string | null {
	const stories = docs.collection('stories');
	const owners = (storyId: string) => {
		if (!stories.has(storyId)) return undefined;
		try {
			return readStored(stories, 'stories', storyId).productOwnerIds;
		} catch {
			return undefined;
		}
	};
	try {
		return productOwnerOfSprint(
			readStored(docs.collection('sprints'), 'sprints', sprintId),
			owners
		);
	} catch {
		return null;
	}
}

function sprintName(docs: BoardDocs, sprintId: string): string {
	const name = docs.collection('sprints').get(sprintId)?.get('name');
	return typeof name === 'string' ? `"${name}"` : 'the sprint';
}
