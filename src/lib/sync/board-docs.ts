/**
 * The set of Yjs documents that make up one board: the board document and one tasks document per
 * team. Team documents are created on demand, so a provider layer can connect each as it appears.
 */
import * as Y from 'yjs';
import { AUTHORSHIP_KEY, META_KEY, type BoardCollection, type TeamCollection } from './layout';

export class BoardDocs {
	readonly boardId: string;
	readonly board: Y.Doc;
	readonly #teams = new Map<string, Y.Doc>();
	readonly #listeners = new Set<(teamId: string, doc: Y.Doc) => void>();

	readonly #openTeam: (teamId: string) => Y.Doc;

	/**
	 * @param board the board document (a fresh one by default)
	 * @param openTeam gives the document of a team the first time it is needed; the server passes
	 *   its loaded rooms, a client its provider-backed documents.
	 */
	constructor(
		boardId: string,
		board: Y.Doc = new Y.Doc(),
		openTeam: (teamId: string) => Y.Doc = () => new Y.Doc()
	) {
		this.boardId = boardId;
		this.board = board;
		this.#openTeam = openTeam;
	}

	/** The board settings map. */
	meta(): Y.Map<unknown> {
		return this.board.getMap(META_KEY);
	}

	/**
	 * The server-owned record of role-guarded changes: authorship key → plain JSON object. Read
	 * it, never write it from a client (docs/schema.md, D12).
	 */
	authorship(): Y.Map<unknown> {
		return this.board.getMap(AUTHORSHIP_KEY);
	}

	/** A collection of the board document: entity id → entity Y.Map. */
	collection(name: BoardCollection): Y.Map<Y.Map<unknown>> {
		return this.board.getMap(name);
	}

	/** The team's tasks document, created (empty) the first time it is asked for. */
	team(teamId: string): Y.Doc {
		let doc = this.#teams.get(teamId);
		if (!doc) {
			doc = this.#openTeam(teamId);
			this.#teams.set(teamId, doc);
			for (const listener of this.#listeners) listener(teamId, doc);
		}
		return doc;
	}

	/** A collection of a team document. */
	teamCollection(teamId: string, name: TeamCollection): Y.Map<Y.Map<unknown>> {
		return this.team(teamId).getMap(name);
	}

	/** Team documents known so far, by team id. */
	teams(): ReadonlyMap<string, Y.Doc> {
		return this.#teams;
	}

	/** Calls `listener` for every team document, now and whenever a new one is created. */
	onTeamDoc(listener: (teamId: string, doc: Y.Doc) => void): () => void {
		this.#listeners.add(listener);
		for (const [teamId, doc] of this.#teams) listener(teamId, doc);
		return () => this.#listeners.delete(listener);
	}

	/** Creates the document of every team listed in the board document. */
	openTeamDocs(): void {
		for (const teamId of [...this.collection('teams').keys()].sort()) this.team(teamId);
	}

	destroy(): void {
		this.board.destroy();
		for (const doc of this.#teams.values()) doc.destroy();
		this.#teams.clear();
		this.#listeners.clear();
	}
}
