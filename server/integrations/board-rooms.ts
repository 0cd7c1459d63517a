/**
 * A board opened server-side with every team document loaded: for writes that may reach the
 * tasks of any team (a template's tasks, completing a work package with its open tasks).
 */
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName, META_KEY } from '../../src/lib/sync/layout';
import { noBoard } from '../auth/api';
import type { RoomRegistry } from '../relay/registry';
import type { Room } from '../relay/room';

/**
 * Runs `work` on board `boardId` once its documents are loaded, then waits until what it wrote
 * is stored. Refuses (404) a board that does not exist.
 */
export async function withLoadedBoard<T>(
	registry: RoomRegistry,
	boardId: string,
	work: (docs: BoardDocs) => Promise<T> | T
): Promise<T> {
	const board = registry.acquire(documentName.board(boardId));
	const releases = [board.hold()];
	const rooms: Room[] = [board];
	try {
		await board.loaded;
		if (board.doc.getMap(META_KEY).size === 0) throw noBoard(boardId);
		const teams = new Map<string, Room>();
		const open = (teamId: string) => {
			let room = teams.get(teamId);
			if (!room) {
				room = registry.acquire(documentName.team(boardId, teamId));
				releases.push(room.hold());
				rooms.push(room);
				teams.set(teamId, room);
			}
			return room;
		};
		const docs = new BoardDocs(boardId, board.doc, (teamId) => open(teamId).doc);
		for (const teamId of docs.collection('teams').keys()) open(teamId);
		await Promise.all([...teams.values()].map((room) => room.loaded));
		const result = await work(docs);
		await Promise.all(rooms.map((room) => room.flush()));
		return result;
	} finally {
		for (const release of releases) release();
	}
}
