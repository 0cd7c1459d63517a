/**
 * What this person has dismissed, on every device they use: their personal document
 * (`<boardId>/person/<personId>`, docs/schema.md D18), which the server relays to their own
 * connections only. Dismissing a notification on the laptop dismisses it on the phone, offline
 * included (the document merges like the board's). It also keeps the person's first visit to
 * the board, on any device, so a new device does not toast what happened long before.
 */
import * as Y from 'yjs';
import { SvelteSet } from 'svelte/reactivity';
import { Instant } from '../domain/schema';
import { DISMISSED_KEY, INBOX_KEY } from '../sync/layout';

/** Dismissals kept per person; the oldest beyond this are forgotten. */
export const MAX_DISMISSED = 500;

export class PersonalInbox {
	readonly #doc: Y.Doc;
	readonly #dismissed: Y.Map<unknown>;
	readonly #inbox: Y.Map<unknown>;
	readonly #ids = new SvelteSet<string>();
	#since = $state<number | null>(null);
	/**
	 * True once this document holds what the person's other devices wrote: the server sent it,
	 * or this browser's copy had been in step with it before. Until then nothing toasts, so a
	 * notification dismissed elsewhere never flashes up on a device that has not heard yet.
	 */
	ready = $state(false);

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		this.#dismissed = doc.getMap(DISMISSED_KEY);
		this.#inbox = doc.getMap(INBOX_KEY);
		this.#dismissed.observe(this.#read);
		this.#inbox.observe(this.#read);
		this.#read();
	}

	/** Ids dismissed on any device. */
	isDismissed(id: string): boolean {
		return this.#ids.has(id);
	}

	/** The person's first visit to the board on any device; null until known. */
	get since(): number | null {
		return this.#since;
	}

	/**
	 * The document caught up with the server (or with a copy that had): from now on it says what
	 * the person dismissed elsewhere. Records the first visit at `now` if no device has yet.
	 */
	markReady(now: number): void {
		if (this.#since === null) {
			this.#doc.transact(() => this.#inbox.set('since', isoAt(now)));
		}
		this.ready = true;
	}

	/** Dismisses `ids` at `now` for this person everywhere; only new ones are written. */
	dismiss(ids: readonly string[], now: number): void {
		const fresh = ids.filter((id) => !this.#ids.has(id));
		if (fresh.length === 0) return;
		const at = isoAt(now);
		this.#doc.transact(() => {
			for (const id of fresh) this.#dismissed.set(id, at);
			const over = this.#dismissed.size - MAX_DISMISSED;
			if (over > 0) {
				const oldest = [...this.#dismissed.entries()]
					.sort(([a, x], [b, y]) => String(x).localeCompare(String(y)) || a.localeCompare(b))
					.slice(0, over);
				for (const [id] of oldest) this.#dismissed.delete(id);
			}
		});
	}

	destroy(): void {
		this.#dismissed.unobserve(this.#read);
		this.#inbox.unobserve(this.#read);
	}

	readonly #read = () => {
		for (const id of this.#ids) if (!this.#dismissed.has(id)) this.#ids.delete(id);
		for (const id of this.#dismissed.keys()) this.#ids.add(id);
		const since = Instant.safeParse(this.#inbox.get('since'));
		this.#since = since.success ? Date.parse(since.data) : null;
	};
}

/** An instant as the documents store it. */
function isoAt(ms: number): string {
	return new Date(ms).toISOString();
}
