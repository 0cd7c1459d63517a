/**
 * R14's "the originating team is notified": every escalation hop a receiving team resolved,
 * for the people of the team whose story sent it, newest first. Which ones this browser has
 * shown is kept in localStorage, so a notice toasts once and then stays in the list.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { Person, Story, WorkPackage } from '../domain/schema';

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

/** Resolved hops sent from a story of one of `teamIds`, newest first. */
export function escalationReturns(
	workPackages: Iterable<WorkPackage>,
	lookup: { story(id: string): Story | undefined; person(id: string): Person | undefined },
	teamIds: readonly string[]
): EscalationNotice[] {
	const notices: EscalationNotice[] = [];
	for (const wp of workPackages) {
		wp.escalations.forEach((hop, i) => {
			if (hop.resolvedAt === null) return;
			const from = lookup.story(hop.fromStoryId);
			if (!from || !from.teamIds.some((id) => teamIds.includes(id))) return;
			notices.push({
				id: `${wp.id}:${i}`,
				workPackageId: wp.id,
				workPackageTitle: wp.title,
				fromStoryId: hop.fromStoryId,
				toStoryTitle: lookup.story(hop.toStoryId)?.title ?? hop.toStoryId,
				resolvedAt: hop.resolvedAt,
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
 * Notices this browser has shown, kept in localStorage so a notice toasts once and then stays in
 * the list. `isStale` marks notices that count as seen without having been shown (older than
 * the person's first visit, for mentions).
 */
export class SeenNotices<T extends { id: string }> {
	readonly #source: () => T[];
	readonly #key: string;
	readonly #storage: Storage | null;
	readonly #seen = new SvelteSet<string>();
	readonly #isStale: (notice: T) => boolean;

	/**
	 * @param source the notices for this person (reactive)
	 * @param key the localStorage key, e.g. `scrumops.seen.<boardId>.<personId>`
	 */
	constructor(
		source: () => T[],
		key: string,
		storage: Storage | null = null,
		isStale: (notice: T) => boolean = () => false
	) {
		this.#source = source;
		this.#key = key;
		this.#storage = storage;
		this.#isStale = isStale;
		for (const id of this.#load()) this.#seen.add(id);
	}

	/** Every notice, newest first. */
	get all(): T[] {
		return this.#source();
	}

	/** Notices this browser has not shown yet, newest first. */
	get unseen(): T[] {
		return this.all.filter((notice) => !this.#seen.has(notice.id) && !this.#isStale(notice));
	}

	isSeen(id: string): boolean {
		return this.#seen.has(id);
	}

	markSeen(ids: readonly string[]): void {
		if (ids.every((id) => this.#seen.has(id))) return;
		for (const id of ids) this.#seen.add(id);
		// A set iterates in insertion order: the oldest seen go first.
		for (const id of [...this.#seen].slice(0, Math.max(0, this.#seen.size - MAX_REMEMBERED))) {
			this.#seen.delete(id);
		}
		try {
			this.#storage?.setItem(this.#key, JSON.stringify([...this.#seen]));
		} catch {
			// Storage full or blocked: the notice is seen for this page anyway.
		}
	}

	#load(): string[] {
		try {
			const parsed: unknown = JSON.parse(this.#storage?.getItem(this.#key) ?? '[]');
			return Array.isArray(parsed) ? parsed.filter((id) => typeof id === 'string') : [];
		} catch {
			return [];
		}
	}
}

/** Seen notices kept per browser; older ones beyond this are forgotten. */
const MAX_REMEMBERED = 500;

/** Notices this much older than the first visit still toast: they happened just before it. */
export const RECENT_MS = 5 * 60_000;

/**
 * R14 notices for this person. One toasts only while it asks for something: not once its work
 * package is done, and not when it was resolved before this person first opened the board in
 * this browser (someone who joins the team later is not told to complete old work). Both stay
 * in the list.
 */
export class EscalationNotifications extends SeenNotices<EscalationNotice> {
	/**
	 * @param key the localStorage key; `<key>.since` keeps the first visit
	 * @param now the current instant on the shared clock
	 */
	constructor(source: () => EscalationNotice[], key: string, storage: Storage | null, now: number) {
		const since = firstVisit(`${key}.since`, storage, now) - RECENT_MS;
		super(
			source,
			key,
			storage,
			(notice) => notice.workPackageDone || Date.parse(notice.resolvedAt) < since
		);
	}
}

/** When this browser first opened the board for this person, recorded on that first visit. */
export function firstVisit(key: string, storage: Storage | null, now: number): number {
	try {
		const stored = Number(storage?.getItem(key));
		if (Number.isFinite(stored) && stored > 0) return stored;
		storage?.setItem(key, String(now));
	} catch {
		// Storage blocked: this page's start stands in for the first visit.
	}
	return now;
}
