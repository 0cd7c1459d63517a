/**
 * A person's board in Node: the board document and every team document, each synced with the
 * server by the official y-websocket client, with the same projection the browser uses.
 */
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Finding } from '../../src/lib/domain/findings';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName, FINDINGS_KEY } from '../../src/lib/sync/layout';
import { BoardProjection } from '../../src/lib/sync/projection';
import { connectProvider, defaultAs, mintToken, synced, type As, type TestServer } from './server';

export class BoardClient {
	readonly docs: BoardDocs;
	readonly providers: WebsocketProvider[] = [];
	readonly projection: BoardProjection;

	private constructor(syncUrl: string, boardId: string, token: string) {
		const board = connectProvider(syncUrl, documentName.board(boardId), undefined, token);
		this.providers.push(board);
		this.docs = new BoardDocs(boardId, board.doc, (teamId) => {
			const name = documentName.team(boardId, teamId);
			const team = connectProvider(syncUrl, name, new Y.Doc(), token);
			this.providers.push(team);
			return team.doc;
		});
		this.projection = new BoardProjection(this.docs, { now: Date.now() });
	}

	/**
	 * Opens a board as a person (default: the test server's admin tester). Their token lists
	 * `teams`; team documents of other teams are open to them read-only.
	 */
	static async open(server: TestServer, boardId: string, as: As = {}): Promise<BoardClient> {
		const token = await mintToken(server.tokens, boardId, defaultAs(boardId, as).as);
		return new BoardClient(server.syncUrl, boardId, token);
	}

	/** Opens a board with a token the server issued (e.g. on joining), on any instance. */
	static withToken(
		server: Pick<TestServer, 'syncUrl'>,
		boardId: string,
		token: string
	): BoardClient {
		return new BoardClient(server.syncUrl, boardId, token);
	}

	/** Waits until every document has synced, including team documents the board revealed. */
	async synced(): Promise<void> {
		for (;;) {
			const pending = this.providers.filter((provider) => !provider.synced);
			if (pending.length === 0) return;
			await Promise.all(pending.map(synced));
		}
	}

	/** What the server published into the board document. */
	publishedFindings(): Finding[] {
		return (this.docs.board.getMap(FINDINGS_KEY).get('list') as Finding[] | undefined) ?? [];
	}

	destroy(): void {
		this.projection.destroy();
		for (const provider of this.providers) provider.destroy();
	}
}
