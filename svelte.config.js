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
		output: { bundleStrategy: 'single' },
		// Every page's Content-Security-Policy: scripts only from this origin (SvelteKit's own
		// inline start-up script by nonce), connections only back to it (the API and the board's
		// WebSocket), no plugins, and no framing by other sites. Inline styles stay allowed:
		// components set widths and colours through style attributes.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
