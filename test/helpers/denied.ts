import { vi } from 'vitest';

/**
 * Permission-denied reasons the official y-websocket client reports from now on (it warns on
 * the console, which this silences); call the result to read them. Restore with
 * `vi.restoreAllMocks()`.
 */
export function deniedReasons(): () => string[] {
	const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
	return () =>
		warn.mock.calls
			.map((args) => String(args[0]))
			.filter((line) => line.startsWith('Permission denied'))
			.map((line) => line.split('\n').slice(1).join('\n'));
}
