/**
 * Keeps a SharedClock measured: once when a view opens, and again each time the connection comes
 * back (a laptop that slept may have drifted). Call it while a component initialises.
 */
import type { ConnectionStatus } from '../client/board-connection';
import { SharedClock } from './shared-clock.svelte';

/** A SharedClock measured now and after every reconnection, for as long as the caller lives. */
export function syncedClock(status: () => ConnectionStatus): SharedClock {
	const clock = new SharedClock();
	let wasConnected: boolean | null = null;
	$effect(() => {
		const connected = status() === 'connected';
		if (wasConnected === null || (connected && !wasConnected)) void clock.synchronize();
		wasConnected = connected;
	});
	return clock;
}
