/**
 * Which sequence numbers of a document's log a room holds. With several instances appending to
 * one store, the store hands out the numbers and a room learns them out of order: its own
 * appends as they become durable, the others' as they arrive over the bus. A room may fold its
 * log into a snapshot only through `contiguous`, or it would drop an update it never received.
 */
export class AppliedSeqs {
	#contiguous: number;
	/** Numbers applied above `contiguous`, with a gap below them. */
	readonly #above = new Set<number>();

	/** Every number through `through` is applied (what a load from the store brought). */
	constructor(through = 0) {
		this.#contiguous = through;
	}

	/** The highest number with every number up to it applied. */
	get contiguous(): number {
		return this.#contiguous;
	}

	/** The highest number applied. */
	get highest(): number {
		let highest = this.#contiguous;
		for (const seq of this.#above) highest = Math.max(highest, seq);
		return highest;
	}

	/** Whether a number below `highest` is missing. */
	get hasGap(): boolean {
		return this.#above.size > 0;
	}

	has(seq: number): boolean {
		return seq <= this.#contiguous || this.#above.has(seq);
	}

	/** Records one applied number; false when it was applied already. */
	add(seq: number): boolean {
		if (this.has(seq)) return false;
		this.#above.add(seq);
		this.#advance();
		return true;
	}

	/** Records that every number through `seq` is applied (after a load from the store). */
	addThrough(seq: number): void {
		if (seq <= this.#contiguous) return;
		this.#contiguous = seq;
		for (const above of this.#above) if (above <= seq) this.#above.delete(above);
		this.#advance();
	}

	/** The missing numbers below `highest`, at most `limit` of them (for logs). */
	missing(limit = 10): number[] {
		const missing: number[] = [];
		const highest = this.highest;
		for (let seq = this.#contiguous + 1; seq < highest && missing.length < limit; seq++) {
			if (!this.#above.has(seq)) missing.push(seq);
		}
		return missing;
	}

	#advance(): void {
		while (this.#above.delete(this.#contiguous + 1)) this.#contiguous++;
	}
}
