/**
 * A vitest environment that is plain Node but transforms modules as the browser client does, so
 * Svelte compiles rune modules for the client and effects really run (no DOM is needed for
 * state classes).
 */
import type { Environment } from 'vitest/environments';

export default {
	name: 'svelte-client',
	viteEnvironment: 'client',
	setup() {
		return { teardown() {} };
	}
} satisfies Environment;
