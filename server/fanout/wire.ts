/**
 * The messages instances exchange over Redis, in lib0's binary encoding (updates are binary;
 * JSON would inflate them by a third in base64). Every message names its sender, so an instance
 * ignores its own: nothing loops.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const BUS_MESSAGE = {
	/** An update stored as `seq` in `document`'s log. */
	update: 0,
	/** Presence changes of the sender's peers on `document`. */
	awareness: 1,
	/** A room opened on the sender: the others answer with their peers' presence. */
	awarenessQuery: 2,
	/** The sender is alive (on the instances channel). */
	heartbeat: 3,
	/** The sender is shutting down: its peers' presence goes at once. */
	goodbye: 4,
	/** Authorship records of the sender's peers, for the instance that speaks for the board. */
	authorship: 5
} as const;

export type BusMessage =
	| { type: 'update'; instance: string; document: string; seq: number; update: Uint8Array }
	| { type: 'awareness'; instance: string; document: string; update: Uint8Array }
	| { type: 'awarenessQuery'; instance: string; document: string }
	| { type: 'authorship'; instance: string; document: string; records: string }
	| { type: 'heartbeat'; instance: string }
	| { type: 'goodbye'; instance: string };

/** Encodes one message for PUBLISH. */
export function encodeBusMessage(message: BusMessage): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, BUS_MESSAGE[message.type]);
	encoding.writeVarString(encoder, message.instance);
	switch (message.type) {
		case 'update':
			encoding.writeVarString(encoder, message.document);
			encoding.writeVarUint(encoder, message.seq);
			encoding.writeVarUint8Array(encoder, message.update);
			break;
		case 'awareness':
			encoding.writeVarString(encoder, message.document);
			encoding.writeVarUint8Array(encoder, message.update);
			break;
		case 'awarenessQuery':
			encoding.writeVarString(encoder, message.document);
			break;
		case 'authorship':
			encoding.writeVarString(encoder, message.document);
			encoding.writeVarString(encoder, message.records);
			break;
		case 'heartbeat':
		case 'goodbye':
			break;
	}
	return encoding.toUint8Array(encoder);
}

/** Decodes one message; null for anything this version does not understand. */
export function decodeBusMessage(bytes: Uint8Array): BusMessage | null {
	try {
		const decoder = decoding.createDecoder(bytes);
		const type = decoding.readVarUint(decoder);
		const instance = decoding.readVarString(decoder);
		switch (type) {
			case BUS_MESSAGE.update: {
				const document = decoding.readVarString(decoder);
				const seq = decoding.readVarUint(decoder);
				const update = decoding.readVarUint8Array(decoder);
				return { type: 'update', instance, document, seq, update };
			}
			case BUS_MESSAGE.awareness: {
				const document = decoding.readVarString(decoder);
				return {
					type: 'awareness',
					instance,
					document,
					update: decoding.readVarUint8Array(decoder)
				};
			}
			case BUS_MESSAGE.awarenessQuery:
				return { type: 'awarenessQuery', instance, document: decoding.readVarString(decoder) };
			case BUS_MESSAGE.authorship: {
				const document = decoding.readVarString(decoder);
				return { type: 'authorship', instance, document, records: decoding.readVarString(decoder) };
			}
			case BUS_MESSAGE.heartbeat:
				return { type: 'heartbeat', instance };
			case BUS_MESSAGE.goodbye:
				return { type: 'goodbye', instance };
			default:
				return null;
		}
	} catch {
		return null;
	}
}
