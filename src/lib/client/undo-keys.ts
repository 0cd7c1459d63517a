/**
 * The undo and redo keys: Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z and Ctrl+Y redo. In a text field
 * they belong to the browser's own undo of what is typed, except in a field bound to the shared
 * document (marked `data-shared-text`), whose typing is part of the person's board history.
 */

/** Marks a text field whose text lives in the board's documents: the board undoes it. */
export const SHARED_TEXT_ATTRIBUTE = 'data-shared-text';

/** What a key press asks for, or null when it is not an undo or redo key. */
export function undoKeyOf(event: {
	key: string;
	ctrlKey: boolean;
	metaKey: boolean;
	shiftKey: boolean;
	altKey: boolean;
}): 'undo' | 'redo' | null {
	if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
	const key = event.key.toLowerCase();
	if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
	if (key === 'y' && event.ctrlKey && !event.shiftKey) return 'redo';
	return null;
}

/** Input types in which typing is text the browser can undo by itself. */
const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', '']);

/**
 * Whether the browser keeps the undo key for `target`: a text field, a text area or editable
 * content, unless it carries `data-shared-text`.
 */
export function browserUndoes(target: EventTarget | null): boolean {
	if (!(target instanceof Element)) return false;
	if (target.hasAttribute(SHARED_TEXT_ATTRIBUTE)) return false;
	if (target instanceof HTMLTextAreaElement) return true;
	if (target instanceof HTMLInputElement) return TEXT_INPUTS.has(target.type);
	return target instanceof HTMLElement && target.isContentEditable;
}
