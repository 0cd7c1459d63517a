/** Process lifecycle: stop cleanly on SIGTERM or SIGINT, exit 0 once everything is stored. */
import type { Logger } from './log';

export function stopOnSignals(stop: () => Promise<void>, log: Logger): void {
	let stopping = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		log.info('shutting down', { signal });
		stop().then(
			() => {
				log.info('stopped');
				process.exit(0);
			},
			(error: unknown) => {
				log.error('shutdown failed', { error });
				process.exit(1);
			}
		);
	};
	process.once('SIGTERM', onSignal);
	process.once('SIGINT', onSignal);
}
