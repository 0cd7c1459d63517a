import { describe, expect, test } from 'vitest';
import { addressFromHeader, type AddressHeader } from '../../../server/client-address';

const xff = (xffDepth: number): AddressHeader => ({ name: 'x-forwarded-for', xffDepth });
const realIp: AddressHeader = { name: 'x-real-ip', xffDepth: 1 };

describe('the client address a proxy header names', () => {
	const cases: [string, string | string[] | undefined, AddressHeader, string | null][] = [
		['the address the nearest proxy added', '198.51.100.1, 203.0.113.9', xff(1), '203.0.113.9'],
		['two proxies deep', '198.51.100.1, 203.0.113.9, 10.0.0.2', xff(2), '203.0.113.9'],
		['an IPv6 address', '2001:db8::1', xff(1), '2001:db8::1'],
		['repeated headers, joined', ['198.51.100.1', '203.0.113.9'], xff(1), '203.0.113.9'],
		['spaces around the address', ' 203.0.113.9 ', xff(1), '203.0.113.9'],
		['fewer addresses than the depth', '203.0.113.9', xff(2), null],
		['no header', undefined, xff(1), null],
		['an empty header', '', xff(1), null],
		['not an address', 'unknown', xff(1), null],
		['a host name', 'proxy.example.com', xff(1), null],
		['an empty entry', '198.51.100.1,', xff(1), null],
		['a single-address header', '203.0.113.9', realIp, '203.0.113.9'],
		['a single-address header with two', '198.51.100.1, 203.0.113.9', realIp, null]
	];
	test.each(cases)('%s', (_what, value, header, expected) => {
		expect(addressFromHeader(value, header)).toBe(expected);
	});
});
