/**
 * Child process for the store's kill -9 test: appends real Yjs updates to a SqliteStore as fast
 * as it can and prints `ack <seq> <base64 update>` for each append once it has resolved, i.e.
 * once the store called it durable. The test kills this process and checks every printed ack.
 *
 * Usage: node --import tsx test/helpers/store-writer.ts <dir> <document name> [count]
 * Update i (from 0) pushes the number i onto the array `log`, so seq i + 1 holds it. With a
 * count, it stops after that many appends, closes the store and prints `closed`.
 */
import * as Y from 'yjs';
import { SqliteStore } from '../../server/store/sqlite';

// A writer orphaned by a crashed test run must not spin forever.
const GIVE_UP_AFTER_MS = 60_000;

async function main(dir: string, name: string, count: number): Promise<void> {
	const store = SqliteStore.open(dir);
	const doc = new Y.Doc();
	const log = doc.getArray<number>('log');
	const pending: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => pending.push(update));

	const stopAt = Date.now() + GIVE_UP_AFTER_MS;
	for (let round = 0; log.length < count && Date.now() < stopAt; round++) {
		// 1 to 8 appends in the same tick, so the kill can land inside a group commit.
		for (let i = 0; i < (round % 8) + 1; i++) log.push([log.length]);
		const batch = pending.splice(0);
		await Promise.all(
			batch.map(async (update) => {
				const seq = await store.append(name, update);
				process.stdout.write(`ack ${seq} ${Buffer.from(update).toString('base64')}\n`);
			})
		);
	}
	await store.close();
	process.stdout.write('closed\n');
}

const [dir, name, count] = process.argv.slice(2);
if (!dir || !name) {
	process.stderr.write(
		'Usage: node --import tsx test/helpers/store-writer.ts <dir> <name> [count]\n'
	);
	process.exit(2);
}
main(dir, name, count === undefined ? Infinity : Number(count)).catch((error: unknown) => {
	process.stderr.write(`store-writer failed: ${String(error)}\n`);
	process.exit(1);
});
