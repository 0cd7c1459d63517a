import * as Y from 'yjs';
import { PersonalInbox } from '../../src/lib/state/personal-inbox.svelte';

/**
 * Two devices of one person: their personal documents exchange every update, as the server
 * relays it between the person's own connections.
 */
export function devices(): [PersonalInbox, PersonalInbox] {
	const a = new Y.Doc();
	const b = new Y.Doc();
	a.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'relay') Y.applyUpdate(b, update, 'relay');
	});
	b.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'relay') Y.applyUpdate(a, update, 'relay');
	});
	return [new PersonalInbox(a), new PersonalInbox(b)];
}
