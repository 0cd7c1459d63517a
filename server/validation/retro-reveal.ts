/**
 * Reveals retrospective cards (docs/schema.md D19): while a team writes, each card lives in its
 * author's personal document, which the relay sends to that person's connections alone. Once the
 * phase moves past writing, the server moves every member's cards of that retrospective into the
 * team document, so the cards of someone who is offline at that moment are not held back; and a
 * card that reaches the server later (written offline during the phase) moves as soon as it
 * arrives. The author's own clients move their cards too, with the same ids: whoever is first,
 * the result is the same (retro-cards.ts, revealCards).
 */
import { readCards, readLiveRetro, revealCards } from '../../src/lib/sync/retro-cards';
import { documentName, RETRO_CARDS_KEY, RETRO_KEY } from '../../src/lib/sync/layout';
import type { Logger } from '../log';
import type { DocumentAddress } from '../relay/document-name';
import type { RoomRegistry } from '../relay/registry';
import type { Room } from '../relay/room';
import { isServerWrite, type ServerOrigin } from './origin';
import * as Y from 'yjs';

const REVEAL_ORIGIN: ServerOrigin = {
	kind: 'server-repair',
	actorId: null,
	intent: 'revealRetroCards'
};

/** Watches a team or personal document and reveals cards when their time has come. */
export function watchRetroCards(
	room: Room,
	address: DocumentAddress,
	registry: RoomRegistry,
	log: Logger
): () => void {
	let closed = false;
	let stop = () => {};
	const fail = (error: unknown) =>
		log.error('revealing retrospective cards failed', { room: room.name, error });
	const { boardId, teamId, personId } = address;
	room.loaded.then(
		() => {
			if (closed) return;
			if (teamId !== null) {
				const map = room.doc.getMap(RETRO_KEY);
				// Once per retrospective: cards that arrive later are moved as their person's
				// document receives them.
				let revealed: string | null = null;
				const check = () => {
					const retro = readLiveRetro(room.doc, teamId);
					if (!retro || retro.phase === 'write' || retro.id === revealed) return;
					revealed = retro.id;
					void revealTeam(registry, room, boardId, teamId).catch(fail);
				};
				map.observe(check);
				stop = () => map.unobserve(check);
				check();
			} else if (personId !== null) {
				const map = room.doc.getMap(RETRO_CARDS_KEY);
				const check = (_: unknown, transaction: Y.Transaction) => {
					if (isServerWrite(transaction.origin)) return;
					void revealPerson(registry, room, boardId, personId).catch(fail);
				};
				map.observe(check);
				stop = () => map.unobserve(check);
				void revealPerson(registry, room, boardId, personId).catch(fail);
			}
		},
		() => {}
	);
	return () => {
		closed = true;
		stop();
	};
}

/** Everyone who may have written cards for the team: its members and its Scrum Master. */
async function teamPeople(registry: RoomRegistry, boardId: string, teamId: string) {
	const board = registry.acquire(documentName.board(boardId));
	const release = board.hold();
	try {
		await board.loaded;
		const team = board.doc.getMap('teams').get(teamId);
		if (!(team instanceof Y.Map)) return [];
		const members = team.get('memberIds');
		const people = new Set(members instanceof Y.Map ? [...members.keys()] : []);
		const scrumMaster = team.get('scrumMasterId');
		if (typeof scrumMaster === 'string') people.add(scrumMaster);
		return [...people];
	} finally {
		release();
	}
}

/** Moves every member's cards of the team's retrospective, once it is past writing. */
async function revealTeam(registry: RoomRegistry, team: Room, boardId: string, teamId: string) {
	const retro = readLiveRetro(team.doc, teamId);
	if (!retro || retro.phase === 'write') return;
	for (const personId of await teamPeople(registry, boardId, teamId)) {
		const person = registry.acquire(documentName.person(boardId, personId));
		const release = person.hold();
		try {
			await person.loaded;
			if (team.state === 'closed' || person.state === 'closed') continue;
			revealCards(
				person.doc,
				team.doc,
				{ retroId: retro.id, teamId, authorId: personId },
				REVEAL_ORIGIN
			);
		} finally {
			release();
		}
	}
}

/** Moves a person's cards of retrospectives that are past writing (written while offline). */
async function revealPerson(
	registry: RoomRegistry,
	person: Room,
	boardId: string,
	personId: string
) {
	const teamIds = new Set(readCards(person.doc).map((card) => card.teamId));
	for (const teamId of teamIds) {
		// Only into the document of a team the person is on: the server writes no one else's.
		if (!(await teamPeople(registry, boardId, teamId)).includes(personId)) continue;
		const team = registry.acquire(documentName.team(boardId, teamId));
		const release = team.hold();
		try {
			await team.loaded;
			const retro = readLiveRetro(team.doc, teamId);
			if (!retro || retro.phase === 'write') continue;
			if (team.state === 'closed' || person.state === 'closed') continue;
			revealCards(
				person.doc,
				team.doc,
				{ retroId: retro.id, teamId, authorId: personId },
				REVEAL_ORIGIN
			);
		} finally {
			release();
		}
	}
}
