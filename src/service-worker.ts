/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Keeps the app itself available offline, so a board reloaded without a network still opens and
 * shows its IndexedDB copy: the build is cached on install, pages are served network-first with
 * the last copy as fallback. The sync socket and the API are never cached.
 */
import { build, files, version } from '$service-worker';

const worker = self as unknown as ServiceWorkerGlobalScope;
const ASSETS = `assets-${version}`;
/** Pages the app put aside (the board page caches itself when it opens). */
const PAGES = 'pages';

worker.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(ASSETS)
			.then((cache) => cache.addAll([...build, ...files]))
			.then(() => worker.skipWaiting())
	);
});

worker.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(
					keys.filter((key) => key !== ASSETS && key !== PAGES).map((key) => caches.delete(key))
				)
			)
			.then(() => worker.clients.claim())
	);
});

worker.addEventListener('fetch', (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (request.method !== 'GET' || url.origin !== location.origin) return;
	if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync')) return;
	const asset = [...build, ...files].includes(url.pathname);
	event.respondWith(
		(async () => {
			if (asset) {
				const cached = await caches.match(request);
				if (cached) return cached;
			}
			try {
				const response = await fetch(request);
				if (response.ok && request.mode === 'navigate') {
					const cache = await caches.open(PAGES);
					await cache.put(request, response.clone());
				}
				return response;
			} catch (error) {
				const navigate = request.mode === 'navigate';
				const cached =
					(await caches.match(request, { ignoreSearch: navigate })) ??
					(navigate ? await boardShell(url.pathname) : undefined);
				if (cached) return cached;
				throw error;
			}
		})()
	);
});

/**
 * Every view of a board is rendered in the browser from the same page, so a view never loaded
 * while online (reached through the board's links) opens offline from any view of that board
 * the cache holds.
 */
async function boardShell(pathname: string): Promise<Response | undefined> {
	const board = /^\/board\/[^/]+/.exec(pathname)?.[0];
	if (!board) return undefined;
	const cache = await caches.open(PAGES);
	for (const key of await cache.keys()) {
		const path = new URL(key.url).pathname;
		if (path === board || path.startsWith(`${board}/`)) return cache.match(key);
	}
	return undefined;
}
