/**
 * Several replicas of one board and a simulated network between them that delivers updates in a
 * seeded random order, duplicating some and holding others back, like y-websocket peers behind a
 * flaky connection. Nothing is mocked: these are real Y.Docs exchanging real updates.
 */
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName, type TransactionOrigin } from '../../src/lib/sync/layout';
import { BoardProjection } from '../../src/lib/sync/projection';
import { fixedContext } from './op-context';

const REMOTE: TransactionOrigin = { kind: 'remote', actorId: null, intent: 'sync' };

interface Message {
	to: number;
	teamId: string | null;
	update: Uint8Array;
}

export class Replica {
	readonly docs: BoardDocs;
	readonly projection: BoardProjection;
	readonly ctx: ReturnType<typeof fixedContext>;

	constructor(
		readonly index: number,
		boardId: string,
		now: number
	) {
		this.docs = new BoardDocs(boardId);
		this.ctx = fixedContext(`r${index}`, null, now);
		this.projection = new BoardProjection(this.docs, { now });
	}

	/** Every document of this replica by name, sorted. */
	documents(): [string, Y.Doc][] {
		const docs: [string, Y.Doc][] = [[documentName.board(this.docs.boardId), this.docs.board]];
		for (const [teamId, doc] of this.docs.teams()) {
			docs.push([documentName.team(this.docs.boardId, teamId), doc]);
		}
		return docs.sort(([a], [b]) => (a < b ? -1 : 1));
	}
}

export class Network {
	readonly replicas: Replica[];
	readonly gen: prng.PRNG;
	#inflight: Message[] = [];
	delivered = 0;
	duplicated = 0;

	constructor(count: number, seed: number, now = Date.parse('2026-11-23T09:00:00.000Z')) {
		this.gen = prng.create(seed);
		this.replicas = Array.from({ length: count }, (_, i) => new Replica(i, 'board', now));
		for (const replica of this.replicas) this.#wire(replica);
	}

	get pending(): number {
		return this.#inflight.length;
	}

	/** Delivers one random in-flight update; sometimes keeps it queued to deliver it twice. */
	deliverOne(): void {
		if (this.#inflight.length === 0) return;
		const i = prng.uint32(this.gen, 0, this.#inflight.length - 1);
		const message = this.#inflight[i]!;
		if (prng.bool(this.gen) && prng.uint32(this.gen, 0, 9) === 0) this.duplicated++;
		else this.#inflight.splice(i, 1);
		this.#apply(message);
	}

	/** Delivers everything still in flight, in random order, until the network is quiet. */
	flush(): void {
		while (this.#inflight.length > 0) this.deliverOne();
	}

	#apply(message: Message): void {
		const target = this.replicas[message.to]!;
		const doc = message.teamId === null ? target.docs.board : target.docs.team(message.teamId);
		Y.applyUpdate(doc, message.update, REMOTE);
		this.delivered++;
	}

	#wire(replica: Replica): void {
		const send = (teamId: string | null) => (update: Uint8Array, origin: unknown) => {
			if (origin === REMOTE) return;
			for (const other of this.replicas) {
				if (other !== replica) this.#inflight.push({ to: other.index, teamId, update });
			}
		};
		replica.docs.board.on('update', send(null));
		replica.docs.onTeamDoc((teamId, doc) => doc.on('update', send(teamId)));
	}
}

/** JSON with object keys sorted, so equal documents print equal whatever their history. */
export function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(
					Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))
				)
			: v
	);
}

/** Everything a replica's documents hold, as canonical JSON per document name. */
export function snapshot(replica: Replica): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, doc] of replica.documents()) {
		const roots: Record<string, unknown> = {};
		for (const key of [...doc.share.keys()].sort()) {
			// An empty root is no content: a replica that only read it (getMap) holds one too.
			const map = doc.getMap(key);
			if (map.size > 0) roots[key] = map.toJSON();
		}
		out[name] = canonical(roots);
	}
	return out;
}
