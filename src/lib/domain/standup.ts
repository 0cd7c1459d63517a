/**
 * A live Daily Standup: the team walks its members one by one (done / next / impediments), open
 * incidents first; one shared timer per speaker and for the round, derived from shared start
 * times, so every screen shows the same clock. Who speaks in which order, when a round counts as
 * abandoned, and who may start, run or take over a round: the Scrum Master facilitates, and
 * anyone on the team may take over when the facilitator drops out.
 */
import { z } from 'zod';
import type { TeamIncident } from './incidents';
import { Id, Instant, type Person, type StandupEntry, type Team } from './schema';
import { durationText, readTimebox } from './sla';

/** Seconds per speaker: a Daily Scrum is 15 minutes for up to 10 people. */
export const DEFAULT_SPEAKER_SECONDS = 90;

export const LiveStandup = z
	.object({
		teamId: Id,
		sprintId: Id.nullable(),
		facilitatorId: Id,
		/** When the round started (the shared clock). */
		startedAt: Instant,
		/** Open incidents are the first topic when there are any. */
		incidentsFirst: z.boolean(),
		/** Everyone who speaks, in order. */
		speakerIds: z.array(Id).max(50),
		/** Step of the round: -1 is the incidents topic, 0… a speaker, speakerIds.length the end. */
		step: z.number().int().min(-1),
		/** When the current step started (the shared clock). */
		stepStartedAt: Instant,
		speakerSeconds: z.number().int().min(15).max(900),
		endedAt: Instant.nullable()
	})
	.refine((s) => s.step <= s.speakerIds.length, { message: 'step past the end of the round' })
	.refine((s) => s.step >= 0 || s.incidentsFirst, { message: 'no incidents topic in this round' });
export type LiveStandup = z.infer<typeof LiveStandup>;

/** Who speaks now (null for the incidents topic or once everyone has spoken). */
export function currentSpeaker(standup: LiveStandup): string | null {
	return standup.step >= 0 ? (standup.speakerIds[standup.step] ?? null) : null;
}

/** The round's timebox: every speaker's slot, plus one for the incidents topic. */
export function roundSeconds(standup: LiveStandup): number {
	return (standup.speakerIds.length + (standup.incidentsFirst ? 1 : 0)) * standup.speakerSeconds;
}

/** A round not ended an hour after it started was abandoned: a new one may start. */
export const ABANDONED_AFTER_MS = 60 * 60_000;

/** A timer as every screen shows it: the same text from the same shared instants. */
export interface TimerReading {
	remainingMs: number;
	overrun: boolean;
	/** e.g. "1:05 left", "0:12 over". */
	text: string;
}

/** Whole seconds left, rounded up while counting down, shown as m:ss left / over. */
export function timerText(remainingMs: number): string {
	const seconds = Math.ceil(remainingMs / 1000);
	const abs = Math.abs(seconds);
	const clock = `${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
	return seconds >= 0 ? `${clock} left` : `${clock} over`;
}

function reading(startedAt: string, seconds: number, at: number): TimerReading {
	const { remainingMs, overrun } = readTimebox(startedAt, seconds, at);
	return { remainingMs, overrun, text: timerText(remainingMs) };
}

/**
 * The speaker's and the round's timers at `now` (the shared clock), frozen at the end of an
 * ended round. They depend only on the stored instants, so every screen reads the same.
 */
export function readStandupTimers(
	standup: LiveStandup,
	now: number
): { speaker: TimerReading; round: TimerReading } {
	const at = standup.endedAt === null ? now : Math.min(now, Date.parse(standup.endedAt));
	return {
		speaker: reading(standup.stepStartedAt, standup.speakerSeconds, at),
		round: reading(standup.startedAt, roundSeconds(standup), at)
	};
}

/**
 * How an ended round reads on every screen, at the board's time: "The standup ended at 10:43,
 * after 4 min 13 s: 16 min 17 s inside its 20 min 30 s timebox." (or "… over its timebox").
 */
export function endedText(standup: LiveStandup & { endedAt: string }, timeZone: string): string {
	const ended = Date.parse(standup.endedAt);
	const took = ended - Date.parse(standup.startedAt);
	const timebox = roundSeconds(standup) * 1000;
	const clock = new Intl.DateTimeFormat('en-GB', {
		timeZone,
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).format(ended);
	const margin =
		took <= timebox
			? `${durationText(timebox - took)} inside`
			: `${durationText(took - timebox)} over`;
	return `The standup ended at ${clock}, after ${durationText(took)}: ${margin} its ${durationText(timebox)} timebox.`;
}

/**
 * What belongs to a round: what was said in it, and updates written for its day outside any
 * round. What an earlier round of the same day recorded is that round's, not this one's.
 */
export function entriesOfRound(
	entries: readonly StandupEntry[],
	round: Pick<LiveStandup, 'startedAt'> | null
): StandupEntry[] {
	if (round === null) return entries.filter((e) => e.round === null);
	const started = Date.parse(round.startedAt);
	return entries.filter((e) => e.round === null || Date.parse(e.round) === started);
}

/**
 * What was said, in the order people spoke: the round's speakers first, in its order, then
 * anyone who wrote without speaking in it (an update left before it, an earlier round), by name.
 */
export function inSpeakingOrder(
	entries: readonly StandupEntry[],
	speakerIds: readonly string[],
	nameOf: (personId: string) => string
): StandupEntry[] {
	const turn = new Map(speakerIds.map((id, i) => [id, i] as const));
	const place = (entry: StandupEntry) => turn.get(entry.personId) ?? speakerIds.length;
	return [...entries].sort(
		(a, b) =>
			place(a) - place(b) ||
			nameOf(a.personId).localeCompare(nameOf(b.personId)) ||
			(a.id < b.id ? -1 : 1)
	);
}

/** The impediments an entry names, one per line as they were said. */
export function impedimentLines(entry: Pick<StandupEntry, 'impediments'>): string[] {
	return entry.impediments
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);
}

/** True while the round is on: not ended, and not abandoned (see ABANDONED_AFTER_MS). */
export function isRunning(standup: LiveStandup | null, now: number): standup is LiveStandup {
	return (
		standup !== null &&
		standup.endedAt === null &&
		now - Date.parse(standup.startedAt) < ABANDONED_AFTER_MS
	);
}

/**
 * Who speaks, in order: people swarming on the team's open incidents first (they have the news
 * the round starts with), then the others present, then those away; by name within each.
 */
export function speakerOrder(
	memberIds: readonly string[],
	options: {
		incidents: readonly TeamIncident[];
		presentIds: ReadonlySet<string>;
		nameOf: (personId: string) => string;
	}
): string[] {
	const swarming = new Set(options.incidents.flatMap((i) => i.workPackage.swarm));
	const group = (id: string) => (swarming.has(id) ? 0 : options.presentIds.has(id) ? 1 : 2);
	return [...new Set(memberIds)]
		.sort(
			(a, b) =>
				group(a) - group(b) ||
				options.nameOf(a).localeCompare(options.nameOf(b)) ||
				(a < b ? -1 : 1)
		)
		.slice(0, 50);
}

/** The team's Scrum Master, or a member who has the role. */
export function isScrumMasterOf(team: Team, person: Person | undefined, personId: string): boolean {
	if (team.scrumMasterId === personId) return true;
	return team.memberIds.includes(personId) && !!person?.roles.includes('scrum-master');
}

/** Who is asking, and what the screen knows about them and the team. */
export interface StandupViewer {
	selfId: string;
	team: Team;
	person: (id: string) => Person | undefined;
	/** Everyone on the board now (awareness), this person included. */
	presentIds: ReadonlySet<string>;
	/** May write the team's document (a member, not read-only). */
	canWriteTeam: boolean;
}

export interface StandupPermissions {
	start: boolean;
	facilitate: boolean;
	takeOver: boolean;
}

/**
 * What this person may do: the Scrum Master starts the round (any member may when no Scrum
 * Master of the team is on the board); the facilitator moves it on and ends it; any other member
 * takes over when the facilitator is not on the board. Everyone else watches.
 */
export function standupPermissions(
	standup: LiveStandup | null,
	now: number,
	viewer: StandupViewer
): StandupPermissions {
	const { selfId, team } = viewer;
	const member = viewer.canWriteTeam && team.memberIds.includes(selfId);
	if (!member) return { start: false, facilitate: false, takeOver: false };
	if (!isRunning(standup, now)) {
		const smPresent = [...viewer.presentIds].some((id) =>
			isScrumMasterOf(team, viewer.person(id), id)
		);
		const start = isScrumMasterOf(team, viewer.person(selfId), selfId) || !smPresent;
		return { start, facilitate: false, takeOver: false };
	}
	const facilitate = standup.facilitatorId === selfId;
	const takeOver = !facilitate && !viewer.presentIds.has(standup.facilitatorId);
	return { start: false, facilitate, takeOver };
}
