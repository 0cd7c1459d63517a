/**
 * Which store the server opens from its environment: SQLite in DATA_DIR unless DATABASE_URL
 * names a PostgreSQL database, and where the token secret then comes from.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openPersistence, parseDatabaseUrl, type Persistence } from '../../server/persistence';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

const SECRET = 'a-secret-from-the-environment-0123456789';

describe('choosing the store', () => {
	const opened: Persistence[] = [];
	const cleanups: (() => Promise<void>)[] = [];
	afterEach(async () => {
		for (const persistence of opened.splice(0)) await persistence.store.close();
		for (const cleanup of cleanups.splice(0)) await cleanup();
	});

	async function database(): Promise<TestDatabase> {
		const created = await createTestDatabase();
		cleanups.push(() => created.drop());
		return created;
	}

	async function dataDir(): Promise<string> {
		const dir = await mkdtemp(join(tmpdir(), 'scrumops-persistence-'));
		cleanups.push(() => rm(dir, { recursive: true, force: true }));
		return dir;
	}

	test.each([
		[undefined, null],
		['', null],
		['  ', null],
		['postgres://u:p@db:5432/scrumops', 'postgres://u:p@db:5432/scrumops'],
		['postgresql://db/scrumops', 'postgresql://db/scrumops']
	])('DATABASE_URL %j selects %j', (value, expected) => {
		expect(parseDatabaseUrl({ DATABASE_URL: value })).toBe(expected);
	});

	test.each([
		['mysql://db/scrumops', /only PostgreSQL is supported/],
		['db.internal:5432', /only PostgreSQL is supported/],
		['not a url', /DATABASE_URL is not a URL/]
	])('DATABASE_URL %j is refused with a sentence', (value, message) => {
		expect(() => parseDatabaseUrl({ DATABASE_URL: value })).toThrow(message);
	});

	test('without DATABASE_URL: SQLite and secret.key in DATA_DIR, as before', async () => {
		const dir = await dataDir();
		const persistence = await openPersistence({ databaseUrl: null, dataDir: dir }, {});
		opened.push(persistence);
		expect(persistence.where).toEqual({ store: 'sqlite', file: join(dir, 'scrumops.db') });
		expect(persistence.secret.source).toBe('generated');
		const file = (await readFile(join(dir, 'secret.key'), 'utf8')).trim();
		expect(new TextDecoder().decode(persistence.secret.key)).toBe(file);
		expect((await persistence.store.health()).kind).toBe('sqlite');
	});

	test('with DATABASE_URL: everything in PostgreSQL, one secret for every instance, DATA_DIR untouched', async () => {
		const db = await database();
		const dir = join(await dataDir(), 'unused');
		const config = { databaseUrl: db.url, dataDir: dir };
		const [a, b] = await Promise.all([openPersistence(config, {}), openPersistence(config, {})]);
		opened.push(a, b);
		expect(a.where).toEqual({ store: 'postgres', database: `127.0.0.1:5432/${db.name}` });
		expect(a.secret.key).toEqual(b.secret.key);
		expect([a.secret.source, b.secret.source].sort()).toEqual(['database', 'generated']);
		expect(await a.members.createBoard({ id: 'acme', name: 'Acme', createdAt: 1 })).toBe(true);
		expect(await b.members.board('acme')).toMatchObject({ name: 'Acme' });
		await expect(readFile(join(dir, 'secret.key'))).rejects.toThrow(/ENOENT/);
	});

	test('with DATABASE_URL and SCRUMOPS_SECRET: the given secret, none stored', async () => {
		const db = await database();
		const persistence = await openPersistence(
			{ databaseUrl: db.url, dataDir: await dataDir() },
			{ SCRUMOPS_SECRET: SECRET }
		);
		opened.push(persistence);
		expect(persistence.secret).toEqual({
			key: new TextEncoder().encode(SECRET),
			source: 'environment'
		});
	});
});
