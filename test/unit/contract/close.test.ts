/**
 * The reasons the relay closes a connection for: each fits a close frame, reads back as its code
 * and sentence, and only a removal or an expiry ends the person's session. The set of codes is
 * pinned: a page acts on them.
 */
import { describe, expect, test } from 'vitest';
import {
	CLOSE_CODES,
	CLOSE_REASONS,
	CLOSE_STATUS,
	closeReason,
	closeReasonOf,
	MAX_CLOSE_REASON_BYTES,
	sessionEndOfClose,
	sessionEndOfError,
	truncateReason
} from '../../../src/lib/contract';
import { ApiError } from '../../../src/lib/client/api';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('close reasons', () => {
	test('the codes, their statuses and sentences', () => {
		expect(
			Object.fromEntries(
				Object.entries(CLOSE_REASONS).map(([code, { status, sentence }]) => [
					code,
					`${status} ${sentence}`
				])
			)
		).toMatchInlineSnapshot(`
			{
			  "access-changed": "1013 your teams or roles changed; reconnect",
			  "fell-behind": "1013 you fell too far behind; reconnect to resync",
			  "internal-error": "1011 the server failed to handle your message",
			  "load-failed": "1011 this document could not be loaded; try again later",
			  "malformed-message": "1007 a message was not valid",
			  "member-removed": "1008 you were removed from this board",
			  "server-shutdown": "1001 the server is shutting down",
			  "session-expired": "1008 your session expired; join the board again",
			  "store-failed": "1011 the server could not store a change; reconnecting will resync",
			  "text-frame": "1003 text frames are not part of the protocol",
			  "too-many-messages": "1008 too many messages per second",
			  "too-many-refusals": "1008 too many updates were refused",
			}
		`);
	});

	test.each(CLOSE_CODES)('%s fits a close frame and reads back', (code) => {
		const reason = closeReason(code);
		expect(bytes(reason)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
		expect(reason).toBe(`${code}: ${CLOSE_REASONS[code].sentence}`);
		expect(closeReasonOf(reason)).toEqual({ code, sentence: CLOSE_REASONS[code].sentence });
	});

	test('a sentence of its own replaces the usual one', () => {
		const reason = closeReason('too-many-refusals', '3 updates refused; last: x2: not a root key');
		expect(reason).toBe('too-many-refusals: 3 updates refused; last: x2: not a root key');
		expect(closeReasonOf(reason)).toEqual({
			code: 'too-many-refusals',
			sentence: '3 updates refused; last: x2: not a root key'
		});
	});

	test('a long sentence is cut to 123 bytes, never inside a character, and keeps its code', () => {
		for (const filler of ['x', 'é', '€', '😀']) {
			const reason = closeReason('malformed-message', filler.repeat(200));
			expect(bytes(reason)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
			expect(bytes(reason)).toBeGreaterThan(MAX_CLOSE_REASON_BYTES - 4 - 3);
			expect(reason.endsWith('…')).toBe(true);
			// A lone half of a surrogate pair would not survive UTF-8.
			expect(Buffer.from(reason, 'utf8').toString('utf8')).toBe(reason);
			expect(closeReasonOf(reason)?.code).toBe('malformed-message');
		}
		expect(truncateReason('short')).toBe('short');
	});

	test.each([
		['a bare sentence', 'you were removed from this board'],
		['an unknown code', 'board-archived: this board was archived'],
		['no space after the colon', 'member-removed:you were removed'],
		['an empty reason', ''],
		['a code of Object.prototype', 'constructor: hello'],
		['upper case', 'MEMBER-REMOVED: you were removed']
	])('%s is no contract reason: null', (_label, reason) => {
		expect(closeReasonOf(reason)).toBeNull();
	});
});

describe('whether a close ends the session', () => {
	test('a removal and an expiry do; nothing else does', () => {
		const ends = Object.fromEntries(
			CLOSE_CODES.map((code) => [
				code,
				sessionEndOfClose({ code: CLOSE_REASONS[code].status, reason: closeReason(code) })
			])
		);
		expect(ends).toEqual({
			...Object.fromEntries(CLOSE_CODES.map((code) => [code, null])),
			'member-removed': 'removed',
			'session-expired': 'expired'
		});
	});

	test('only with the policy status; a reason without a code says nothing', () => {
		const removed = closeReason('member-removed');
		expect(sessionEndOfClose({ code: CLOSE_STATUS.goingAway, reason: removed })).toBeNull();
		expect(
			sessionEndOfClose({
				code: CLOSE_STATUS.policyViolation,
				reason: 'you were removed from this board'
			})
		).toBeNull();
	});
});

describe('whether a refused request ends the session', () => {
	test('401 with member-removed or session-expired does', () => {
		expect(sessionEndOfError(new ApiError('removed', 401, true, 'member-removed'))).toBe('removed');
		expect(sessionEndOfError(new ApiError('expired', 401, true, 'session-expired'))).toBe(
			'expired'
		);
	});

	test('other refusals, other statuses and other errors do not', () => {
		expect(sessionEndOfError(new ApiError('forged', 401, true, 'session-invalid'))).toBeNull();
		expect(sessionEndOfError(new ApiError('no token', 401, true, 'session-missing'))).toBeNull();
		expect(sessionEndOfError(new ApiError('other board', 403, true, 'wrong-board'))).toBeNull();
		expect(sessionEndOfError(new ApiError('removed', 403, true, 'member-removed'))).toBeNull();
		expect(sessionEndOfError(new ApiError('You were removed from this board.', 401))).toBeNull();
		expect(sessionEndOfError(new Error('member-removed'))).toBeNull();
		expect(sessionEndOfError({ status: 401, code: 'member-removed' })).toBeNull();
		expect(sessionEndOfError(null)).toBeNull();
	});
});
