import { flushSync } from 'svelte';
import { describe, expect, test } from 'vitest';
import {
	MentionNotifications,
	type MentionItem
} from '../../../src/lib/state/mention-notices.svelte';
import { devices } from '../../helpers/personal-devices';

const HOUR = 3_600_000;
const FIRST_VISIT = Date.parse('2026-11-23T12:00:00.000Z');

const mention = (id: string, at: number): MentionItem => ({
	id,
	targetKind: 'story',
	targetId: 's1',
	authorId: 'ana',
	at: new Date(at).toISOString(),
	excerpt: 'hello @Ben',
	authorName: 'Ana',
	targetTitle: 'Checkout'
});

describe('mention notifications', () => {
	test('mentions from long before the first visit stay in the list but never toast', () => {
		const [inbox] = devices();
		inbox.markReady(FIRST_VISIT);
		const list = [mention('new', FIRST_VISIT + HOUR), mention('old', FIRST_VISIT - 48 * HOUR)];
		const mentions = new MentionNotifications(
			() => list,
			inbox,
			() => FIRST_VISIT
		);
		expect(mentions.all.map((m) => m.id)).toEqual(['new', 'old']);
		expect(mentions.unseen.map((m) => m.id)).toEqual(['new']);
	});

	test('a mention made just before the first visit still toasts', () => {
		const list = [mention('recent', FIRST_VISIT - 60_000)];
		const [inbox] = devices();
		inbox.markReady(FIRST_VISIT);
		const mentions = new MentionNotifications(
			() => list,
			inbox,
			() => FIRST_VISIT
		);
		expect(mentions.unseen).toHaveLength(1);
	});

	test('the first visit and what was dismissed are kept: a later page toasts only what is newer', () => {
		const [laptop, phone] = devices();
		laptop.markReady(FIRST_VISIT);
		let list = [mention('a', FIRST_VISIT + HOUR)];
		const first = new MentionNotifications(
			() => list,
			laptop,
			() => FIRST_VISIT
		);
		const seen: number[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(first.unseen.length);
			});
		});
		flushSync();
		first.markSeen(['a']);
		flushSync();
		stop();
		expect(seen).toEqual([1, 0]);

		// A week later, on another device: the first visit is still the one recorded.
		phone.markReady(FIRST_VISIT + 168 * HOUR);
		list = [mention('a', FIRST_VISIT + HOUR), mention('b', FIRST_VISIT + 2 * HOUR)];
		const later = new MentionNotifications(
			() => list,
			phone,
			() => FIRST_VISIT + 168 * HOUR
		);
		expect(later.unseen.map((m) => m.id)).toEqual(['b']);
	});
});
