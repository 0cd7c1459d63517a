import { describe, expect, test } from 'vitest';
import { isPrivateAddress, signature } from '../../../server/webhooks/delivery';

describe('isPrivateAddress', () => {
	test.each([
		['127.0.0.1', true],
		['10.20.30.40', true],
		['172.16.0.1', true],
		['172.31.255.255', true],
		['172.32.0.1', false],
		['192.168.1.1', true],
		['169.254.169.254', true],
		['100.64.0.1', true],
		['0.0.0.0', true],
		['::1', true],
		['[::1]', true],
		['::', true],
		['fd12:3456::1', true],
		['fe80::1', true],
		['::ffff:127.0.0.1', true],
		['::ffff:8.8.8.8', false],
		['8.8.8.8', false],
		['2606:4700::1111', false],
		['hooks.example.com', false]
	])('%s → %s', (address, expected) => {
		expect(isPrivateAddress(address)).toBe(expected);
	});
});

test('the signature is the hex HMAC-SHA256 of the body under the secret (RFC 4231 case 2)', () => {
	expect(signature('Jefe', 'what do ya want for nothing?')).toBe(
		'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
	);
});
