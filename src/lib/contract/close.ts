/**
 * Why the server closes a board's live connection. Every close the relay sends has a WebSocket
 * status and a reason `<code>: <sentence>`: the code says to a program what happened (the
 * person was removed, the session expired, the server is restarting), the sentence says it to
 * a person. The page reads the code, never the sentence.
 */

/** WebSocket close statuses (RFC 6455 §7.4.1 and the IANA registry). */
export const CLOSE_STATUS = {
	normal: 1000,
	goingAway: 1001,
	protocolError: 1002,
	unsupportedData: 1003,
	invalidPayload: 1007,
	policyViolation: 1008,
	tooBig: 1009,
	internalError: 1011,
	tryAgainLater: 1013
} as const;
export type CloseStatus = (typeof CLOSE_STATUS)[keyof typeof CLOSE_STATUS];

/**
 * Every reason the server closes a connection for, by code: its status and its usual sentence.
 * Closes whose sentence carries details (how many updates were refused, what was malformed)
 * give their own sentence; the one here stands in when they do not.
 */
export const CLOSE_REASONS = {
	/** The board's admin removed the person: reconnecting is refused. */
	'member-removed': {
		status: CLOSE_STATUS.policyViolation,
		sentence: 'you were removed from this board'
	},
	/** The session expired: reconnecting is refused. */
	'session-expired': {
		status: CLOSE_STATUS.policyViolation,
		sentence: 'your session expired; join the board again'
	},
	/** The connection sent several updates the document contract refuses. */
	'too-many-refusals': {
		status: CLOSE_STATUS.policyViolation,
		sentence: 'too many updates were refused'
	},
	/** The connection sent more messages per second than the relay takes. */
	'too-many-messages': {
		status: CLOSE_STATUS.policyViolation,
		sentence: 'too many messages per second'
	},
	/** The connection sent a text frame; the protocol is binary. */
	'text-frame': {
		status: CLOSE_STATUS.unsupportedData,
		sentence: 'text frames are not part of the protocol'
	},
	/** The connection sent a message that is not valid (its sentence says how). */
	'malformed-message': {
		status: CLOSE_STATUS.invalidPayload,
		sentence: 'a message was not valid'
	},
	/** The connection could not take the changes as fast as they came: reconnect to resync. */
	'fell-behind': {
		status: CLOSE_STATUS.tryAgainLater,
		sentence: 'you fell too far behind; reconnect to resync'
	},
	/** The person's teams, roles or admin flag changed: reconnect to be granted the new ones. */
	'access-changed': {
		status: CLOSE_STATUS.tryAgainLater,
		sentence: 'your teams or roles changed; reconnect'
	},
	/** The server is stopping (restart, deploy): reconnect. */
	'server-shutdown': {
		status: CLOSE_STATUS.goingAway,
		sentence: 'the server is shutting down'
	},
	/** The store could not load the document: reconnect later. */
	'load-failed': {
		status: CLOSE_STATUS.internalError,
		sentence: 'this document could not be loaded; try again later'
	},
	/** The store refused a change: reconnecting resyncs. */
	'store-failed': {
		status: CLOSE_STATUS.internalError,
		sentence: 'the server could not store a change; reconnecting will resync'
	},
	/** Handling a message failed on the server. */
	'internal-error': {
		status: CLOSE_STATUS.internalError,
		sentence: 'the server failed to handle your message'
	}
} as const satisfies Record<string, { status: CloseStatus; sentence: string }>;

export type CloseCode = keyof typeof CLOSE_REASONS;
export const CLOSE_CODES = Object.keys(CLOSE_REASONS) as CloseCode[];

/** Whether `value` is one of the contract's close codes. */
export function isCloseCode(value: unknown): value is CloseCode {
	return typeof value === 'string' && Object.hasOwn(CLOSE_REASONS, value);
}

/** Close reasons are at most 123 bytes of UTF-8 (RFC 6455 §5.5). */
export const MAX_CLOSE_REASON_BYTES = 123;

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).byteLength;

/** `reason` cut to fit a close frame, ending in `…` when cut (never inside a character). */
export function truncateReason(reason: string): string {
	let bytes = byteLength(reason);
	if (bytes <= MAX_CLOSE_REASON_BYTES) return reason;
	const chars = [...reason];
	while (bytes + byteLength('…') > MAX_CLOSE_REASON_BYTES) bytes -= byteLength(chars.pop()!);
	return `${chars.join('')}…`;
}

/** The reason a close with `code` carries: `<code>: <sentence>`, within 123 bytes. */
export function closeReason(
	code: CloseCode,
	sentence: string = CLOSE_REASONS[code].sentence
): string {
	return truncateReason(`${code}: ${sentence}`);
}

/** A close reason's code and sentence, or null for a reason this contract does not know. */
export function closeReasonOf(reason: string): { code: CloseCode; sentence: string } | null {
	const match = /^([a-z-]+): ([\s\S]*)$/.exec(reason);
	const code = match?.[1];
	return isCloseCode(code) ? { code, sentence: match![2]! } : null;
}
