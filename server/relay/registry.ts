/**
 * The rooms in memory, by document name. A room is created on first use and unloaded once its
 * last peer and holder are gone and its changes are stored.
 */
import type { Logger } from '../log';
import type { DocumentStore } from '../store/store';
import type { ShapeLimits } from '../../src/lib/sync/shape/contract';
import type { Fanout } from './fanout';
import { Room, type RoomEvents } from './room';

export interface RegistryOptions {
	store: DocumentStore;
	log: Logger;
	events?: Partial<RoomEvents>;
	compactEvery?: number;
	shapeLimits?: ShapeLimits;
	/** The other instances serving the same documents (Redis); none: this instance is alone. */
	fanout?: Fanout;
	gapWaitMs?: number;
	/** Called for every new room, e.g. to attach validation; may return a teardown. */
	onRoomCreated?: (room: Room) => (() => void) | void;
}

export class RoomRegistry {
	readonly #rooms = new Map<string, Room>();
	readonly #teardowns = new Map<Room, () => void>();
	readonly #options: RegistryOptions;
	readonly #closing = new Set<Promise<unknown>>();

	constructor(options: RegistryOptions) {
		this.#options = options;
	}

	/**
	 * The room of a document, created (and starting to load) if needed. The caller must join or
	 * hold it right away, or it is unloaded at the next idle check.
	 */
	acquire(name: string): Room {
		const existing = this.#rooms.get(name);
		if (existing && existing.state !== 'closed') return existing;
		const room = new Room(name, {
			store: this.#options.store,
			log: this.#options.log,
			events: this.#options.events,
			compactEvery: this.#options.compactEvery,
			shapeLimits: this.#options.shapeLimits,
			fanout: this.#options.fanout,
			gapWaitMs: this.#options.gapWaitMs
		});
		room.onIdle = (idle) => this.#unload(idle);
		this.#rooms.set(name, room);
		const teardown = this.#options.onRoomCreated?.(room);
		if (teardown) this.#teardowns.set(room, teardown);
		room.loaded.catch((error: unknown) => {
			this.#options.log.error('loading a document failed', { room: name, error });
		});
		return room;
	}

	/** The room if it is in memory. */
	get(name: string): Room | undefined {
		const room = this.#rooms.get(name);
		return room && room.state !== 'closed' ? room : undefined;
	}

	get size(): number {
		return this.#rooms.size;
	}

	rooms(): IterableIterator<Room> {
		return this.#rooms.values();
	}

	/** Stores and unloads every room (shutdown). */
	async closeAll(): Promise<void> {
		await Promise.all([...this.#rooms.values()].map((room) => this.#close(room)));
		await Promise.all([...this.#closing]);
	}

	#unload(room: Room): void {
		if (room.state === 'closed') {
			this.#forget(room);
			return;
		}
		if (room.state === 'closing') return;
		const closing = this.#close(room);
		this.#closing.add(closing);
		void closing.finally(() => this.#closing.delete(closing));
	}

	async #close(room: Room): Promise<void> {
		// Validation holds team rooms; let go of them before the room itself closes.
		const teardown = this.#teardowns.get(room);
		this.#teardowns.delete(room);
		teardown?.();
		const closed = await room.close();
		if (closed) this.#forget(room);
		else {
			// Someone arrived while it was closing: it stays, with validation attached again.
			const again = this.#options.onRoomCreated?.(room);
			if (again) this.#teardowns.set(room, again);
		}
	}

	#forget(room: Room): void {
		if (this.#rooms.get(room.name) === room) this.#rooms.delete(room.name);
		const teardown = this.#teardowns.get(room);
		this.#teardowns.delete(room);
		teardown?.();
	}
}
