/**
 * Loads the request handler that `vite build` (adapter-node) writes to `build/handler.js`.
 * The build is generated and untyped, so its shape is checked here, once, at the boundary.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RequestHandler } from './http';

/** Where adapter-node writes the handler, relative to the project root. */
export const DEFAULT_HANDLER_URL = new URL('../build/handler.js', import.meta.url);

/** Import the SvelteKit handler from a build; fails with what to do when there is no build. */
export async function loadSvelteKitHandler(
	handlerUrl: URL = DEFAULT_HANDLER_URL
): Promise<RequestHandler> {
	const handlerPath = fileURLToPath(handlerUrl);
	if (!existsSync(handlerPath)) {
		throw new Error(
			`The SvelteKit build is missing (${handlerPath} does not exist): run \`npm run build\` first.`
		);
	}
	// A computed specifier keeps TypeScript from type-checking the generated JS.
	const loaded: unknown = await import(pathToFileURL(handlerPath).href);
	if (!hasHandler(loaded)) {
		throw new Error(
			`${handlerPath} does not export a \`handler\` function: rebuild with \`npm run build\` (adapter-node must be the configured adapter).`
		);
	}
	return loaded.handler;
}

function hasHandler(module: unknown): module is { handler: RequestHandler } {
	return (
		typeof module === 'object' &&
		module !== null &&
		'handler' in module &&
		typeof module.handler === 'function'
	);
}
