/**
 * The people of a board, beyond joining: a member renames themselves; asks to change teams or
 * roles, which the admin or the Scrum Master of the teams it touches approves or declines
 * (src/lib/domain/membership.ts); the admin edits anyone's teams and roles directly, their own
 * included. Every Members view follows the changes live on a stream (`…/members/live`).
 */
import type http from 'node:http';
import type { z } from 'zod';
import {
	ChangeRequestBody,
	type ChangeRequest,
	type ChangeRequests,
	type Member as MemberBody,
	MemberEdit,
	type MembersChanged,
	REQUEST_DECISIONS
} from '../../src/lib/contract/http';
import { changesPlacement, mayDecide } from '../../src/lib/domain/membership';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName } from '../../src/lib/sync/layout';
import { HttpError, readJsonBody, sendJson, type Route } from '../http';
import type { RoomRegistry } from '../relay/registry';
import type { ChangeRequestRecord, Member } from '../store/members';
import type { AccessControl } from './access';
import {
	authenticate,
	boardIdOf,
	idOf,
	memberBody,
	mirrorMember,
	newId,
	parse,
	requireTeam
} from './api';
import type { Identity } from './tokens';

export interface PeopleApiOptions {
	access: AccessControl;
	registry: RoomRegistry;
	now?: () => number;
	/** How often an idle stream sends a comment, so proxies keep it open. Default 25 s. */
	heartbeatMs?: number;
}

/** The most change requests a board lists. */
const REQUESTS_LISTED = 200;

const BOARD_PATH = String.raw`\/api\/boards\/([^/]+)`;

export interface PeopleApi {
	routes: Route[];
	/** Ends every open stream (the server is stopping). */
	close(): void;
}

export function peopleApi(options: PeopleApiOptions): PeopleApi {
	const { access, registry } = options;
	const now = options.now ?? Date.now;
	const streams = new Set<http.ServerResponse>();
	const revisions = new Map<string, number>();
	const heartbeatMs = options.heartbeatMs ?? 25_000;

	const stopWatching = access.onMembersChange((boardId) => {
		const revision = (revisions.get(boardId) ?? 0) + 1;
		revisions.set(boardId, revision);
		for (const res of streams) {
			if (streamBoards.get(res) === boardId) send(res, revision);
		}
	});
	const streamBoards = new WeakMap<http.ServerResponse, string>();

	function send(res: http.ServerResponse, revision: number) {
		res.write(`data: ${JSON.stringify({ revision } satisfies MembersChanged)}\n\n`);
	}

	/** A member of the board who has not been removed, or 404. */
	async function liveMember(boardId: string, personId: string): Promise<Member> {
		const member = await access.members.member(boardId, personId);
		if (!member || member.removedAt !== null) {
			throw new HttpError(404, `"${personId}" is not a member of this board.`, 'not-found');
		}
		return member;
	}

	/** The request as the API shows it to `viewer`. */
	async function describe(
		boardId: string,
		records: ChangeRequestRecord[],
		viewer: Identity
	): Promise<z.input<typeof ChangeRequests>> {
		const [members, scrumMasters] = await Promise.all([
			access.members.members(boardId),
			scrumMastersOf(registry, boardId)
		]);
		const byId = new Map(members.map((member) => [member.personId, member]));
		return records.map((request) => {
			const member = byId.get(request.personId);
			const current = { teams: member?.teams ?? [], roles: member?.roles ?? [] };
			return {
				id: request.id,
				personId: request.personId,
				fromTeams: [...current.teams],
				fromRoles: [...current.roles],
				teams: [...request.teams],
				roles: [...request.roles],
				status: request.status,
				createdAt: new Date(request.createdAt).toISOString(),
				decidedBy: request.decidedBy,
				decidedAt: request.decidedAt === null ? null : new Date(request.decidedAt).toISOString(),
				canDecide:
					request.status === 'pending' &&
					member !== undefined &&
					member.removedAt === null &&
					mayDecide(viewer, request.personId, current, request, (team) => scrumMasters.get(team))
			} satisfies z.input<typeof ChangeRequest>;
		});
	}

	const routes: Route[] = [
		{
			// Changes a member: their own name, or (the admin) anyone's name, teams and roles.
			method: 'POST',
			path: new RegExp(`^${BOARD_PATH}\\/members\\/([^/]+)$`),
			async handle(req, res, [rawId, rawPerson]) {
				const boardId = boardIdOf(rawId);
				const editor = await authenticate(access, req, boardId);
				const personId = idOf(rawPerson, 'person');
				const edit = parse(MemberEdit, await readJsonBody(req));
				if (personId !== editor.personId && !editor.admin) {
					throw new HttpError(
						403,
						"Only the board's admin may change another member.",
						'not-admin'
					);
				}
				if ((edit.teams !== undefined || edit.roles !== undefined) && !editor.admin) {
					throw new HttpError(
						403,
						"Only the board's admin changes teams and roles directly; ask for the change instead.",
						'not-admin'
					);
				}
				await liveMember(boardId, personId);
				for (const teamId of edit.teams ?? []) await requireTeam(registry, boardId, teamId);
				const updated = (await access.updateMember(boardId, personId, edit))!;
				await mirrorMember(registry, updated);
				sendJson(res, 200, memberBody(updated) satisfies z.input<typeof MemberBody>);
			}
		},
		{
			method: 'POST',
			path: new RegExp(`^${BOARD_PATH}\\/requests$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const asker = await authenticate(access, req, boardId);
				const wanted = parse(ChangeRequestBody, await readJsonBody(req));
				const member = await liveMember(boardId, asker.personId);
				if (!changesPlacement(member, wanted)) {
					throw new HttpError(
						400,
						'You already have these teams and roles; choose what should change.',
						'bad-request'
					);
				}
				for (const teamId of wanted.teams) await requireTeam(registry, boardId, teamId);
				// A new request replaces the asker's pending one.
				const at = now();
				for (const open of await access.members.requests(boardId, REQUESTS_LISTED)) {
					if (open.personId === asker.personId && open.status === 'pending') {
						await access.members.decideRequest(boardId, open.id, 'withdrawn', asker.personId, at);
					}
				}
				const id = newId();
				await access.members.putRequest({
					boardId,
					id,
					personId: asker.personId,
					teams: wanted.teams,
					roles: wanted.roles,
					createdAt: at
				});
				access.membersChanged(boardId);
				const [made] = await describe(
					boardId,
					[(await access.members.request(boardId, id))!],
					asker
				);
				sendJson(res, 201, made);
			}
		},
		{
			method: 'GET',
			path: new RegExp(`^${BOARD_PATH}\\/requests$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const viewer = await authenticate(access, req, boardId);
				const records = await access.members.requests(boardId, REQUESTS_LISTED);
				res.setHeader('cache-control', 'no-store');
				sendJson(res, 200, await describe(boardId, records, viewer));
			}
		},
		{
			method: 'POST',
			path: new RegExp(`^${BOARD_PATH}\\/requests\\/([^/]+)\\/(${REQUEST_DECISIONS.join('|')})$`),
			async handle(req, res, [rawId, rawRequest, decision]) {
				const boardId = boardIdOf(rawId);
				const decider = await authenticate(access, req, boardId);
				const requestId = idOf(rawRequest, 'request');
				const request = await access.members.request(boardId, requestId);
				if (!request) {
					throw new HttpError(
						404,
						`There is no request "${requestId}" on this board.`,
						'not-found'
					);
				}
				if (request.status !== 'pending') {
					throw new HttpError(
						409,
						`This request was ${request.status} already; reload the members to see it.`,
						'request-settled'
					);
				}
				if (decision === 'withdraw') {
					if (request.personId !== decider.personId) {
						throw new HttpError(403, 'Only who asked may withdraw a request.', 'not-approver');
					}
				} else {
					const member = await liveMember(boardId, request.personId);
					const scrumMasters = await scrumMastersOf(registry, boardId);
					if (!mayDecide(decider, request.personId, member, request, (t) => scrumMasters.get(t))) {
						throw new HttpError(
							403,
							"Only the board's admin, or the Scrum Master of every team this request touches, may decide it.",
							'not-approver'
						);
					}
					if (decision === 'approve') {
						for (const teamId of request.teams) await requireTeam(registry, boardId, teamId);
					}
				}
				const status =
					decision === 'approve' ? 'approved' : decision === 'decline' ? 'declined' : 'withdrawn';
				if (
					!(await access.members.decideRequest(boardId, requestId, status, decider.personId, now()))
				) {
					throw new HttpError(409, 'This request was settled meanwhile.', 'request-settled');
				}
				if (status === 'approved') {
					const updated = await access.updateMember(boardId, request.personId, {
						teams: request.teams,
						roles: request.roles
					});
					if (updated) await mirrorMember(registry, updated);
				} else {
					access.membersChanged(boardId);
				}
				const [settled] = await describe(
					boardId,
					[(await access.members.request(boardId, requestId))!],
					decider
				);
				sendJson(res, 200, settled);
			}
		},
		{
			// One line at once and after every change: the page reads members and requests again.
			method: 'GET',
			path: new RegExp(`^${BOARD_PATH}\\/members\\/live$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				await authenticate(access, req, boardId);
				res.writeHead(200, {
					'content-type': 'text/event-stream',
					'cache-control': 'no-store',
					'x-accel-buffering': 'no'
				});
				streams.add(res);
				streamBoards.set(res, boardId);
				send(res, revisions.get(boardId) ?? 0);
				const heartbeat = setInterval(() => res.write(': still here\n\n'), heartbeatMs);
				heartbeat.unref();
				const forget = () => {
					clearInterval(heartbeat);
					streams.delete(res);
				};
				res.on('close', forget);
				req.on('close', forget);
			}
		}
	];

	return {
		routes,
		close() {
			stopWatching();
			for (const res of streams) res.end();
			streams.clear();
		}
	};
}

/** Each team of the board and its Scrum Master, as the board document says. */
async function scrumMastersOf(
	registry: RoomRegistry,
	boardId: string
): Promise<Map<string, string | null>> {
	const room = registry.acquire(documentName.board(boardId));
	const release = room.hold();
	try {
		await room.loaded;
		const teams = new BoardDocs(boardId, room.doc).collection('teams');
		const scrumMasters = new Map<string, string | null>();
		for (const [teamId, team] of teams) {
			const scrumMaster = team.get('scrumMasterId');
			scrumMasters.set(teamId, typeof scrumMaster === 'string' ? scrumMaster : null);
		}
		return scrumMasters;
	} finally {
		release();
	}
}
