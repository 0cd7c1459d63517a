/**
 * R14's "the originating team is notified": every escalation hop a receiving team resolved,
 * for the people who were on the team whose story sent it when it happened, newest first.
 * Which ones the person dismissed is kept in their personal document, on every device.
 */
import type { Person, Story, Team, WorkPackage } from '../domain/schema';
import type { PersonalInbox } from './personal-inbox.svelte';

export interface EscalationNotice {
	/** `<workPackageId>:<hop index>`: stable, as hops are never reordered (D9). */
	id: string;
	workPackageId: string;
	workPackageTitle: string;
	fromStoryId: string;
	toStoryTitle: string;
	resolvedAt: string;
	resolvedByName: string;
	/** The work package is done: nothing is left to act on. */
	workPackageDone: boolean;
}

/**
 * Resolved hops sent from a story of one of `teamIds` while `personId` was on that team, newest
 * first. A team that does not say when the person joined (before 2.1) counts them as always on.
 */
export function escalationReturns(
	workPackages: Iterable<WorkPackage>,
	lookup: {
		story(id: string): Story | undefined;
		person(id: string): Person | undefined;
		team(id: string): Team | undefined;
	},
	personId: string,
	teamIds: readonly string[]
): EscalationNotice[] {
	const notices: EscalationNotice[] = [];
	const onTeamAt = (teamId: string, at: string) => {
		if (!teamIds.includes(teamId)) return false;
		const since = lookup.team(teamId)?.memberSince[personId];
		return since === undefined || Date.parse(since) <= Date.parse(at);
	};
	for (const wp of workPackages) {
		wp.escalations.forEach((hop, i) => {
			const resolvedAt = hop.resolvedAt;
			if (resolvedAt === null) return;
			const from = lookup.story(hop.fromStoryId);
			if (!from?.teamIds.some((id) => onTeamAt(id, resolvedAt))) return;
			notices.push({
				id: `${wp.id}:${i}`,
				workPackageId: wp.id,
				workPackageTitle: wp.title,
				fromStoryId: hop.fromStoryId,
				toStoryTitle: lookup.story(hop.toStoryId)?.title ?? hop.toStoryId,
				resolvedAt,
				resolvedByName: hop.resolvedBy
					? (lookup.person(hop.resolvedBy)?.name ?? 'someone')
					: 'someone',
				workPackageDone: wp.status === 'done'
			});
		});
	}
	return notices.sort((a, b) =>
		a.resolvedAt !== b.resolvedAt
			? Date.parse(b.resolvedAt) - Date.parse(a.resolvedAt)
			: a.id < b.id
				? -1
				: 1
	);
}

/**
 * Notices this person has dismissed, kept in their personal document so a notice toasts once,
 * on one device, and then stays in the list on all of them. `isStale` marks notices that count
 * as seen without having been shown (older than the person's first visit).
 */
export class SeenNotices<T extends { id: string }> {
	readonly #source: () => T[];
	readonly #inbox: PersonalInbox;
	readonly #kind: string;
	readonly #isStale: (notice: T, since: number) => boolean;
	readonly #now: () => number;

	/**
	 * @param source the notices for this person (reactive)
	 * @param kind what they are, in the dismissed ids (`escalation:<id>`), so kinds never clash
	 * @param now the current instant on the shared clock
	 */
	constructor(
		source: () => T[],
		inbox: PersonalInbox,
		kind: string,
		now: () => number,
		isStale: (notice: T, since: number) => boolean = () => false
	) {
		this.#source = source;
		this.#inbox = inbox;
		this.#kind = kind;
		this.#now = now;
		this.#isStale = isStale;
	}

	/** Every notice, newest first. */
	get all(): T[] {
		return this.#source();
	}

	/**
	 * Notices this person has not dismissed anywhere, newest first; none until the personal
	 * document has heard from their other devices.
	 */
	get unseen(): T[] {
		if (!this.#inbox.ready) return [];
		const since = (this.#inbox.since ?? this.#now()) - RECENT_MS;
		return this.all.filter((notice) => !this.isSeen(notice.id) && !this.#isStale(notice, since));
	}

	isSeen(id: string): boolean {
		return this.#inbox.isDismissed(`${this.#kind}:${id}`);
	}

	markSeen(ids: readonly string[]): void {
		this.#inbox.dismiss(
			ids.map((id) => `${this.#kind}:${id}`),
			this.#now()
		);
	}
}

/** Notices this much older than the first visit still toast: they happened just before it. */
export const RECENT_MS = 5 * 60_000;

/**
 * R14 notices for this person. One toasts only while it asks for something: not once its work
 * package is done, and not when it was resolved before this person first opened the board on
 * any device. Both stay in the list.
 */
export class EscalationNotifications extends SeenNotices<EscalationNotice> {
	constructor(source: () => EscalationNotice[], inbox: PersonalInbox, now: () => number) {
		super(
			source,
			inbox,
			'escalation',
			now,
			(notice, since) => notice.workPackageDone || Date.parse(notice.resolvedAt) < since
		);
	}
}
