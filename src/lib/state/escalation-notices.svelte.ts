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
					: 'someone'
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

export class EscalationNotifications extends SeenNotices<EscalationNotice> {}
