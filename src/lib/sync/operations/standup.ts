/**
 * The live standup of a team, in the team's own document (root map `standup`): its members
 * write it, everyone else watches. Every write names the step it acts on, so two people pressing
 * "next" at once move the round one step, not two.
 */
import { parseInput, ScrumOpsError } from '../../domain/errors';
import { DEFAULT_SPEAKER_SECONDS, LiveStandup } from '../../domain/standup';
import type { BoardDocs } from '../board-docs';
import { readValues } from '../codec';
import { STANDUP_KEY } from '../layout';
import { transact, type OpContext } from './context';

export interface StandupInput {
	sprintId?: string | null;
	facilitatorId: string;
	speakerIds: string[];
	/** True when the team has open incidents: they are the first topic. */
	incidentsFirst: boolean;
	speakerSeconds?: number;
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
			endedAt: null
		},
		'standup'
	);
	write(docs, ctx, teamId, 'startStandup', standup);
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
	write(docs, ctx, teamId, 'advanceStandup', next);
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

/** Ends the round. */
export function endStandup(docs: BoardDocs, ctx: OpContext, teamId: string): LiveStandup {
	const current = running(docs, teamId);
	const next = { ...current, step: current.speakerIds.length, endedAt: ctx.now() };
	write(docs, ctx, teamId, 'endStandup', next);
	return next;
}

function running(docs: BoardDocs, teamId: string): LiveStandup {
	const standup = readStandup(docs, teamId);
	if (!standup || standup.endedAt !== null) {
		throw new ScrumOpsError('No standup is running for this team; start one first.');
	}
	return standup;
}

/** Writes only the fields that changed, so concurrent edits of different fields both stay. */
function write(docs: BoardDocs, ctx: OpContext, teamId: string, intent: string, next: LiveStandup) {
	const doc = docs.team(teamId);
	transact(doc, ctx, intent, () => {
		const map = doc.getMap<unknown>(STANDUP_KEY);
		for (const [field, value] of Object.entries(next)) {
			const stored = map.get(field);
			const same =
				Array.isArray(value) && Array.isArray(stored)
					? JSON.stringify(value) === JSON.stringify(stored)
					: stored === value;
			if (!same) map.set(field, Array.isArray(value) ? [...value] : value);
		}
	});
}
