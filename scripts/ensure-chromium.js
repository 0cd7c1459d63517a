#!/usr/bin/env node
/**
 * Makes sure a Chromium binary exists for the Playwright e2e tests. Playwright's own browser
 * download is not reachable on our machines, so the tests use the distribution's Chromium
 * (see playwright.config.ts). As root (CI containers) it installs it; otherwise it says how.
 *
 * CHROMIUM_PATH points the tests at another binary; then this script only checks that it exists.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import process from 'node:process';

const DEFAULT_PATH = '/usr/bin/chromium';
const INSTALL_COMMAND =
	'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium';

/**
 * @param {string} file
 * @returns {boolean}
 */
function isExecutable(file) {
	try {
		accessSync(file, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** @param {string} message */
function fail(message) {
	console.error(`ensure-chromium: ${message}`);
	process.exit(1);
}

const customPath = process.env.CHROMIUM_PATH?.trim();
if (customPath) {
	if (isExecutable(customPath)) process.exit(0);
	fail(
		`CHROMIUM_PATH is set to ${customPath}, but no executable file is there.\n` +
			'Point CHROMIUM_PATH at a Chromium binary, or unset it to use ' +
			`${DEFAULT_PATH} (install it with: sudo apt-get install -y chromium).`
	);
}

if (isExecutable(DEFAULT_PATH)) process.exit(0);

// process.getuid is missing on Windows; there we cannot apt-get anyway.
if (process.getuid?.() !== 0) {
	fail(
		`Chromium is missing: the e2e tests need ${DEFAULT_PATH}.\n` +
			'Install it with:\n\n  sudo apt-get install -y chromium\n\n' +
			'or set CHROMIUM_PATH to an existing Chromium or Chrome binary.'
	);
}

console.log(`ensure-chromium: ${DEFAULT_PATH} is missing; installing it (${INSTALL_COMMAND})`);
const install = spawnSync('sh', ['-c', INSTALL_COMMAND], { stdio: 'inherit' });
if (install.error) fail(`could not run the install command: ${install.error.message}`);
if (install.status !== 0) {
	fail(
		`installing Chromium failed (exit code ${install.status ?? `signal ${install.signal}`}).\n` +
			`Run it yourself to see why: ${INSTALL_COMMAND}`
	);
}
if (!isExecutable(DEFAULT_PATH)) {
	fail(
		`the chromium package installed, but ${DEFAULT_PATH} still does not exist.\n` +
			'Set CHROMIUM_PATH to the installed binary (try: command -v chromium).'
	);
}
console.log(`ensure-chromium: installed ${DEFAULT_PATH}`);
