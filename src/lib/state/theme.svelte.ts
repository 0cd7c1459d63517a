/**
 * The colour theme: follow the system setting (the default) or a person's own choice of light
 * or dark, kept in this browser (`scrumops.theme`). The layout puts the choice on <html> as
 * `data-theme`; the colours come from CSS light-dark(), so one set of tokens serves both.
 */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const KEY = 'scrumops.theme';

function isTheme(value: unknown): value is Theme {
	return THEMES.includes(value as Theme);
}

export class ThemeChoice {
	#current = $state<Theme>('system');
	readonly #storage: Storage | null;

	constructor(storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage) {
		this.#storage = storage;
		const stored = storage?.getItem(KEY);
		if (isTheme(stored)) this.#current = stored;
	}

	get current(): Theme {
		return this.#current;
	}

	set current(theme: Theme) {
		this.#current = theme;
		if (theme === 'system') this.#storage?.removeItem(KEY);
		else this.#storage?.setItem(KEY, theme);
	}
}

/** The one choice of this tab, shared by the layout and every toggle. */
export const theme = new ThemeChoice();
