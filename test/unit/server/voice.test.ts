/**
 * One voice per board, on the in-memory store: leases decide which of several instances writes
 * a board's findings, a stopped instance hands over at once, and one whose renewals fail falls
 * silent before its lease runs out in the store.
 */
import { afterEach, expect, test } from 'vitest';
import { createLogger } from '../../../server/log';
import { MemoryStore } from '../../../server/store/memory';
import type { DocumentStore } from '../../../server/store/store';
import { StoreUnavailableError } from '../../../server/store/store';
import { LeasedVoices, SoleVoices, type Voice } from '../../../server/validation/voice';
import { eventually } from '../../helpers/server';

const log = createLogger({ level: 'error' });
const opened: LeasedVoices[] = [];

afterEach(async () => {
	for (const voices of opened.splice(0)) await voices.close();
});

function instance(store: DocumentStore, id: string, ttlMs = 600, renewMs = 100): LeasedVoices {
	const voices = new LeasedVoices({ store, instanceId: id, log, ttlMs, renewMs });
	opened.push(voices);
	return voices;
}

const speakingOf = (voices: Voice[]) => voices.map((voice) => voice.speaking);

test('alone, an instance speaks for every board without a lease', () => {
	const voice = new SoleVoices().join('acme');
	expect(voice.speaking).toBe(true);
	expect(voice.origin('publishFindings')).toEqual({
		kind: 'server-repair',
		actorId: null,
		intent: 'publishFindings'
	});
});

test('of three instances with a board open, exactly one speaks, and its writes carry the fence', async () => {
	const store = new MemoryStore();
	const voices = ['a', 'b', 'c'].map((id) => instance(store, id).join('acme'));
	await eventually(() => speakingOf(voices).filter(Boolean).length === 1, {
		what: 'one speaker'
	});
	const speaker = voices.find((voice) => voice.speaking)!;
	expect(speaker.origin('publishFindings')).toMatchObject({
		kind: 'server-repair',
		fence: { lease: 'acme', token: 1 }
	});
	for (const other of voices.filter((voice) => voice !== speaker)) {
		expect(other.origin('publishFindings')).toBeNull();
	}
});

test('an instance that stops lets its leases go, and another speaks at once with a new token', async () => {
	const store = new MemoryStore();
	const first = instance(store, 'a', 60_000, 1_000);
	const firstVoice = first.join('acme');
	await eventually(() => firstVoice.speaking, { what: 'the first instance speaks' });
	const second = instance(store, 'b', 60_000, 1_000).join('acme');
	const changes: boolean[] = [];
	second.onChange((speaking) => changes.push(speaking));
	await first.close();
	// Not the 60 s lease time: the stopped instance let it go.
	await eventually(() => second.speaking, { timeoutMs: 3_000, what: 'the second speaks' });
	expect(changes).toEqual([true]);
	expect(second.origin('x')?.fence).toEqual({ lease: 'acme', token: 2 });
});

test('an instance whose renewals fail falls silent before the store gives its lease away', async () => {
	const inner = new MemoryStore();
	let down = false;
	const store = new Proxy(inner, {
		get(target, key) {
			if (key === 'claimLeases' && down) {
				return () => Promise.reject(new StoreUnavailableError());
			}
			const value = Reflect.get(target, key) as unknown;
			return typeof value === 'function' ? value.bind(target) : value;
		}
	}) as DocumentStore;
	const cutOff = instance(store, 'a').join('acme');
	await eventually(() => cutOff.speaking, { what: 'it speaks' });
	down = true;
	// Another instance with the board open takes the lease once the store lets it go.
	const other = instance(inner, 'b').join('acme');
	let stale: unknown = 'not asked';
	other.onChange((speaking) => {
		// The moment it may speak, the cut-off one can no longer write.
		if (speaking) stale = cutOff.origin('publishFindings');
	});
	await eventually(() => other.speaking, { timeoutMs: 3_000, what: 'another takes over' });
	expect(stale).toBeNull();
	expect(cutOff.speaking).toBe(false);
});

test('an instance whose renewal hangs falls silent by itself when its lease time runs out', async () => {
	const inner = new MemoryStore();
	let stalled = false;
	const store = new Proxy(inner, {
		get(target, key) {
			if (key === 'claimLeases' && stalled) return () => new Promise(() => {});
			const value = Reflect.get(target, key) as unknown;
			return typeof value === 'function' ? value.bind(target) : value;
		}
	}) as DocumentStore;
	const voice = instance(store, 'a').join('acme');
	const changes: boolean[] = [];
	voice.onChange((speaking) => changes.push(speaking));
	await eventually(() => voice.speaking, { what: 'it speaks' });
	stalled = true;
	// Nobody asks it to write: it still says it is silent once its time is up.
	await eventually(() => !voice.speaking, { timeoutMs: 5_000, what: 'it falls silent' });
	expect(changes).toEqual([true, false]);
});
