/**
 * The y-websocket wire protocol, decoded defensively. Every frame from the network is bounded
 * and checked here before anything else sees it: a truncated or oversized varint, a length
 * running past the frame, trailing bytes or an unknown message type is a ProtocolError that
 * closes only the offending connection.
 */
import * as encoding from 'lib0/encoding';

export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
export const SYNC = { step1: 0, step2: 1, update: 2 } as const;
export const AUTH = { permissionDenied: 0 } as const;

export type Frame =
	| { type: 'sync-step1'; stateVector: Uint8Array }
	| { type: 'sync-step2'; update: Uint8Array }
	| { type: 'update'; update: Uint8Array }
	| { type: 'awareness'; update: Uint8Array }
	| { type: 'query-awareness' };

export class ProtocolError extends Error {
	override readonly name = 'ProtocolError';
}

/** Decodes one binary frame, or throws a ProtocolError saying what was wrong with it. */
export function decodeFrame(data: Uint8Array): Frame {
	const reader = new Reader(data);
	const type = reader.varUint('message type');
	let frame: Frame;
	switch (type) {
		case MESSAGE.sync: {
			const step = reader.varUint('sync message type');
			const payload = reader.varBytes('sync payload');
			if (step === SYNC.step1) frame = { type: 'sync-step1', stateVector: payload };
			else if (step === SYNC.step2) frame = { type: 'sync-step2', update: payload };
			else if (step === SYNC.update) frame = { type: 'update', update: payload };
			else throw new ProtocolError(`unknown sync message type ${step}`);
			break;
		}
		case MESSAGE.awareness:
			frame = { type: 'awareness', update: reader.varBytes('awareness update') };
			break;
		case MESSAGE.queryAwareness:
			frame = { type: 'query-awareness' };
			break;
		default:
			throw new ProtocolError(`unknown message type ${type}`);
	}
	reader.end();
	return frame;
}

/** A bounds-checked reader: varints are at most 32 bits, byte arrays fit inside the frame. */
class Reader {
	#pos = 0;
	readonly #data: Uint8Array;

	constructor(data: Uint8Array) {
		this.#data = data;
	}

	varUint(what: string): number {
		let value = 0;
		for (let shift = 0; shift < 35; shift += 7) {
			if (this.#pos >= this.#data.length) throw new ProtocolError(`truncated ${what}`);
			const byte = this.#data[this.#pos++]!;
			value += (byte & 0x7f) * 2 ** shift;
			if (byte < 0x80) {
				if (value > 0xffff_ffff) throw new ProtocolError(`${what} ${value} exceeds 32 bits`);
				return value;
			}
		}
		throw new ProtocolError(`${what} is longer than 5 bytes`);
	}

	varBytes(what: string): Uint8Array {
		const length = this.varUint(`${what} length`);
		const end = this.#pos + length;
		if (end > this.#data.length) {
			throw new ProtocolError(
				`${what} claims ${length} bytes but ${this.#data.length - this.#pos} remain`
			);
		}
		const bytes = this.#data.subarray(this.#pos, end);
		this.#pos = end;
		return bytes;
	}

	end(): void {
		if (this.#pos !== this.#data.length) {
			throw new ProtocolError(
				`${this.#data.length - this.#pos} unexpected bytes after the message`
			);
		}
	}
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
}

function encodeSync(step: number, payload: Uint8Array): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, MESSAGE.sync);
		encoding.writeVarUint(e, step);
		encoding.writeVarUint8Array(e, payload);
	});
}

export const encodeSyncStep1 = (stateVector: Uint8Array) => encodeSync(SYNC.step1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array) => encodeSync(SYNC.step2, update);
export const encodeUpdate = (update: Uint8Array) => encodeSync(SYNC.update, update);

export function encodeAwareness(update: Uint8Array): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, MESSAGE.awareness);
		encoding.writeVarUint8Array(e, update);
	});
}

export function encodePermissionDenied(reason: string): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, MESSAGE.auth);
		encoding.writeVarUint(e, AUTH.permissionDenied);
		encoding.writeVarString(e, reason);
	});
}
