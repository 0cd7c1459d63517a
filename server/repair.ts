/**
 * The parts of a board that break its document contract: `GET /api/boards/:id/rejected` lists
 * them for any member (what the readers ignore, and what the stored documents hold that they
 * should not), and `POST /api/boards/:id/repair` lets the board's admin remove them, in the board
 * document and every team document, recorded in the audit log as the admin's repair.
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import type { RejectedReport, RepairReport } from '../src/lib/contract/http';
import {
	REPAIR_INTENT,
	REPORT_MAX_PARTS,
	type ContractBreach
} from '../src/lib/domain/board-repair';
import { documentName, META_KEY, type TransactionOrigin } from '../src/lib/sync/layout';
import {
	DEFAULT_SHAPE_LIMITS,
	type DocumentKind,
	type ShapeLimits
} from '../src/lib/sync/shape/contract';
import { inspectDocument, repairSteps } from '../src/lib/sync/shape/inspect';
import type { AccessControl } from './auth/access';
import { authenticate, boardIdOf, noBoard } from './auth/api';
import { HttpError, sendJson, type Route } from './http';
import type { Logger } from './log';
import { parseDocumentName } from './relay/document-name';
import type { RoomRegistry } from './relay/registry';
import type { Room } from './relay/room';
import type { AttributingStore } from './store/attribution';
import type { ValidationService } from './validation/board-validation';

export interface RepairOptions {
	access: AccessControl;
	registry: RoomRegistry;
	/** The store the rooms write through, so a repair's changes are audited as the admin's. */
	store: AttributingStore;
	validation: ValidationService;
	log: Logger;
	limits?: ShapeLimits;
}

/** One loaded document of a board, held open while a report or a repair reads it. */
interface HeldDocument {
	name: string;
	kind: DocumentKind;
	room: Room;
}

export function repairRoutes(options: RepairOptions): Route[] {
	const { access, validation } = options;
	const limits = options.limits ?? DEFAULT_SHAPE_LIMITS;
	// One repair of a board at a time: a second one waits, then finds what is left (nothing).
	const running = new Map<string, Promise<unknown>>();

	return [
		{
			method: 'GET',
			path: /^\/api\/boards\/([^/]+)\/rejected$/,
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				await authenticate(access, req, boardId);
				const rejected = await validation.rejectedOf(boardId);
				if (rejected === null) throw noBoard(boardId);
				const violations = await withBoardDocuments(options, boardId, async (documents) =>
					documents.flatMap(({ name, kind, room }) =>
						inspectDocument(room.doc, kind, limits).map((violation) => breach(name, violation))
					)
				);
				const report = {
					rejected: rejected.slice(0, REPORT_MAX_PARTS).map(([key, reason]) => ({ key, reason })),
					violations: (violations ?? []).slice(0, REPORT_MAX_PARTS),
					total: { rejected: rejected.length, violations: violations?.length ?? 0 }
				} satisfies z.input<typeof RejectedReport>;
				res.setHeader('cache-control', 'no-store');
				sendJson(res, 200, report);
			}
		},
		{
			method: 'POST',
			path: /^\/api\/boards\/([^/]+)\/repair$/,
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const identity = await authenticate(access, req, boardId);
				if (!identity.admin) {
					throw new HttpError(
						403,
						"Only the board's admin may repair it; ask them to.",
						'not-admin'
					);
				}
				const before = running.get(boardId) ?? Promise.resolve();
				const repair = before
					.catch(() => {})
					.then(() => repairBoard(options, limits, boardId, identity.personId));
				running.set(boardId, repair);
				let removed: ContractBreach[] | null;
				try {
					removed = await repair;
				} finally {
					if (running.get(boardId) === repair) running.delete(boardId);
				}
				if (removed === null) throw noBoard(boardId);
				const report = {
					removed: removed.slice(0, REPORT_MAX_PARTS),
					total: removed.length
				} satisfies z.input<typeof RepairReport>;
				res.setHeader('cache-control', 'no-store');
				sendJson(res, 200, report);
			}
		}
	];
}

/**
 * Removes every part of the board's documents that breaks the contract, as `adminId`'s repair;
 * returns what it removed, or null when there is no such board.
 */
async function repairBoard(
	options: RepairOptions,
	limits: ShapeLimits,
	boardId: string,
	adminId: string
): Promise<ContractBreach[] | null> {
	const origin: TransactionOrigin = {
		kind: 'server-repair',
		actorId: adminId,
		intent: REPAIR_INTENT
	};
	const removed = await withBoardDocuments(options, boardId, async (documents) => {
		const all: ContractBreach[] = [];
		for (const document of documents) {
			const violations = await repairHeld(options, document, limits, origin);
			all.push(...violations.map((violation) => breach(document.name, violation)));
		}
		return all;
	});
	if (removed !== null && removed.length > 0) {
		options.log.info('board repaired', { board: boardId, by: adminId, removed: removed.length });
	}
	return removed;
}

/**
 * Repairs one held document. Each transaction is stored and relayed before the next one runs,
 * so every connected peer applies the bottom-up slices one at a time, as Yjs needs. Then the
 * document's log is folded into a snapshot at once, so the store no longer holds the structure
 * at all (a room that loads the log before that replays the slices one transaction each).
 */
async function repairHeld(
	options: RepairOptions,
	{ name, kind, room }: HeldDocument,
	limits: ShapeLimits,
	origin: TransactionOrigin
) {
	const attribution = { author: origin.actorId ?? 'server', intent: origin.intent };
	const steps = repairSteps(room.doc, kind, limits, origin);
	const appends: Promise<number>[] = [];
	for (;;) {
		const { result: step, appends: made } = options.store.attribute(attribution, () =>
			steps.next()
		);
		appends.push(...made);
		await room.flush();
		if (room.state === 'closed') {
			throw new HttpError(
				503,
				`The board's store refused part of the repair of "${name}"; nothing is lost, so try Repair board again.`,
				'store-failed'
			);
		}
		if (step.done) {
			if (appends.length > 0) await compactAfterRepair(options, room, appends);
			return step.value;
		}
	}
}

async function compactAfterRepair(
	options: RepairOptions,
	room: Room,
	appends: Promise<number>[]
): Promise<void> {
	const throughSeq = Math.max(...(await Promise.all(appends)));
	try {
		// Every update up to throughSeq is in the document, so this snapshot covers them.
		await options.store.compact(room.name, Y.encodeStateAsUpdate(room.doc), throughSeq);
	} catch (error) {
		// The room compacted past this point meanwhile: its snapshot already holds the repair.
		if (error instanceof RangeError) return;
		options.log.warn('folding the repaired log into a snapshot failed', {
			room: room.name,
			error
		});
	}
}

/**
 * Loads and holds the board document and every team document of the board (those its teams
 * name and those stored), runs `use`, then lets them go. Null when the board has no settings.
 */
async function withBoardDocuments<T>(
	options: RepairOptions,
	boardId: string,
	use: (documents: HeldDocument[]) => Promise<T>
): Promise<T | null> {
	const releases: (() => void)[] = [];
	const hold = async (name: string, kind: DocumentKind): Promise<HeldDocument> => {
		const room = options.registry.acquire(name);
		releases.push(room.hold());
		await room.loaded;
		return { name, kind, room };
	};
	try {
		const board = await hold(documentName.board(boardId), 'board');
		if (board.room.doc.getMap(META_KEY).size === 0) return null;
		const names = new Set(await options.store.list(documentName.team(boardId, '')));
		for (const teamId of board.room.doc.getMap('teams').keys()) {
			names.add(documentName.team(boardId, teamId));
		}
		const teams: HeldDocument[] = [];
		for (const name of [...names].sort()) {
			const address = parseDocumentName(name);
			if ('error' in address || address.boardId !== boardId || address.teamId === null) continue;
			teams.push(await hold(name, 'team'));
		}
		return await use([board, ...teams]);
	} finally {
		for (const release of releases) release();
	}
}

function breach(document: string, violation: { path: string; problem: string }): ContractBreach {
	return { document, path: violation.path, problem: violation.problem };
}
