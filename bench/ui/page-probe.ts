/**
 * What the UI benchmark injects into every page before the app's own scripts run: the stored
 * session (as the join page would leave it), and timestamps taken inside the page, so the
 * figures do not include the driver's polling. The scripts are plain JavaScript source: a
 * function compiled by tsx would carry helpers (`__name`) that do not exist in the page.
 */

export interface ProbeState {
	/** performance.now() when the first backlog row entered the DOM. */
	firstRow: number | null;
	/**
	 * When the first row's title was painted (Element Timing renderTime), or, where the browser
	 * reports no element timing, when the frame that showed it began.
	 */
	firstRowPainted: number | null;
	/** The backlog count line ("10000 of 10000 stories") when the first row appeared. */
	countAtFirstRow: string | null;
	/** Enter keydowns: performance.timeOrigin + event.timeStamp (epoch ms, sub-ms). */
	enterKeys: number[];
	/** Keydowns in a shared text field (D17), epoch ms like `enterKeys`. */
	textKeys: number[];
	/** Values another person's typing gave a watched shared text field (watchTextScript). */
	texts: { text: string; dom: number; painted: number }[];
	/**
	 * Title changes of the watched row: text, epoch ms when in the DOM, and when the frame that
	 * shows it began (requestAnimationFrame; its layout and paint follow in the same task).
	 */
	titles: { text: string; dom: number; painted: number }[];
	/** Main-thread tasks over 50 ms: [start, duration] in performance.now() ms. */
	longTasks: [number, number][];
}

/** The init script: stores `session` under `key` and starts the probe. */
export function probeScript(key: string, session: unknown): string {
	return `(() => {
	localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify(session))});
	const state = { firstRow: null, firstRowPainted: null, countAtFirstRow: null, enterKeys: [], textKeys: [], texts: [], titles: [], longTasks: [] };
	window.__uiBench = state;
	new PerformanceObserver((list) => {
		for (const task of list.getEntries()) state.longTasks.push([task.startTime, task.duration]);
	}).observe({ type: 'longtask', buffered: true });
	let frame = null;
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			if (entry.identifier === 'first-row') state.firstRowPainted = entry.renderTime || frame;
		}
	}).observe({ type: 'element', buffered: true });
	const observer = new MutationObserver(() => {
		const title = document.querySelector('li[data-story-id] .title');
		if (!title) return;
		observer.disconnect();
		state.firstRow = performance.now();
		state.countAtFirstRow = document.querySelector('.count')?.textContent ?? null;
		// Still before the first paint of the row: Element Timing reports when it is painted.
		title.setAttribute('elementtiming', 'first-row');
		requestAnimationFrame(() => {
			frame = performance.now();
			setTimeout(() => (state.firstRowPainted ??= frame), 1000);
		});
	});
	observer.observe(document, { childList: true, subtree: true });
	document.addEventListener('keydown', (event) => {
		if (event.key === 'Enter') state.enterKeys.push(performance.timeOrigin + event.timeStamp);
		if (event.target instanceof Element && event.target.matches('[data-shared-text]')) {
			state.textKeys.push(performance.timeOrigin + event.timeStamp);
		}
	}, true);
})();`;
}

/** An expression for page.evaluate: records every change of one row's title text. */
export function watchTitleScript(storyId: string): string {
	const row = JSON.stringify(`li[data-story-id="${storyId}"] .title`);
	return `(() => {
	const state = window.__uiBench;
	const scroller = document.querySelector('.scroller');
	if (!scroller) throw new Error('no backlog on this page');
	let last = document.querySelector(${row})?.textContent ?? '';
	new MutationObserver(() => {
		const text = document.querySelector(${row})?.textContent;
		if (text === undefined || text === null || text === last) return;
		last = text;
		const entry = { text, dom: performance.timeOrigin + performance.now(), painted: 0 };
		state.titles.push(entry);
		requestAnimationFrame(() => (entry.painted = performance.timeOrigin + performance.now()));
	}).observe(scroller, { childList: true, subtree: true, characterData: true });
})()`;
}

/**
 * An expression for page.evaluate: records every value the app writes into the shared text field
 * `selector` (remote typing sets the input's value; no DOM mutation or event says so).
 */
export function watchTextScript(selector: string): string {
	return `(() => {
	const state = window.__uiBench;
	const field = document.querySelector(${JSON.stringify(selector)});
	if (!field) throw new Error('no such field on this page');
	const proto = Object.getPrototypeOf(field);
	const setter = Object.getOwnPropertyDescriptor(proto, 'value').set;
	const getter = Object.getOwnPropertyDescriptor(proto, 'value').get;
	Object.defineProperty(field, 'value', {
		configurable: true,
		get() { return getter.call(this); },
		set(text) {
			setter.call(this, text);
			const entry = { text, dom: performance.timeOrigin + performance.now(), painted: 0 };
			state.texts.push(entry);
			requestAnimationFrame(() => (entry.painted = performance.timeOrigin + performance.now()));
		}
	});
})()`;
}
