import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// One script for the whole client: pages are rendered in the browser, so a board's first
		// load would otherwise discover its route chunks one import after another. Measured with
		// `npm run bench -- ui` (BENCHMARKS.md, UI).
		output: { bundleStrategy: 'single' }
	}
};

export default config;
