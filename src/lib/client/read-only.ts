/**
 * The operation context of a person who may only read the board (a stakeholder). The server
 * drops their writes; refusing them here as well keeps this browser's copy equal to everyone
 * else's instead of showing a change nobody else will ever see.
 */
import { ScrumOpsError } from '../domain/errors';
import type { OpContext } from '../sync/operations';

export const READ_ONLY_SENTENCE =
	'You can only read this board: a stakeholder sees every change live but cannot make one. Ask the board admin for a team invite to edit.';

/** Every operation reads its actor before it writes, so asking for it is where we refuse. */
export function readOnlyContext(base: OpContext): OpContext {
	return {
		get actorId(): string | null {
			throw new ScrumOpsError(READ_ONLY_SENTENCE);
		},
		now: () => base.now(),
		newId: () => base.newId()
	};
}
