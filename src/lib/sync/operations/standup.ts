/**
 * The live standup of a team, in the team's own document (root map `standup`): its members
 * write it, everyone else watches. Every write names the step (and the person) it acts on, so two
 * people pressing "next", "skip" or "absent today" at once move the round once, not twice; and
 * the fields that say whose turn it is are written together, so of two different presses on the
 * same turn one wins whole on every replica. Ending a round leaves its summary on the board.
 */
import { dayOf, timeZoneOf } from '../../domain/days';
import { parseInput, ScrumOpsError } from '../../domain/errors';
import { Board, type StandupSummary } from '../../domain/schema';
import {
	absentTurn,
	DEFAULT_SPEAKER_SECONDS,
	LiveStandup,
	skipTurn,
	summaryOfRound,
	type Turn
} from '../../domain/standup';
import type { BoardDocs } from '../board-docs';
import { readValues } from '../codec';
import { STANDUP_KEY } from '../layout';
import { currentSprintOf } from '../../domain/scrum-of-scrums';
import type { Sprint, StandupEntry } from '../../domain/schema';
import { readSettings, readStored, transact, type OpContext } from './context';
import { insertEntity } from './entities';
import { recordStandup } from './ceremonies';

export interface StandupInput {
	sprintId?: string | null;
	facilitatorId: string;
	speakerIds: string[];
	/** True when the team has open incidents: they are the first topic. */
	incidentsFirst: boolean;
	speakerSeconds?: number;
	/** Speakers who are absent and whose turn is the update they left. */
	asyncIds?: string[];
	/** Absent people without an update: no turn, recorded absent. */
	absentIds?: string[];
	/** The open incidents the round opens with. */
	incidentIds?: string[];
}

/**
 * The team's standup as stored, or null when none was started or the stored one is invalid (a
 * value that is not plain JSON within the limits, or fails the schema).
 */
export function readStandup(docs: BoardDocs, teamId: string): LiveStandup | null {
	let stored: Record<string, unknown>;
	try {
		stored = readValues(docs.team(teamId).getMap(STANDUP_KEY));
	} catch {
		return null;
	}
	const parsed = LiveStandup.safeParse(stored);
	return parsed.success && parsed.data.teamId === teamId ? parsed.data : null;
}

/** Starts a round (replacing a finished or abandoned one). */
export function startStandup(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	input: StandupInput
): LiveStandup {
	const now = ctx.now();
	const speakerIds = [...new Set(input.speakerIds)];
	if (speakerIds.length === 0 && !input.incidentsFirst) {
		throw new ScrumOpsError('A standup needs at least one person to speak.');
	}
	const standup = parseInput(
		LiveStandup,
		{
			teamId,
			sprintId: input.sprintId ?? null,
			facilitatorId: input.facilitatorId,
			startedAt: now,
			incidentsFirst: input.incidentsFirst,
			speakerIds,
			step: input.incidentsFirst ? -1 : 0,
			stepStartedAt: now,
			speakerSeconds: input.speakerSeconds ?? DEFAULT_SPEAKER_SECONDS,
			endedAt: null,
			asyncIds: (input.asyncIds ?? []).filter((id) => speakerIds.includes(id)),
			absentIds: [...new Set(input.absentIds ?? [])].filter((id) => !speakerIds.includes(id)),
			skippedIds: [],
			incidentIds: [...new Set(input.incidentIds ?? [])]
		},
		'standup'
	);
	write(docs, ctx, teamId, 'startStandup', standup, Object.keys(standup));
	return standup;
}

/**
 * Moves from step `from` to the next one (the end after the last speaker). A second person
 * acting on the same step concurrently writes the same result.
 */
export function advanceStandup(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	from: number
): LiveStandup {
	const current = running(docs, teamId);
	if (current.step !== from) return current;
	const step = Math.min(from + 1, current.speakerIds.length);
	const next = { ...current, step, stepStartedAt: ctx.now() };
	write(docs, ctx, teamId, 'advanceStandup', next, TURN_FIELDS);
	return next;
}

/**
 * "Skip" on the speaker of `turn`: their turn moves to the end once, and a second skip takes them
 * out of the round (domain/standup.ts, skipTurn). Nothing changes when the round moved on.
 */
export function skipSpeaker(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	turn: Turn
): LiveStandup {
	return onTurn(docs, ctx, teamId, 'skipSpeaker', (current, now) => skipTurn(current, turn, now));
}

/**
 * "Absent today" on the speaker of `turn`: they leave the round and are recorded absent
 * (domain/standup.ts, absentTurn). Nothing changes when the round moved on.
 */
export function markAbsent(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	turn: Turn
): LiveStandup {
	return onTurn(docs, ctx, teamId, 'markStandupAbsent', (current, now) =>
		absentTurn(current, turn, now)
	);
}

/** Applies a move on one turn to the running round; nothing changes when it moved on (null). */
function onTurn(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	intent: string,
	move: (current: LiveStandup, now: string) => LiveStandup | null
): LiveStandup {
	const current = running(docs, teamId);
	const next = move(current, ctx.now());
	if (!next) return current;
	write(docs, ctx, teamId, intent, next, TURN_FIELDS);
	return next;
}

/** Someone on the team takes over facilitation (the facilitator dropped out, or handed over). */
export function takeOverStandup(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	personId: string
): LiveStandup {
	const next = parseInput(
		LiveStandup,
		{ ...running(docs, teamId), facilitatorId: personId },
		'standup'
	);
	write(docs, ctx, teamId, 'takeOverStandup', next);
	return next;
}

/**
 * Ends the round, and keeps its summary in the board document (`standupSummaries`), under an id
 * of the team and round: two people ending it at once leave one summary.
 */
export function endStandup(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string
): LiveStandup & { summary: StandupSummary } {
	const current = running(docs, teamId);
	const endedAt = ctx.now();
	const day = dayOf(Date.parse(current.startedAt), boardTimeZone(docs));
	const summary = summaryOfRound(current, endedAt, day);
	const next = { ...current, step: current.speakerIds.length, endedAt };
	write(docs, ctx, teamId, 'endStandup', next);
	transact(docs.board, ctx, 'keepStandupSummary', () =>
		insertEntity(docs.collection('standupSummaries'), 'standupSummaries', summary)
	);
	return { ...next, summary };
}

/**
 * An update for today's standup from someone who will miss it (`round: null`, D6.10): filed
 * under the team's current sprint and today at the board's time, written like any entry of the
 * board's form (its impediments raised for the team). The person must be on the team.
 */
export function leaveStandupUpdate(
	docs: BoardDocs,
	ctx: OpContext,
	input: { teamId: string; personId: string; done: string; next: string; impediments: string }
): StandupEntry {
	const team = readStored(docs.collection('teams'), 'teams', input.teamId);
	if (!team.memberIds.includes(input.personId)) {
		throw new ScrumOpsError(
			`You are not on ${team.name}: only its members leave updates for its standup.`
		);
	}
	const sprints: Sprint[] = [];
	for (const id of docs.collection('sprints').keys()) {
		try {
			sprints.push(readStored(docs.collection('sprints'), 'sprints', id));
		} catch {
			// A damaged sprint is reported by the repair; it is no sprint to file an update under.
		}
	}
	return recordStandup(docs, ctx, {
		...input,
		sprintId: currentSprintOf(team.id, sprints)?.id ?? null,
		day: dayOf(Date.parse(ctx.now()), boardTimeZone(docs)),
		round: null
	}).entry;
}

/** The board's time zone, UTC while its settings are missing or unreadable. */
function boardTimeZone(docs: BoardDocs): string {
	try {
		const settings = Board.safeParse(readSettings(docs.meta()));
		return timeZoneOf(settings.success ? settings.data : null);
	} catch {
		return timeZoneOf(null);
	}
}

function running(docs: BoardDocs, teamId: string): LiveStandup {
	const standup = readStandup(docs, teamId);
	if (!standup || standup.endedAt !== null) {
		throw new ScrumOpsError('No standup is running for this team; start one first.');
	}
	return standup;
}

/**
 * The fields that say whose turn it is. A move on a turn writes all of them, changed or not:
 * concurrent writes of the same keys resolve to one writer on every key, so two presses on one
 * turn (skip and absent, next and skip) give one of the two results, never a mix.
 */
const TURN_FIELDS = [
	'speakerIds',
	'step',
	'stepStartedAt',
	'asyncIds',
	'absentIds',
	'skippedIds'
] as const satisfies readonly (keyof LiveStandup)[];

/**
 * Writes the fields that changed, and every one of `together`; other fields stay as they are,
 * so concurrent edits of different fields (a take-over and a "next") both stay.
 */
function write(
	docs: BoardDocs,
	ctx: OpContext,
	teamId: string,
	intent: string,
	next: LiveStandup,
	together: readonly string[] = []
) {
	const doc = docs.team(teamId);
	transact(doc, ctx, intent, () => {
		const map = doc.getMap<unknown>(STANDUP_KEY);
		for (const [field, value] of Object.entries(next)) {
			const stored = map.get(field);
			const same =
				Array.isArray(value) && Array.isArray(stored)
					? JSON.stringify(value) === JSON.stringify(stored)
					: stored === value;
			if (!same || together.includes(field)) {
				map.set(field, Array.isArray(value) ? [...value] : value);
			}
		}
	});
}
