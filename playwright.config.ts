import { defineConfig } from '@playwright/test';

// A fixed port so a stray dev server is noticed (reuseExistingServer is off) rather than tested;
// E2E_PORT moves it, so two checkouts can run their specs side by side.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
	testDir: 'test/e2e',
	// The pictures in docs/screenshots are rewritten only on request (SCREENSHOTS=1).
	testIgnore: process.env.SCREENSHOTS ? [] : ['**/screenshots.spec.ts'],
	// One worker: real-time tests share one server and its data directory (each its own board).
	workers: 1,
	fullyParallel: false,
	retries: 0,
	forbidOnly: !!process.env.CI,
	reporter: 'list',
	use: {
		baseURL: BASE_URL,
		trace: 'retain-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				browserName: 'chromium',
				launchOptions: {
					// Playwright's browser download is unreachable here; scripts/ensure-tools.js
					// provides the distribution's Chromium instead.
					executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
					args: [
						'--headless',
						'--no-sandbox',
						'--disable-gpu',
						'--disable-quic',
						'--no-first-run',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync'
					]
				}
			}
		}
	],
	webServer: {
		// The production entry, not `vite preview`: e2e tests must exercise the server we ship.
		// `npm run test:e2e` builds the app before Playwright starts this.
		command: 'npx tsx server/index.ts',
		url: `${BASE_URL}/healthz`,
		reuseExistingServer: false,
		// Stop it the way a container runtime does, so the shutdown path runs on every test run.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
		timeout: 60_000,
		stdout: 'pipe',
		stderr: 'pipe',
		env: {
			PORT: String(PORT),
			HOST: '127.0.0.1',
			// Inside Playwright's output directory, which it empties before starting the server,
			// so every run starts from an empty store.
			DATA_DIR: 'test-results/e2e-data',
			ORIGIN: BASE_URL,
			LOG_LEVEL: 'warn',
			// Every test makes a board of its own and invites its people (test/e2e/support.ts), all
			// from this one address: more API writes a minute than one person makes.
			API_WRITES_PER_MINUTE: '600',
			API_WRITE_BURST: '600',
			// The webhook spec's receiver listens on 127.0.0.1.
			WEBHOOKS_TO_PRIVATE: 'on'
		}
	}
});
