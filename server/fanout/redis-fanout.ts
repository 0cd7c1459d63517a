/**
 * Fan-out between server instances over Redis pub/sub. Each document has a channel; a room
 * subscribes when it opens and unsubscribes when it closes. A room publishes an update once the
 * shared store has acknowledged it, with its sequence number; the other instances apply it and
 * relay it to their peers. Pub/sub delivers at most once, so a room notices a missing number and
 * reads the store (see Room), and after an outage every open room does.
 *
 * Presence crosses too: each instance publishes its peers' awareness changes, answers a newly
 * opened room's query with them, and sends a heartbeat; an instance not heard from for
 * `instanceTimeoutMs` (while this one is connected) is gone, and its peers' presence with it.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log';
import type { Fanout, FanoutRoom, RoomChannel } from '../relay/fanout';
import { decodeBusMessage, encodeBusMessage, type BusMessage } from './wire';

export interface RedisFanoutOptions {
	/** `redis://host:port/db`, as REDIS_URL gives it. */
	url: string;
	log: Logger;
	/** Unique per running instance; random unless given. */
	instanceId?: string;
	/** Prefix of every channel, so several deployments may share one Redis. */
	prefix?: string;
	/** How often this instance says it is alive, ms. */
	heartbeatMs?: number;
	/** An instance not heard from this long is gone, ms. */
	instanceTimeoutMs?: number;
	/** How long a room waits for its subscription before loading anyway, ms. */
	subscribeWaitMs?: number;
}

export class RedisFanout implements Fanout {
	readonly instanceId: string;
	readonly #log: Logger;
	readonly #prefix: string;
	readonly #instancesChannel: string;
	readonly #heartbeatMs: number;
	readonly #instanceTimeoutMs: number;
	readonly #subscribeWaitMs: number;
	/** Publishes; fails fast while disconnected (a missed update is read from the store later). */
	readonly #pub: Redis;
	/** Subscribes; resubscribed by hand after a reconnect, then every room catches up. */
	readonly #sub: Redis;
	/** Open rooms by channel. */
	readonly #rooms = new Map<string, Set<FanoutRoom>>();
	/** Subscriptions under way, by channel. */
	readonly #subscribing = new Map<string, Promise<void>>();
	/** Other instances by id, with when they were last heard from. */
	readonly #instances = new Map<string, number>();
	readonly #heartbeat: ReturnType<typeof setInterval>;
	#connected = false;
	#outageLogged = false;
	#closed = false;

	constructor(options: RedisFanoutOptions) {
		this.instanceId = options.instanceId ?? randomUUID();
		this.#log = options.log.child({ instance: this.instanceId });
		this.#prefix = options.prefix ?? 'scrumops';
		this.#instancesChannel = `${this.#prefix}:instances`;
		this.#heartbeatMs = options.heartbeatMs ?? 2_000;
		this.#instanceTimeoutMs = options.instanceTimeoutMs ?? 3 * this.#heartbeatMs;
		this.#subscribeWaitMs = options.subscribeWaitMs ?? 1_000;
		const common = {
			enableOfflineQueue: false,
			maxRetriesPerRequest: 1,
			// Back within a second of Redis being back, whatever the outage's length.
			retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000)
		};
		this.#pub = new Redis(options.url, { ...common, connectionName: `scrumops-pub` });
		this.#sub = new Redis(options.url, {
			...common,
			autoResubscribe: false,
			connectionName: `scrumops-sub`
		});
		for (const client of [this.#pub, this.#sub]) client.on('error', this.#onError);
		this.#sub.on('ready', () => void this.#onReady());
		this.#sub.on('close', this.#onClose);
		this.#sub.on('messageBuffer', this.#onMessage);
		this.#heartbeat = setInterval(this.#beat, this.#heartbeatMs);
		this.#heartbeat.unref();
	}

	/** Whether messages flow now. */
	get connected(): boolean {
		return this.#connected;
	}

	/** Other instances heard from lately. */
	get instances(): string[] {
		return [...this.#instances.keys()];
	}

	open(room: FanoutRoom): RoomChannel {
		const channel = this.#channelOf(room.name);
		let rooms = this.#rooms.get(channel);
		if (!rooms) this.#rooms.set(channel, (rooms = new Set()));
		rooms.add(room);
		const ready = this.#connected ? this.#subscribe(channel) : Promise.resolve();
		let waited = false;
		void ready.then(
			() => {
				if (!rooms.has(room)) return;
				this.#publish(channel, {
					type: 'awarenessQuery',
					instance: this.instanceId,
					document: room.name
				});
				// The room loaded without waiting: what was published meanwhile is in the store.
				if (waited) void room.catchUp('subscribed after loading');
			},
			() => {}
		);
		const isConnected = () => this.#connected;
		return {
			ready: new Promise<void>((resolve) => {
				const timer = setTimeout(() => {
					waited = true;
					resolve();
				}, this.#subscribeWaitMs);
				timer.unref();
				// A failed subscription is retried with every other on reconnect, then caught up.
				void ready
					.then(
						() => {},
						() => {}
					)
					.finally(() => {
						clearTimeout(timer);
						resolve();
					});
			}),
			get connected() {
				return isConnected();
			},
			publishUpdate: (seq, update) =>
				this.#publish(channel, {
					type: 'update',
					instance: this.instanceId,
					document: room.name,
					seq,
					update
				}),
			publishAwareness: (update) =>
				this.#publish(channel, {
					type: 'awareness',
					instance: this.instanceId,
					document: room.name,
					update
				}),
			publishAuthorship: (records) =>
				this.#publish(channel, {
					type: 'authorship',
					instance: this.instanceId,
					document: room.name,
					records
				}),
			close: () => {
				rooms.delete(room);
				if (rooms.size > 0 || this.#rooms.get(channel) !== rooms) return;
				this.#rooms.delete(channel);
				if (this.#connected) {
					this.#sub.unsubscribe(channel).catch((error: unknown) => {
						this.#log.debug('unsubscribing failed; the reconnect drops it', { channel, error });
					});
				}
			}
		};
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#heartbeat);
		if (this.#pub.status === 'ready') {
			await this.#pub
				.publish(
					this.#instancesChannel,
					Buffer.from(encodeBusMessage({ type: 'goodbye', instance: this.instanceId }))
				)
				.catch(() => {});
		}
		this.#sub.disconnect();
		await this.#pub.quit().catch(() => this.#pub.disconnect());
	}

	#channelOf(document: string): string {
		return `${this.#prefix}:doc:${document}`;
	}

	#subscribe(channel: string): Promise<void> {
		let subscribing = this.#subscribing.get(channel);
		if (!subscribing) {
			subscribing = this.#sub.subscribe(channel).then(
				() => {
					this.#subscribing.delete(channel);
				},
				(error: unknown) => {
					this.#subscribing.delete(channel);
					throw error;
				}
			);
			this.#subscribing.set(channel, subscribing);
		}
		return subscribing;
	}

	#publish(channel: string, message: BusMessage): void {
		if (this.#closed || this.#pub.status !== 'ready') return;
		this.#pub.publish(channel, Buffer.from(encodeBusMessage(message))).catch((error: unknown) => {
			// Lost: the receivers notice the missing number and read the store.
			this.#log.debug('publishing failed', { channel, error });
		});
	}

	/**
	 * Connected (again): subscribe to every open room's channel, then let each room read the
	 * store for what it missed, and tell the others who is here. Subscribing first means
	 * nothing published after the read is missed.
	 */
	readonly #onReady = async (): Promise<void> => {
		if (this.#closed) return;
		try {
			await this.#sub.subscribe(this.#instancesChannel, ...this.#rooms.keys());
		} catch (error) {
			this.#log.warn('subscribing after connecting failed; retrying on the next connection', {
				error
			});
			return;
		}
		const wasOutage = this.#outageLogged;
		this.#connected = true;
		this.#outageLogged = false;
		// Others were not heard from while this instance was away: give them a full timeout.
		const now = Date.now();
		for (const id of this.#instances.keys()) this.#instances.set(id, now);
		if (wasOutage) this.#log.info('connected to Redis again; catching up every open room');
		this.#beat();
		for (const [channel, rooms] of this.#rooms) {
			for (const room of rooms) {
				void room.catchUp('reconnected to Redis');
				const presence = room.localAwareness();
				if (presence) {
					this.#publish(channel, {
						type: 'awareness',
						instance: this.instanceId,
						document: room.name,
						update: presence
					});
				}
				this.#publish(channel, {
					type: 'awarenessQuery',
					instance: this.instanceId,
					document: room.name
				});
			}
		}
	};

	readonly #onClose = (): void => {
		if (!this.#connected) return;
		this.#connected = false;
		if (!this.#closed) {
			this.#outageLogged = true;
			this.#log.warn(
				'lost the connection to Redis; serving this instance’s peers only until it is back'
			);
		}
	};

	readonly #onError = (error: Error): void => {
		// ioredis reports every failed reconnection attempt; the outage is logged once (#onClose).
		this.#log.debug('redis connection error', { error: error.message });
	};

	readonly #beat = (): void => {
		if (this.#closed || !this.#connected) return;
		this.#publish(this.#instancesChannel, { type: 'heartbeat', instance: this.instanceId });
		const deadline = Date.now() - this.#instanceTimeoutMs;
		for (const [id, seen] of this.#instances) {
			if (seen < deadline) this.#drop(id, 'not heard from');
		}
	};

	#drop(instance: string, why: string): void {
		if (!this.#instances.delete(instance)) return;
		this.#log.info('another instance is gone; removing its people’s presence', { instance, why });
		for (const rooms of this.#rooms.values()) for (const room of rooms) room.dropInstance(instance);
	}

	readonly #onMessage = (channelBytes: Buffer, bytes: Buffer): void => {
		const message = decodeBusMessage(new Uint8Array(bytes));
		if (!message || message.instance === this.instanceId) return;
		if (message.type === 'goodbye') {
			this.#drop(message.instance, 'shut down');
			return;
		}
		this.#instances.set(message.instance, Date.now());
		if (message.type === 'heartbeat') return;
		const channel = channelBytes.toString();
		if (channel !== this.#channelOf(message.document)) return;
		for (const room of this.#rooms.get(channel) ?? []) {
			switch (message.type) {
				case 'update':
					room.applyRemote(message.seq, message.update);
					break;
				case 'awareness':
					room.applyRemoteAwareness(message.update, message.instance);
					break;
				case 'authorship':
					room.applyRemoteAuthorship(message.records);
					break;
				case 'awarenessQuery': {
					const presence = room.localAwareness();
					if (presence) {
						this.#publish(channel, {
							type: 'awareness',
							instance: this.instanceId,
							document: room.name,
							update: presence
						});
					}
					break;
				}
			}
		}
	};
}
