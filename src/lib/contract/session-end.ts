/**
 * Whether the server ended a person's session on a board, and how: they were removed by the
 * board's admin, or their session expired. Both send the person back to join, with a different
 * word on the join page. A page learns it from a closed connection or from a refused request.
 */
import { CLOSE_STATUS, closeReasonOf } from './close';
import { ErrorCode } from './http';

/** Why a board sent the person back to join: their session was ended by the server. */
export type SessionEnd = 'removed' | 'expired';

/** The session end a close of the live connection says, or null for any other close. */
export function sessionEndOfClose(close: { code: number; reason: string }): SessionEnd | null {
	if (close.code !== CLOSE_STATUS.policyViolation) return null;
	return endOf(closeReasonOf(close.reason)?.code);
}

/**
 * The session end a refused API request says (401 with `member-removed` or `session-expired`,
 * as an ApiError carries them), or null for any other error.
 */
export function sessionEndOfError(error: unknown): SessionEnd | null {
	if (!(error instanceof Error)) return null;
	const { status, code } = error as { status?: unknown; code?: unknown };
	if (status !== 401) return null;
	const parsed = ErrorCode.safeParse(code);
	return parsed.success ? endOf(parsed.data) : null;
}

/** The two codes, of a close or of a refusal, that end a session. */
function endOf(code: string | undefined): SessionEnd | null {
	if (code === 'member-removed') return 'removed';
	if (code === 'session-expired') return 'expired';
	return null;
}
