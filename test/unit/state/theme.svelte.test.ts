import { describe, expect, test } from 'vitest';
import { ThemeChoice } from '../../../src/lib/state/theme.svelte';

/** Just enough of Storage for the theme: a Map behind the calls it makes. */
function memoryStorage(entries: Record<string, string> = {}): Storage {
	const map = new Map(Object.entries(entries));
	return {
		get length() {
			return map.size;
		},
		clear: () => map.clear(),
		getItem: (key) => map.get(key) ?? null,
		key: (index) => [...map.keys()][index] ?? null,
		removeItem: (key) => void map.delete(key),
		setItem: (key, value) => void map.set(key, value)
	};
}

describe('ThemeChoice', () => {
	test.each([
		{ stored: undefined, expected: 'system' },
		{ stored: 'dark', expected: 'dark' },
		{ stored: 'light', expected: 'light' },
		{ stored: 'purple', expected: 'system' }
	])('stored $stored opens as $expected', ({ stored, expected }) => {
		const storage = memoryStorage(stored ? { 'scrumops.theme': stored } : {});
		expect(new ThemeChoice(storage).current).toBe(expected);
	});

	test('a manual choice is kept for the next visit; System forgets it', () => {
		const storage = memoryStorage();
		const first = new ThemeChoice(storage);
		first.current = 'dark';
		expect(new ThemeChoice(storage).current).toBe('dark');
		first.current = 'system';
		expect(storage.getItem('scrumops.theme')).toBeNull();
		expect(new ThemeChoice(storage).current).toBe('system');
	});
});
