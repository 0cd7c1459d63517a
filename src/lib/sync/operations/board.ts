/** Board settings, people and teams. */
import { parseInput } from '../../domain/errors';
import {
	Board,
	DEFAULT_SLA_POLICY,
	Id,
	TimeZone,
	type Person,
	type Role,
	type SlaPolicy,
	type Team
} from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { patchEntity, writeFields } from '../codec';
import { FIELD_KINDS, SCHEMA_VERSION } from '../layout';
import { readSettings, storedMap, transact, type OpContext } from './context';
import { insertEntity, updateEntity } from './entities';
import { joinOrLeave } from './people';

export interface BoardInput {
	name: string;
	vision?: string;
	operationalGoals?: string[];
	slaPolicy?: SlaPolicy;
	targetOpsPercent?: number;
	splitTolerance?: number;
	/** The IANA time zone the board's days are read in, e.g. "Australia/Sydney"; UTC if absent. */
	timeZone?: string;
	/** Days to finish a SEV1/SEV2 incident's post-incident review (R19); 5 if absent. */
	reviewDueDays?: number;
}

/**
 * Writes the board settings of a new board (defaults: 30 % ops, 10 points tolerance, days in
 * UTC). An unknown time zone is refused, and nothing is written.
 */
export function createBoard(docs: BoardDocs, ctx: OpContext, input: BoardInput): Board {
	const board = parseInput(
		Board,
		{
			id: docs.boardId,
			vision: '',
			operationalGoals: [],
			slaPolicy: DEFAULT_SLA_POLICY,
			targetOpsPercent: 30,
			splitTolerance: 10,
			createdAt: ctx.now(),
			...input
		},
		'board'
	);
	transact(docs.board, ctx, 'createBoard', () => {
		writeFields(docs.meta(), board, FIELD_KINDS.meta);
		docs.meta().set('schemaVersion', SCHEMA_VERSION);
	});
	return board;
}

/** Edits board settings (name, vision, SLA policy, target split). */
export function updateBoard(
	docs: BoardDocs,
	ctx: OpContext,
	patch: Partial<Omit<Board, 'id'>>
): Board {
	const meta = docs.meta();
	const current = readSettings(meta);
	const next = parseInput(Board, { ...current, ...patch, id: docs.boardId }, 'board');
	transact(docs.board, ctx, 'updateBoard', () => {
		const written: Record<string, unknown> = {};
		for (const field of Object.keys(patch)) written[field] = next[field as keyof Board];
		patchEntity(meta, written, FIELD_KINDS.meta);
	});
	return next;
}

/**
 * Sets the time zone the board's days are read in (an IANA name such as "Asia/Tokyo"): which day
 * a standup is filed under and on which sprint day unknown work arrived. Sprint dates stay as
 * they are. An unknown zone is refused, and nothing is written.
 */
export function setBoardTimeZone(docs: BoardDocs, ctx: OpContext, timeZone: string): Board {
	const zone = parseInput(TimeZone, timeZone, 'time zone');
	const meta = docs.meta();
	const next = parseInput(
		Board,
		{ ...readSettings(meta), timeZone: zone, id: docs.boardId },
		'board'
	);
	transact(docs.board, ctx, 'setBoardTimeZone', () => {
		patchEntity(meta, { timeZone: next.timeZone }, FIELD_KINDS.meta);
	});
	return next;
}

/** Adds a person to the board. */
export function addPerson(
	docs: BoardDocs,
	ctx: OpContext,
	input: { name: string; roles?: Role[]; id?: string }
): Person {
	return transact(docs.board, ctx, 'addPerson', () =>
		insertEntity(docs.collection('people'), 'people', { id: ctx.newId(), roles: [], ...input })
	);
}

/** Replaces a person's roles. */
export function setRoles(docs: BoardDocs, ctx: OpContext, personId: string, roles: Role[]): Person {
	return transact(docs.board, ctx, 'setRoles', () =>
		updateEntity(docs.collection('people'), 'people', personId, { roles })
	);
}

export interface TeamInput {
	name: string;
	kind?: Team['kind'];
	velocity: number;
	scrumMasterId?: string | null;
	memberIds?: string[];
}

/** Creates a team (its tasks document is created alongside). */
export function createTeam(docs: BoardDocs, ctx: OpContext, input: TeamInput): Team {
	const team = transact(docs.board, ctx, 'createTeam', () =>
		insertEntity(docs.collection('teams'), 'teams', {
			id: ctx.newId(),
			kind: 'mixed',
			scrumMasterId: null,
			memberIds: [],
			...input,
			memberSince: Object.fromEntries((input.memberIds ?? []).map((id) => [id, ctx.now()]))
		})
	);
	docs.team(team.id);
	return team;
}

/** Edits a team's name, kind, velocity or Scrum Master. */
export function updateTeam(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	patch: Partial<Pick<Team, 'name' | 'kind' | 'velocity' | 'scrumMasterId'>>
): Team {
	return transact(docs.board, ctx, 'updateTeam', () =>
		updateEntity(docs.collection('teams'), 'teams', teamId, patch)
	);
}

/** Adds or removes one member; concurrent changes to other members merge. */
export function setTeamMember(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	personId: string,
	member: boolean
): void {
	parseInput(Id, personId, 'person id');
	transact(docs.board, ctx, member ? 'addTeamMember' : 'removeTeamMember', () => {
		joinOrLeave(storedMap(docs.collection('teams'), 'teams', teamId), personId, member, ctx);
	});
}
