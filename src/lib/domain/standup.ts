/**
 * A live Daily Standup: the team walks the people who are here one by one (done / next /
 * impediments), open incidents first, then the updates absent people left before it; one shared
 * timer per speaker and for the round, derived from shared start times, so every screen shows the
 * same clock. Who speaks in which order, how a turn is skipped or marked absent, when a round
 * counts as abandoned, who may start, run or take over a round (the Scrum Master facilitates, and
 * anyone on the team may take over when the facilitator drops out), and what stays of a round
 * once it ended: its summary, on the board and as plain text.
 */
import { z } from 'zod';
import type { TeamIncident } from './incidents';
import {
	Id,
	Instant,
	type Person,
	type StandupEntry,
	type StandupSummary,
	type Team
} from './schema';
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
		endedAt: Instant.nullable(),
		/** Speakers who are absent: their turn is the update they left (since 2.1; absent: none). */
		asyncIds: z.array(Id).max(50).default([]),
		/** Recorded absent: away without an update, or marked absent today (since 2.1). */
		absentIds: z.array(Id).max(100).default([]),
		/** Whose turn was skipped: moved to the end once, out of the round the second time. */
		skippedIds: z.array(Id).max(100).default([]),
		/** The open incidents the round opens with (since 2.1; absent: none recorded). */
		incidentIds: z.array(Id).max(100).default([])
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
	const clock = clockAt(ended, timeZone);
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

/** Who a round walks, and who it records as absent. */
export interface RoundPlan {
	/** Everyone with a turn, in order. */
	speakerIds: string[];
	/** Of those, the absent people whose turn is the update they left. */
	asyncIds: string[];
	/** Absent without an update: no turn, listed as absent. */
	absentIds: string[];
}

/**
 * Who speaks, in order: the people who are here, those swarming on the team's open incidents
 * first (they have the news the round starts with), then the absent people who left an update
 * for the day, by name within each. Absent people without an update take no turn: they are
 * recorded absent, so nobody presses Next through them.
 */
export function planRound(
	memberIds: readonly string[],
	options: {
		incidents: readonly TeamIncident[];
		presentIds: ReadonlySet<string>;
		/** Who left an update for the day outside any round (`round: null`). */
		updateIds: ReadonlySet<string>;
		nameOf: (personId: string) => string;
	}
): RoundPlan {
	const swarming = new Set(options.incidents.flatMap((i) => i.workPackage.swarm));
	const here = (id: string) => options.presentIds.has(id);
	const group = (id: string) => (!here(id) ? 2 : swarming.has(id) ? 0 : 1);
	const byName = (a: string, b: string) =>
		options.nameOf(a).localeCompare(options.nameOf(b)) || (a < b ? -1 : 1);
	const members = [...new Set(memberIds)];
	const speakerIds = members
		.filter((id) => here(id) || options.updateIds.has(id))
		.sort((a, b) => group(a) - group(b) || byName(a, b))
		.slice(0, 50);
	const speaking = new Set(speakerIds);
	return {
		speakerIds,
		asyncIds: speakerIds.filter((id) => !here(id)),
		absentIds: members.filter((id) => !speaking.has(id)).sort(byName)
	};
}

/** The turn a facilitator acts on: the step they saw and who was speaking in it. */
export interface Turn {
	step: number;
	personId: string;
}

function isTurn(standup: LiveStandup, turn: Turn): boolean {
	return standup.step === turn.step && currentSpeaker(standup) === turn.personId;
}

/**
 * "Skip": the speaker is not ready (stepped out, on a call), so their turn moves to the end of the
 * round, once; skipped again (or when nobody is left after them) they leave the round. Either way
 * they are recorded as skipped. Null when the round has moved on from `turn` since it was seen.
 */
export function skipTurn(standup: LiveStandup, turn: Turn, now: string): LiveStandup | null {
	if (!isTurn(standup, turn)) return null;
	const rest = standup.speakerIds.filter((id) => id !== turn.personId);
	const again = standup.skippedIds.includes(turn.personId);
	const last = turn.step === standup.speakerIds.length - 1;
	return {
		...standup,
		speakerIds: again || last ? rest : [...rest, turn.personId],
		skippedIds: again ? standup.skippedIds : [...standup.skippedIds, turn.personId],
		stepStartedAt: now
	};
}

/**
 * "Absent today": the speaker is not here after all; they leave the round and are recorded
 * absent, and the next person speaks. Null when the round has moved on from `turn`.
 */
export function absentTurn(standup: LiveStandup, turn: Turn, now: string): LiveStandup | null {
	if (!isTurn(standup, turn)) return null;
	const without = (ids: readonly string[]) => ids.filter((id) => id !== turn.personId);
	return {
		...standup,
		speakerIds: without(standup.speakerIds),
		asyncIds: without(standup.asyncIds),
		absentIds: [...without(standup.absentIds), turn.personId],
		stepStartedAt: now
	};
}

/** The id of a round's summary: one per team and round, so two "End" presses keep one record. */
export function summaryIdOf(standup: Pick<LiveStandup, 'teamId' | 'startedAt'>): string {
	return `${Date.parse(standup.startedAt).toString(36)}-${standup.teamId}`.slice(0, 64);
}

/**
 * What stays on the board of a round that ended at `endedAt`: who had their turn (everyone up to
 * the step it ended on), who was absent or skipped, the incidents it opened with.
 */
export function summaryOfRound(standup: LiveStandup, endedAt: string, day: string): StandupSummary {
	const reached = standup.speakerIds.slice(0, Math.max(0, standup.step + 1));
	return {
		id: summaryIdOf(standup),
		teamId: standup.teamId,
		sprintId: standup.sprintId,
		day,
		round: standup.startedAt,
		endedAt,
		facilitatorId: standup.facilitatorId,
		speakerIds: reached,
		asyncIds: standup.asyncIds.filter((id) => reached.includes(id)),
		absentIds: standup.absentIds,
		skippedIds: standup.skippedIds,
		incidentIds: standup.incidentIds
	};
}

/** Each team's last ended standup, by team id (the latest end; ties by id). */
export function lastStandups(summaries: Iterable<StandupSummary>): Map<string, StandupSummary> {
	const later = (a: StandupSummary, b: StandupSummary) =>
		Date.parse(a.endedAt) - Date.parse(b.endedAt) || (a.id > b.id ? 1 : -1);
	const last = new Map<string, StandupSummary>();
	for (const summary of summaries) {
		const kept = last.get(summary.teamId);
		if (!kept || later(summary, kept) > 0) last.set(summary.teamId, summary);
	}
	return last;
}

/** One person's part of a standup summary, each field on a line of its own. */
export interface SaidInStandup {
	personId: string;
	name: string;
	/** Written before the standup, read out in the absent person's turn. */
	leftBefore: boolean;
	done: string;
	next: string;
	impediments: string[];
}

/** A standup summary as people read it, and as the plain text "Copy as text" gives. */
export interface StandupSummaryView {
	title: string;
	/** e.g. "09:00–09:12 (Europe/Berlin), facilitated by Rita". */
	when: string;
	incidents: { id: string; title: string }[];
	said: SaidInStandup[];
	/** Who had a turn but recorded nothing. */
	silent: string[];
	absent: { personId: string; name: string; leftUpdate: boolean }[];
	skipped: { personId: string; name: string; spokeLater: boolean }[];
	text: string;
}

/** What a summary names, by id. */
export interface SummaryLookup {
	personName(personId: string): string;
	teamName(teamId: string): string;
	incidentTitle(workPackageId: string): string;
}

function clockAt(instant: number, timeZone: string): string {
	return new Intl.DateTimeFormat('en-GB', {
		timeZone,
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).format(instant);
}

/**
 * A standup summary from its record and the team's entries of its day: what each person said
 * (done, next, each impediment), in speaking order, then updates from people without a turn; the
 * incidents; who was absent (and whether they left an update) and who was skipped.
 */
export function summarizeStandup(
	summary: StandupSummary,
	entries: readonly StandupEntry[],
	lookup: SummaryLookup,
	timeZone: string
): StandupSummaryView {
	const name = (id: string) => lookup.personName(id);
	const ofRound = entriesOfRound(
		entries.filter((e) => e.teamId === summary.teamId && e.day === summary.day),
		{ startedAt: summary.round }
	);
	const said = inSpeakingOrder(ofRound, summary.speakerIds, name).map((entry) => ({
		personId: entry.personId,
		name: name(entry.personId),
		leftBefore: entry.round === null,
		done: entry.done.trim(),
		next: entry.next.trim(),
		impediments: impedimentLines(entry)
	}));
	const spoke = new Set(said.map((s) => s.personId));
	const updated = new Set(ofRound.filter((e) => e.round === null).map((e) => e.personId));
	const view = {
		title: `Daily Standup · ${lookup.teamName(summary.teamId)} · ${summary.day}`,
		when: `${clockAt(Date.parse(summary.round), timeZone)}–${clockAt(Date.parse(summary.endedAt), timeZone)} (${timeZone}), facilitated by ${name(summary.facilitatorId)}`,
		incidents: summary.incidentIds.map((id) => ({ id, title: lookup.incidentTitle(id) })),
		said,
		silent: summary.speakerIds.filter((id) => !spoke.has(id)).map(name),
		absent: summary.absentIds.map((personId) => ({
			personId,
			name: name(personId),
			leftUpdate: updated.has(personId)
		})),
		skipped: summary.skippedIds.map((personId) => ({
			personId,
			name: name(personId),
			spokeLater: summary.speakerIds.includes(personId)
		}))
	};
	return { ...view, text: summaryText(view) };
}

/** The plain text of a summary: one line per done, next and impediment, in speaking order. */
function summaryText(view: Omit<StandupSummaryView, 'text'>): string {
	const lines = [view.title, view.when];
	if (view.incidents.length) {
		lines.push(`Open incidents: ${view.incidents.map((i) => i.title).join('; ')}`);
	}
	for (const part of view.said) {
		lines.push(
			'',
			part.leftBefore ? `${part.name} (left an update before the standup)` : part.name
		);
		if (part.done) lines.push(`Done: ${part.done}`);
		if (part.next) lines.push(`Next: ${part.next}`);
		for (const impediment of part.impediments) lines.push(`Impediment: ${impediment}`);
	}
	const tail: string[] = [];
	if (view.silent.length) tail.push(`Nothing recorded: ${view.silent.join(', ')}`);
	if (view.absent.length) {
		const absent = view.absent.map((a) => (a.leftUpdate ? `${a.name} (left an update)` : a.name));
		tail.push(`Absent: ${absent.join(', ')}`);
	}
	if (view.skipped.length) {
		const skipped = view.skipped.map((s) =>
			s.spokeLater ? `${s.name} (spoke at the end)` : s.name
		);
		tail.push(`Skipped: ${skipped.join(', ')}`);
	}
	if (tail.length) lines.push('', ...tail);
	return lines.join('\n');
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
