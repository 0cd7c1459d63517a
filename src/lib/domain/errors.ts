/**
 * Errors a user can act on: what was wrong, with the value, and what to do. Thrown by operations
 * before anything is written, so a refused intent leaves the board untouched.
 */
import { z } from 'zod';

export class ScrumOpsError extends Error {
	override readonly name = 'ScrumOpsError';
}

/** Parses user input with a schema, or throws a ScrumOpsError naming each bad field. */
export function parseInput<S extends z.ZodType>(
	schema: S,
	value: unknown,
	what: string
): z.infer<S> {
	const parsed = schema.safeParse(value);
	if (parsed.success) return parsed.data;
	const problems = parsed.error.issues.map((issue) => {
		const field = issue.path.length > 0 ? issue.path.join('.') : 'value';
		return `${field}: ${issue.message}`;
	});
	throw new ScrumOpsError(`Invalid ${what}: ${problems.join('; ')}.`);
}
