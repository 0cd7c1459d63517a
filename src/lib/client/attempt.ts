/**
 * Runs a user intent and turns a refusal into the sentence to show next to the control. The
 * operations write nothing when they refuse, so there is nothing to undo.
 */
import { ScrumOpsError } from '../domain/errors';

/** null when the intent went through, else the reason it was refused. */
export function attempt(intent: () => unknown): string | null {
	try {
		intent();
		return null;
	} catch (error) {
		if (error instanceof ScrumOpsError) return error.message;
		if (error instanceof Error) return `That did not work: ${error.message}`;
		return 'That did not work; try again.';
	}
}

/** A number typed in a field, or null when the field is empty; NaN makes the operation refuse. */
export function pointsFrom(value: string): number | null {
	const trimmed = value.trim();
	return trimmed === '' ? null : Number(trimmed);
}
