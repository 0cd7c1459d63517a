/**
 * The connection state as a reactive value, for the indicator every board page shows.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { ConnectionStatus } from '../sync/connection/board-connection';

/** Anything that reports a status and says when it may have changed (a BoardConnection). */
export interface StatusSource {
	readonly status: ConnectionStatus;
	/** While offline, whose side the problem is on (the label says what the person can expect). */
	readonly offlineCause?: 'network' | 'server' | 'store' | null;
	onStatus(listener: () => void): () => void;
}

export class ConnectionState {
	readonly #source: StatusSource;
	readonly #subscribe: () => void;

	constructor(source: StatusSource) {
		this.#source = source;
		this.#subscribe = createSubscriber((update) => source.onStatus(update));
	}

	get current(): ConnectionStatus {
		this.#subscribe();
		return this.#source.status;
	}

	/** The words shown next to the dot. */
	get label(): string {
		const status = this.current;
		if (this.#source.offlineCause === 'store' && status !== 'connected') {
			return "Can't save right now: the server cannot reach its database. Your edits are kept in this browser and saved when it can.";
		}
		const labels: Record<ConnectionStatus, string> = {
			connected: 'Connected',
			syncing: 'Syncing…',
			offline:
				this.#source.offlineCause === 'server'
					? 'Offline: reconnecting to the server; edits are kept and sent when it answers'
					: 'Offline: edits are kept and sent when you are back',
			ended: 'Disconnected'
		};
		return labels[status];
	}
}
