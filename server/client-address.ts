/**
 * Who a request comes from, for limits kept per client. Behind a reverse proxy every request
 * arrives from the proxy, so the proxy's header is read instead, following adapter-node's
 * `ADDRESS_HEADER` and `XFF_DEPTH`. A header that is missing or does not hold an address falls
 * back to the socket's address: a client must not escape its limit by sending a bad one.
 */
import type http from 'node:http';
import { isIP } from 'node:net';

/** The request header that carries the client's address, set by a trusted reverse proxy. */
export interface AddressHeader {
	/** Lower-case header name, e.g. `x-forwarded-for` or `x-real-ip`. */
	name: string;
	/**
	 * For `x-forwarded-for`: which address to take, counted from the right (1: the one the
	 * nearest proxy added). Addresses further left are written by the client and cannot be trusted.
	 */
	xffDepth: number;
}

/** The address a request comes from: the header's when configured and valid, else the socket's. */
export function clientAddressOf(req: http.IncomingMessage, header: AddressHeader | null): string {
	const socketAddress = req.socket.remoteAddress ?? 'unknown';
	if (header === null) return socketAddress;
	return addressFromHeader(req.headers[header.name], header) ?? socketAddress;
}

/** The address a header value names, or null when it names none. */
export function addressFromHeader(
	value: string | string[] | undefined,
	header: AddressHeader
): string | null {
	// Node joins repeated headers with ", "; a header it keeps as a list is joined the same way.
	const joined = Array.isArray(value) ? value.join(', ') : value;
	if (joined === undefined || joined.trim() === '') return null;
	const addresses = joined.split(',').map((part) => part.trim());
	let candidate: string | undefined;
	if (header.name === 'x-forwarded-for') {
		candidate = addresses[addresses.length - header.xffDepth];
	} else if (addresses.length === 1) {
		candidate = addresses[0];
	}
	return candidate !== undefined && isIP(candidate) !== 0 ? candidate : null;
}
