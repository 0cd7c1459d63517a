/**
 * The live Daily Standup of one team as screens see it (DOMAIN use case 1, contract D13): who
 * speaks in which order, the two timers read from the shared start times on the shared clock,
 * the team's open incidents as the first topic, and who may start, run or take over the round.
 */
import { storiesWithOpenWork } from '../domain/escalation';
import type { Person, Severity, Sprint, Story, Team, WorkPackage } from '../domain/schema';
import { readSla, readTimebox, type SlaReading } from '../domain/sla';
import { roundSeconds, type LiveStandup } from '../domain/standup';
import type { OpContext } from '../sync/operations';

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

/** True while the round is on: not ended, and not abandoned (see ABANDONED_AFTER_MS). */
export function isRunning(standup: LiveStandup | null, now: number): standup is LiveStandup {
	return (
		standup !== null &&
		standup.endedAt === null &&
		now - Date.parse(standup.startedAt) < ABANDONED_AFTER_MS
	);
}

const SEVERITY_ORDER: Record<Severity, number> = {
	SEV1: 0,
	SEV2: 1,
	SEV3: 2,
	'non-production-defect': 3
};

/** An open incident of a team, with its SLA clock read at the same instant for everyone. */
export interface TeamIncident {
	workPackage: WorkPackage;
	sla: SlaReading;
}

/** Stories a team works on: it participates in them, or one of its open sprints plans them. */
export function storiesOfTeam(
	teamId: string,
	stories: Iterable<Story>,
	sprints: Iterable<Sprint>
): Set<string> {
	const ids = new Set<string>();
	for (const story of stories) if (story.teamIds.includes(teamId)) ids.add(story.id);
	for (const sprint of sprints) {
		if (sprint.teamId !== teamId || sprint.state === 'closed') continue;
		for (const id of Object.keys(sprint.commitments)) ids.add(id);
		for (const id of Object.keys(sprint.reserved)) ids.add(id);
	}
	return ids;
}

/**
 * The team's open incidents (category `incident`, or any work package with a severity) whose
 * origin or current holder is one of its stories, most severe first, then nearest deadline.
 */
export function openIncidentsOf(
	teamId: string,
	board: {
		stories: Iterable<Story>;
		sprints: Iterable<Sprint>;
		workPackages: Iterable<WorkPackage>;
	},
	now: number
): TeamIncident[] {
	const ours = storiesOfTeam(teamId, board.stories, board.sprints);
	const incidents: TeamIncident[] = [];
	for (const wp of board.workPackages) {
		if (wp.status !== 'open' || (wp.category !== 'incident' && wp.severity === null)) continue;
		if (!storiesWithOpenWork(wp).some((id) => ours.has(id))) continue;
		incidents.push({ workPackage: wp, sla: readSla(wp, now) });
	}
	const severity = (wp: WorkPackage) => (wp.severity ? SEVERITY_ORDER[wp.severity] : 4);
	return incidents.sort(
		(a, b) =>
			severity(a.workPackage) - severity(b.workPackage) ||
			(a.sla.deadline ?? Infinity) - (b.sla.deadline ?? Infinity) ||
			(a.workPackage.id < b.workPackage.id ? -1 : 1)
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

/**
 * The operation context for standup writes: start and step instants come from the shared
 * clock, so timers derived from them agree on every screen whatever each machine's clock says.
 */
export function onSharedClock(base: OpContext, clock: { readonly now: number }): OpContext {
	return {
		get actorId() {
			return base.actorId;
		},
		now: () => new Date(clock.now).toISOString(),
		newId: () => base.newId()
	};
}
