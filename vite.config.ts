import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'node',
					include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
					exclude: ['test/unit/**/*.svelte.test.ts'],
					environment: 'node'
				}
			},
			{
				// Rune-based state classes: compiled for the client and run against Svelte's client
				// build, where effects and flushSync work (the SSR build makes both no-ops).
				extends: true,
				resolve: { conditions: ['browser'] },
				test: {
					name: 'runes',
					include: ['test/unit/**/*.svelte.test.ts'],
					environment: './test/helpers/client-environment.ts'
				}
			}
		]
	}
});
