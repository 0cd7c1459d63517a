/**
 * [D17] Contract 2 on a real server, with the official y-websocket client: a board stored the
 * contract 1 way is converted once as it loads, before anyone receives it; a client of contract
 * 1 that writes a plain string still works, and the server turns it into the field's Y.Text at
 * once, for everyone; two clients typing into one field through the server both keep their words.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import * as op from '../../src/lib/sync/operations';
import { currentText, typeText } from '../../src/lib/sync/shared-text';
import { BoardClient } from '../helpers/board-client';
import { CONTRACT_ONE_STORY, writeContractOneBoard } from '../helpers/contract-one';
import { fixedContext } from '../helpers/op-context';
import { eventually, startTestServer, synced, type TestServer } from '../helpers/server';

let server: TestServer;
const closers: (() => void)[] = [];

beforeEach(async () => {
	server = await startTestServer();
});

afterEach(async () => {
	for (const close of closers.splice(0)) close();
	await server.close();
});

async function open(boardId: string, name: string): Promise<BoardClient> {
	const client = await BoardClient.open(server, boardId, { personId: name, name });
	closers.push(() => client.destroy());
	await client.synced();
	return client;
}

describe('[D17] text on the server', () => {
	test('a board stored the contract 1 way reaches every client converted, and reads the same', async () => {
		const old = new Y.Doc();
		writeContractOneBoard(old, 'legacy');
		await server.store.append('legacy', Y.encodeStateAsUpdate(old));

		const ada = await open('legacy', 'ada');
		const story = ada.docs.collection('stories').get('s-1')!;
		// Converted before Ada received the board: her first state already holds the Y.Texts.
		expect(story.get('iWant')).toBeInstanceOf(Y.Text);
		expect(story.get('acceptanceCriteria')).toBeInstanceOf(Y.Text);
		expect(ada.docs.meta().get('schemaVersion')).toBe(2);
		const read = ada.projection.state.stories.get('s-1')!;
		expect(read.iWant).toBe(CONTRACT_ONE_STORY.iWant);
		expect(read.acceptanceCriteria).toEqual(CONTRACT_ONE_STORY.criteria);

		// Stored converted: a restart of the room finds nothing left to convert.
		const stored = await server.store.load('legacy');
		const reloaded = new Y.Doc();
		for (const update of stored.updates) Y.applyUpdate(reloaded, update);
		expect(reloaded.getMap('stories').get('s-1')).toBeInstanceOf(Y.Map);
		expect((reloaded.getMap('stories').get('s-1') as Y.Map<unknown>).get('soThat')).toBeInstanceOf(
			Y.Text
		);
	});

	test('a client of contract 1 writes a plain string; the server converts it at once for everyone', async () => {
		const ada = await open('acme', 'ada');
		op.createBoard(ada.docs, fixedContext('ada'), { name: 'Acme' });
		const story = op.createStory(ada.docs, fixedContext('ada'), { title: 'Checkout' });
		await ada.synced();

		// A third-party client written against contract 1, with plain yjs.
		const old = await server.connect('acme', { as: { personId: 'old', name: 'Old client' } });
		closers.push(() => old.destroy());
		await synced(old);
		const oldStory = old.doc.getMap('stories').get(story.id) as Y.Map<unknown>;
		oldStory.set('iWant', 'to pay with one tap');
		const criteria = new Y.Array<string>();
		criteria.push(['One tap', 'Receipt is e-mailed']);
		oldStory.set('acceptanceCriteria', criteria);

		const mine = () => ada.docs.collection('stories').get(story.id)!;
		await eventually(() => String(mine().get('iWant')) === 'to pay with one tap', {
			what: 'the plain string arrives'
		});
		await eventually(() => mine().get('iWant') instanceof Y.Text, { what: 'iWant converted' });
		await eventually(() => mine().get('acceptanceCriteria') instanceof Y.Text, {
			what: 'criteria converted'
		});
		expect((mine().get('iWant') as Y.Text).toString()).toBe('to pay with one tap');
		expect(ada.projection.state.stories.get(story.id)!.acceptanceCriteria).toEqual([
			'One tap',
			'Receipt is e-mailed'
		]);
		// The old client receives the conversion too, and reads the text with toString().
		await eventually(() => oldStory.get('iWant') instanceof Y.Text, { what: 'old client sees it' });
		expect(String(oldStory.get('iWant'))).toBe('to pay with one tap');
	});

	test('two people type into one field through the server: both keep their words', async () => {
		const ada = await open('acme', 'ada');
		op.createBoard(ada.docs, fixedContext('ada'), { name: 'Acme' });
		const story = op.createStory(ada.docs, fixedContext('ada'), { title: 'Checkout' });
		const field = { collection: 'stories', id: story.id, field: 'soThat' } as const;
		typeText(ada.docs, fixedContext('ada'), field, '', 'checkout is quick', 17);
		await ada.synced();
		const bea = await open('acme', 'bea');
		expect(currentText(bea.docs, field)).toBe('checkout is quick');

		// Both type before either has the other's change.
		typeText(
			ada.docs,
			fixedContext('ada'),
			field,
			'checkout is quick',
			'checkout is quick and safe',
			26
		);
		typeText(
			bea.docs,
			fixedContext('bea'),
			field,
			'checkout is quick',
			'every checkout is quick',
			6
		);
		const merged = 'every checkout is quick and safe';
		await eventually(() => currentText(ada.docs, field) === merged, { what: 'Ada has both' });
		await eventually(() => currentText(bea.docs, field) === merged, { what: 'Bea has both' });
	});
});
