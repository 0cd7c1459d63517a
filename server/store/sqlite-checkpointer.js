// Runs SQLite WAL checkpoints on a worker thread with its own connection. A checkpoint copies the
// WAL into the database file and fsyncs it; on the main thread that would stall every socket for
// milliseconds. Plain JavaScript so the worker starts the same with or without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma(`busy_timeout = ${workerData.busyTimeoutMs}`);

parentPort.on('message', (message) => {
	if (message === 'close') {
		db.close();
		parentPort.close();
		return;
	}
	try {
		// PASSIVE never waits for readers or the writer: whatever cannot be copied now is next time.
		const [result] = db.pragma('wal_checkpoint(PASSIVE)');
		parentPort.postMessage({ ok: true, result });
	} catch (error) {
		parentPort.postMessage({
			ok: false,
			error: error instanceof Error ? error.message : String(error)
		});
	}
});
