/**
 * Only its author changes a comment (docs/schema.md D6.13): the server refuses, per connection,
 * an update that writes a comment in someone else's name or changes, withdraws or removes
 * another person's comment, and nothing of it is stored or relayed. Real server, real sockets,
 * real SQLite, the official client.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { deniedReasons } from '../helpers/denied';
import { fixedContext } from '../helpers/op-context';
import { storedDoc } from '../helpers/contract-shape';
import { eventually, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
const closers: (() => void)[] = [];

beforeEach(async () => {
	server = await startTestServer();
});

afterEach(async () => {
	for (const close of closers.splice(0)) close();
	vi.restoreAllMocks();
	await server.close();
});

/** A board with a story, Ana and Mallory on it; each with their own connection. */
async function board() {
	const admin = await BoardClient.open(server, 'acme');
	closers.push(() => admin.destroy());
	await admin.synced();
	const ctx = fixedContext('ada');
	op.createBoard(admin.docs, ctx, { name: 'Acme' });
	op.addPerson(admin.docs, ctx, { id: 'ana', name: 'Ana', roles: ['team-member'] });
	op.addPerson(admin.docs, ctx, { id: 'mallory', name: 'Mallory', roles: ['team-member'] });
	const story = op.createStory(admin.docs, ctx, { title: 'Checkout' });
	await admin.synced();
	const open = async (personId: string, name: string) => {
		const client = await BoardClient.open(server, 'acme', { personId, name });
		closers.push(() => client.destroy());
		await client.synced();
		await eventually(() => client.docs.collection('stories').has(story.id), { what: 'board' });
		return client;
	};
	return { admin, story, ana: await open('ana', 'Ana'), mallory: await open('mallory', 'Mallory') };
}

async function metric(name: string, labels: string): Promise<number> {
	const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
	const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
	return line ? Number(line.split(' ').pop()) : 0;
}

const bodyOf = (docs: BoardDocs, id: string) =>
	(docs.collection('comments').get(id) as Y.Map<unknown> | undefined)?.get('body');

describe('[D6.13] the server keeps comments to their authors', () => {
	test('another member cannot edit, withdraw, remove or forge a comment; the author can edit', async () => {
		const { story, ana, mallory } = await board();
		const denied = deniedReasons();
		const comment = op.addComment(ana.docs, fixedContext('c', 'ana'), {
			targetKind: 'story',
			targetId: story.id,
			body: 'Ready for review @Mallory',
			mentions: ['mallory']
		});
		await eventually(() => bodyOf(mallory.docs, comment.id) === 'Ready for review @Mallory', {
			what: 'the comment reaches Mallory'
		});

		// The operation refuses first: the app never sends such an edit.
		expect(() =>
			op.editComment(mallory.docs, fixedContext('m', 'mallory'), comment.id, { body: 'Mine now' })
		).toThrow(/Only Ana can change this comment/);

		// A client that writes anyway, with yjs alone, is refused by the server.
		const entity = () => mallory.docs.collection('comments').get(comment.id) as Y.Map<unknown>;
		entity().set('body', 'Forged');
		await eventually(() => denied().length === 1, { what: 'first refusal' });
		expect(denied()[0]).toBe(
			`comments/${comment.id}: only its author may change a comment; reply to it instead`
		);
		await eventually(() => bodyOf(mallory.docs, comment.id) === 'Ready for review @Mallory', {
			what: "the sender's copy drops the edit"
		});

		(entity().get('mentions') as Y.Map<unknown>).delete('mallory');
		await eventually(() => denied().length === 2, { what: 'second refusal' });
		await eventually(() => (entity().get('mentions') as Y.Map<unknown>).has('mallory'), {
			what: 'the mention comes back'
		});

		// Two refusals so far; the third would close the connection: a fresh one forges a comment.
		const forger = await BoardClient.open(server, 'acme', { personId: 'mallory', name: 'Mallory' });
		closers.push(() => forger.destroy());
		await forger.synced();
		forger.docs.board.transact(() => {
			const forged = new Y.Map<unknown>();
			for (const [key, value] of Object.entries({
				id: 'forged',
				targetKind: 'story',
				targetId: story.id,
				parentId: null,
				authorId: 'ana',
				body: 'I quit',
				createdAt: new Date().toISOString(),
				editedAt: null
			}))
				forged.set(key, value);
			forged.set('mentions', new Y.Map());
			forger.docs.collection('comments').set('forged', forged);
		});
		await eventually(() => denied().length === 3, { what: 'forgery refused' });
		expect(denied()[2]).toBe(
			'comments/forged: a new comment names its author, the person sending it (mallory)'
		);
		await eventually(() => !forger.docs.collection('comments').has('forged'), {
			what: 'the forgery leaves the sender'
		});

		// The author edits; a reply of one's own goes through; nobody saw the refused changes.
		op.editComment(ana.docs, fixedContext('c2', 'ana'), comment.id, { body: 'Reviewed, thanks' });
		const reply = op.addComment(forger.docs, fixedContext('r', 'mallory'), {
			targetKind: 'story',
			targetId: story.id,
			parentId: comment.id,
			body: 'Thanks!'
		});
		await eventually(() => bodyOf(ana.docs, reply.id) === 'Thanks!', { what: 'reply relayed' });
		await eventually(() => bodyOf(forger.docs, comment.id) === 'Reviewed, thanks', {
			what: 'edit relayed'
		});
		expect(ana.docs.collection('comments').has('forged')).toBe(false);
		const stored = await storedDoc(server.store, 'acme');
		const storedComment = stored.getMap('comments').get(comment.id) as Y.Map<unknown>;
		expect(storedComment.get('body')).toBe('Reviewed, thanks');
		expect(stored.getMap('comments').has('forged')).toBe(false);
		expect(await metric('scrumops_updates_refused_total', 'reason="author"')).toBe(3);
		expect(ana.projection.state.comments.get(comment.id)).toMatchObject({
			authorId: 'ana',
			mentions: [],
			editedAt: expect.any(String)
		});
	});

	test('removing or withdrawing someone else’s comment is refused; withdrawing one’s own is not', async () => {
		const { story, ana, mallory } = await board();
		const denied = deniedReasons();
		const comment = op.addComment(ana.docs, fixedContext('c', 'ana'), {
			targetKind: 'story',
			targetId: story.id,
			body: 'First'
		});
		await eventually(() => bodyOf(mallory.docs, comment.id) === 'First');

		mallory.docs.collection('comments').delete(comment.id);
		await eventually(() => denied().length === 1, { what: 'removal refused' });
		await eventually(() => bodyOf(mallory.docs, comment.id) === 'First', { what: 'restored' });

		op.deleteComment(ana.docs, fixedContext('d', 'ana'), comment.id);
		await eventually(() => mallory.projection.state.comments.get(comment.id)?.deletedAt !== null, {
			what: 'withdrawal relayed'
		});
		expect(mallory.projection.state.comments.get(comment.id)?.body).toBe('');
		expect(denied()).toHaveLength(1);
	});
});
