/**
 * The seam between rooms and the other server instances serving the same documents. A room
 * publishes what it has stored and the presence of its own peers; it applies what the other
 * instances publish. Implemented over Redis (server/fanout/redis-fanout.ts); without one, a room
 * serves its own peers only, as a single instance does.
 */

/** What the bus calls on an open room. */
export interface FanoutRoom {
	readonly name: string;
	/** Another instance stored this update as `seq`: apply it (not stored again) and relay it. */
	applyRemote(seq: number, update: Uint8Array): void;
	/** Presence of another instance's peers: apply it and relay it to this room's peers. */
	applyRemoteAwareness(update: Uint8Array, instance: string): void;
	/** The presence of this instance's own peers, encoded; null when there is none. */
	localAwareness(): Uint8Array | null;
	/** Reads the store and applies what this room lacks (messages were missed). */
	catchUp(reason: string): Promise<void>;
	/** Another instance is gone: its peers' presence is removed here. */
	dropInstance(instance: string): void;
	/** Authorship records another instance's peers caused (JSON), for the board's voice. */
	applyRemoteAuthorship(records: string): void;
}

/** A room's subscription to its document's channel. */
export interface RoomChannel {
	/**
	 * Resolves once the room receives what other instances publish (or the bus is down, or slow:
	 * then the room catches up from the store as soon as it is subscribed). A room loads from
	 * the store after this, so nothing published meanwhile falls between the load and the first
	 * message.
	 */
	readonly ready: Promise<void>;
	/** Whether messages flow now; while not, gaps wait for the bus to come back. */
	readonly connected: boolean;
	/** Tells the other instances an update is stored as `seq`. */
	publishUpdate(seq: number, update: Uint8Array): void;
	/** Tells the other instances about presence changes of this instance's peers. */
	publishAwareness(update: Uint8Array): void;
	/** Hands authorship records (JSON) to the instance that speaks for the board. */
	publishAuthorship(records: string): void;
	/** Unsubscribes (the room closed). */
	close(): void;
}

export interface Fanout {
	/** This instance's id on the bus; messages carrying it are its own and ignored. */
	readonly instanceId: string;
	/** Subscribes a room that just opened to its document's channel. */
	open(room: FanoutRoom): RoomChannel;
	/** Says goodbye to the other instances and disconnects. */
	close(): Promise<void>;
}
