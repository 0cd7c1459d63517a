#!/usr/bin/env node
/**
 * Makes sure the system programs the tests run as real peers exist: Chromium for the browser
 * tests (Playwright's own browser download is not reachable on our machines, so they use the
 * distribution's, see playwright.config.ts) and HAProxy, the load balancer in front of several
 * instances, and Prometheus Alertmanager, which posts real notifications to the alert intake. As
 * root (CI containers) it installs what is missing with apt; otherwise it says how.
 *
 * Usage: node scripts/ensure-tools.js chromium haproxy alertmanager
 *
 * CHROMIUM_PATH, HAPROXY_PATH and ALERTMANAGER_PATH point the tests at other binaries; then this
 * script only checks that they exist.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import process from 'node:process';

/** @type {Record<string, { path: string; env: string; pkg: string; label: string }>} */
const TOOLS = {
	chromium: { path: '/usr/bin/chromium', env: 'CHROMIUM_PATH', pkg: 'chromium', label: 'Chromium' },
	haproxy: { path: '/usr/sbin/haproxy', env: 'HAPROXY_PATH', pkg: 'haproxy', label: 'HAProxy' },
	alertmanager: {
		path: '/usr/bin/prometheus-alertmanager',
		env: 'ALERTMANAGER_PATH',
		pkg: 'prometheus-alertmanager',
		label: 'Prometheus Alertmanager'
	}
};

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

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
	console.error(`ensure-tools: ${message}`);
	process.exit(1);
}

const names = process.argv.slice(2);
if (names.length === 0) fail(`name the tools to check, among: ${Object.keys(TOOLS).join(', ')}`);
const tools = names.map((name) => {
	const tool = TOOLS[name];
	if (!tool) fail(`no tool named ${name}; the tools are: ${Object.keys(TOOLS).join(', ')}`);
	return tool;
});

/** @type {typeof tools} */
const missing = [];
for (const tool of tools) {
	const custom = process.env[tool.env]?.trim();
	if (custom) {
		if (!isExecutable(custom)) {
			fail(
				`${tool.env} is set to ${custom}, but no executable file is there.\n` +
					`Point ${tool.env} at a ${tool.label} binary, or unset it to use ${tool.path} ` +
					`(install it with: sudo apt-get install -y ${tool.pkg}).`
			);
		}
	} else if (!isExecutable(tool.path)) {
		missing.push(tool);
	}
}
if (missing.length === 0) process.exit(0);

const packages = missing.map((tool) => tool.pkg).join(' ');
const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages}`;
// process.getuid is missing on Windows; there we cannot apt-get anyway.
if (process.getuid?.() !== 0) {
	fail(
		`the tests need ${missing.map((tool) => tool.path).join(' and ')}.\n` +
			`Install with:\n\n  sudo apt-get install -y ${packages}\n\n` +
			`or set ${missing.map((tool) => tool.env).join(' / ')} to existing binaries.`
	);
}

console.log(`ensure-tools: installing ${packages} (${command})`);
const install = spawnSync('sh', ['-c', command], { stdio: 'inherit' });
if (install.error) fail(`could not run the install command: ${install.error.message}`);
if (install.status !== 0) {
	fail(
		`installing ${packages} failed (exit code ${install.status ?? `signal ${install.signal}`}).\n` +
			`Run it yourself to see why: ${command}`
	);
}
for (const tool of missing) {
	if (!isExecutable(tool.path)) {
		fail(
			`the ${tool.pkg} package installed, but ${tool.path} still does not exist.\n` +
				`Set ${tool.env} to the installed binary (try: command -v ${tool.pkg}).`
		);
	}
	console.log(`ensure-tools: installed ${tool.path}`);
}
