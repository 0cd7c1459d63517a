/**
 * The HTTP API's wire shapes, pinned: every request and answer body of the contract as JSON
 * Schema. A change to what travels between server and page changes a snapshot here, so it is
 * made on purpose (and an older page or server is thought of), never by accident.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
	AuditLog,
	BacklogPreview,
	ChangeRequestBody,
	StandupUpdateCreated,
	StandupUpdateRequest,
	ChangeRequests,
	MemberEdit,
	MembersChanged,
	OpenDemoRequest,
	BoardCreated,
	ConnectionTicket,
	CreateBoardRequest,
	ERROR_CODES,
	ErrorBody,
	Findings,
	HealthReport,
	InviteCreated,
	InviteRequest,
	Joined,
	JoinRequest,
	Members,
	NoContent,
	OpenInvites,
	RejectedReport,
	RepairReport,
	ServerTime,
	SessionInfo,
	TimeZone
} from '../../../src/lib/contract';
import { Instant } from '../../../src/lib/domain/schema';

/** The pattern of an instant (ISO 8601 with offset), named instead of spelled out every time. */
const INSTANT_PATTERN = (z.toJSONSchema(Instant) as { pattern: string }).pattern;

function named(json: unknown): unknown {
	return JSON.parse(JSON.stringify(json), (key, value: unknown) =>
		key === 'pattern' && value === INSTANT_PATTERN ? '<Instant>' : value
	);
}

/** A request as a client may send it. */
const request = (schema: z.ZodType) => named(z.toJSONSchema(schema, { io: 'input' }));
/** An answer as the server sends it. */
const answer = (schema: z.ZodType) => named(z.toJSONSchema(schema, { io: 'output' }));

describe('request bodies', () => {
	test('POST /api/boards', () => {
		expect(request(CreateBoardRequest)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "properties": {
			    "adminName": {
			      "maxLength": 80,
			      "minLength": 1,
			      "type": "string",
			    },
			    "name": {
			      "maxLength": 120,
			      "minLength": 1,
			      "type": "string",
			    },
			    "timeZone": {
			      "maxLength": 64,
			      "pattern": "^[A-Za-z][A-Za-z0-9_+\\-/]*$",
			      "type": "string",
			    },
			  },
			  "required": [
			    "name",
			    "adminName",
			  ],
			  "type": "object",
			}
		`);
	});

	test('POST /api/boards/:id/invites', () => {
		expect(request(InviteRequest)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "properties": {
			    "expiresInDays": {
			      "default": 7,
			      "maximum": 90,
			      "minimum": 1,
			      "type": "integer",
			    },
			    "role": {
			      "enum": [
			        "product-owner",
			        "scrum-master",
			        "team-member",
			        "chief-product-owner",
			        "chief-scrum-master",
			        "stakeholder",
			      ],
			      "type": "string",
			    },
			    "teamId": {
			      "anyOf": [
			        {
			          "maxLength": 64,
			          "minLength": 1,
			          "pattern": "^[A-Za-z0-9_-]+$",
			          "type": "string",
			        },
			        {
			          "type": "null",
			        },
			      ],
			      "default": null,
			    },
			  },
			  "required": [
			    "role",
			  ],
			  "type": "object",
			}
		`);
	});

	test('POST /api/boards/:id/join', () => {
		expect(request(JoinRequest)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "properties": {
			    "invite": {
			      "maxLength": 4096,
			      "minLength": 1,
			      "type": "string",
			    },
			    "name": {
			      "maxLength": 80,
			      "minLength": 1,
			      "type": "string",
			    },
			    "resume": {
			      "maxLength": 4096,
			      "minLength": 1,
			      "type": "string",
			    },
			  },
			  "required": [
			    "name",
			  ],
			  "type": "object",
			}
		`);
	});

	test('POST /api/demo', () => {
		expect(request(OpenDemoRequest)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "name": {
			      "maxLength": 80,
			      "minLength": 1,
			      "type": "string",
			    },
			    "resume": {
			      "maxLength": 4096,
			      "minLength": 1,
			      "type": "string",
			    },
			  },
			  "required": [
			    "name",
			  ],
			  "type": "object",
			}
		`);
	});

	test('POST /api/boards/:id/members/:personId', () => {
		expect(request(MemberEdit)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "name": {
			      "maxLength": 80,
			      "minLength": 1,
			      "type": "string",
			    },
			    "roles": {
			      "items": {
			        "enum": [
			          "product-owner",
			          "scrum-master",
			          "team-member",
			          "chief-product-owner",
			          "chief-scrum-master",
			          "stakeholder",
			        ],
			        "type": "string",
			      },
			      "maxItems": 10,
			      "minItems": 1,
			      "type": "array",
			    },
			    "teams": {
			      "items": {
			        "maxLength": 64,
			        "minLength": 1,
			        "pattern": "^[A-Za-z0-9_-]+$",
			        "type": "string",
			      },
			      "maxItems": 50,
			      "type": "array",
			    },
			  },
			  "type": "object",
			}
		`);
	});

	test('POST /api/boards/:id/standup-updates', () => {
		expect(request(StandupUpdateRequest)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "done": {
			      "default": "",
			      "maxLength": 4000,
			      "type": "string",
			    },
			    "impediments": {
			      "default": "",
			      "maxLength": 4000,
			      "type": "string",
			    },
			    "next": {
			      "default": "",
			      "maxLength": 4000,
			      "type": "string",
			    },
			    "teamId": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			  },
			  "required": [
			    "teamId",
			  ],
			  "type": "object",
			}
		`);
		expect(answer(StandupUpdateCreated)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "day": {
			      "format": "date",
			      "pattern": "^(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))$",
			      "type": "string",
			    },
			    "done": {
			      "maxLength": 10000,
			      "type": "string",
			    },
			    "id": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			    "impediments": {
			      "maxLength": 10000,
			      "type": "string",
			    },
			    "next": {
			      "maxLength": 10000,
			      "type": "string",
			    },
			    "personId": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			    "round": {
			      "anyOf": [
			        {
			          "format": "date-time",
			          "pattern": "<Instant>",
			          "type": "string",
			        },
			        {
			          "type": "null",
			        },
			      ],
			      "default": null,
			    },
			    "sprintId": {
			      "anyOf": [
			        {
			          "maxLength": 64,
			          "minLength": 1,
			          "pattern": "^[A-Za-z0-9_-]+$",
			          "type": "string",
			        },
			        {
			          "type": "null",
			        },
			      ],
			    },
			    "teamId": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			  },
			  "required": [
			    "id",
			    "teamId",
			    "sprintId",
			    "personId",
			    "day",
			    "done",
			    "next",
			    "impediments",
			    "round",
			  ],
			  "type": "object",
			}
		`);
	});

	test('POST /api/boards/:id/requests', () => {
		expect(request(ChangeRequestBody)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "roles": {
			      "items": {
			        "enum": [
			          "product-owner",
			          "scrum-master",
			          "team-member",
			          "chief-product-owner",
			          "chief-scrum-master",
			          "stakeholder",
			        ],
			        "type": "string",
			      },
			      "maxItems": 10,
			      "minItems": 1,
			      "type": "array",
			    },
			    "teams": {
			      "items": {
			        "maxLength": 64,
			        "minLength": 1,
			        "pattern": "^[A-Za-z0-9_-]+$",
			        "type": "string",
			      },
			      "maxItems": 50,
			      "type": "array",
			    },
			  },
			  "required": [
			    "teams",
			    "roles",
			  ],
			  "type": "object",
			}
		`);
	});
});

describe('answers of the people API', () => {
	test('GET /api/boards/:id/requests', () => {
		expect(answer(ChangeRequests)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "items": {
			    "additionalProperties": false,
			    "properties": {
			      "canDecide": {
			        "type": "boolean",
			      },
			      "createdAt": {
			        "format": "date-time",
			        "pattern": "<Instant>",
			        "type": "string",
			      },
			      "decidedAt": {
			        "anyOf": [
			          {
			            "format": "date-time",
			            "pattern": "<Instant>",
			            "type": "string",
			          },
			          {
			            "type": "null",
			          },
			        ],
			      },
			      "decidedBy": {
			        "anyOf": [
			          {
			            "maxLength": 64,
			            "minLength": 1,
			            "pattern": "^[A-Za-z0-9_-]+$",
			            "type": "string",
			          },
			          {
			            "type": "null",
			          },
			        ],
			      },
			      "fromRoles": {
			        "items": {
			          "enum": [
			            "product-owner",
			            "scrum-master",
			            "team-member",
			            "chief-product-owner",
			            "chief-scrum-master",
			            "stakeholder",
			          ],
			          "type": "string",
			        },
			        "type": "array",
			      },
			      "fromTeams": {
			        "items": {
			          "maxLength": 64,
			          "minLength": 1,
			          "pattern": "^[A-Za-z0-9_-]+$",
			          "type": "string",
			        },
			        "type": "array",
			      },
			      "id": {
			        "maxLength": 64,
			        "minLength": 1,
			        "pattern": "^[A-Za-z0-9_-]+$",
			        "type": "string",
			      },
			      "personId": {
			        "maxLength": 64,
			        "minLength": 1,
			        "pattern": "^[A-Za-z0-9_-]+$",
			        "type": "string",
			      },
			      "roles": {
			        "items": {
			          "enum": [
			            "product-owner",
			            "scrum-master",
			            "team-member",
			            "chief-product-owner",
			            "chief-scrum-master",
			            "stakeholder",
			          ],
			          "type": "string",
			        },
			        "type": "array",
			      },
			      "status": {
			        "enum": [
			          "pending",
			          "approved",
			          "declined",
			          "withdrawn",
			        ],
			        "type": "string",
			      },
			      "teams": {
			        "items": {
			          "maxLength": 64,
			          "minLength": 1,
			          "pattern": "^[A-Za-z0-9_-]+$",
			          "type": "string",
			        },
			        "type": "array",
			      },
			    },
			    "required": [
			      "id",
			      "personId",
			      "fromTeams",
			      "fromRoles",
			      "teams",
			      "roles",
			      "status",
			      "createdAt",
			      "decidedBy",
			      "decidedAt",
			      "canDecide",
			    ],
			    "type": "object",
			  },
			  "type": "array",
			}
		`);
	});

	test('GET /api/boards/:id/members/live (each data line)', () => {
		expect(answer(MembersChanged)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "revision": {
			      "maximum": 9007199254740991,
			      "minimum": 0,
			      "type": "integer",
			    },
			  },
			  "required": [
			    "revision",
			  ],
			  "type": "object",
			}
		`);
	});
});

describe('answers', () => {
	test('POST /api/boards (201)', () => {
		expect(answer(BoardCreated)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "boardId": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			    "personId": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			    "token": {
			      "minLength": 1,
			      "type": "string",
			    },
			  },
			  "required": [
			    "boardId",
			    "personId",
			    "token",
			  ],
			  "type": "object",
			}
		`);
	});

	test('POST /api/boards/:id/invites (201)', () => {
		expect(answer(InviteCreated)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "expiresAt": {
			      "format": "date-time",
			      "pattern": "<Instant>",
			      "type": "string",
			    },
			    "id": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			    "invite": {
			      "minLength": 1,
			      "type": "string",
			    },
			    "path": {
			      "format": "starts_with",
			      "pattern": "^\\/join\\/.*",
			      "type": "string",
			    },
			  },
			  "required": [
			    "id",
			    "invite",
			    "path",
			    "expiresAt",
			  ],
			  "type": "object",
			}
		`);
	});

	test('GET /api/boards/:id/invites', () => {
		expect(answer(OpenInvites)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "items": {
			    "additionalProperties": false,
			    "properties": {
			      "createdAt": {
			        "format": "date-time",
			        "pattern": "<Instant>",
			        "type": "string",
			      },
			      "createdBy": {
			        "type": [
			          "string",
			          "null",
			        ],
			      },
			      "expiresAt": {
			        "format": "date-time",
			        "pattern": "<Instant>",
			        "type": "string",
			      },
			      "id": {
			        "maxLength": 64,
			        "minLength": 1,
			        "pattern": "^[A-Za-z0-9_-]+$",
			        "type": "string",
			      },
			      "role": {
			        "enum": [
			          "product-owner",
			          "scrum-master",
			          "team-member",
			          "chief-product-owner",
			          "chief-scrum-master",
			          "stakeholder",
			        ],
			        "type": "string",
			      },
			      "teamId": {
			        "anyOf": [
			          {
			            "maxLength": 64,
			            "minLength": 1,
			            "pattern": "^[A-Za-z0-9_-]+$",
			            "type": "string",
			          },
			          {
			            "type": "null",
			          },
			        ],
			      },
			    },
			    "required": [
			      "id",
			      "teamId",
			      "role",
			      "createdBy",
			      "createdAt",
			      "expiresAt",
			    ],
			    "type": "object",
			  },
			  "type": "array",
			}
		`);
	});

	test('DELETE /api/boards/:id/invites/:id and /members/:personId (204, no body)', () => {
		expect(answer(NoContent)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "type": "null",
			}
		`);
	});

	test('POST /api/boards/:id/join (201)', () => {
		expect(answer(Joined)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "boardId": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			    "personId": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			    "resumed": {
			      "default": false,
			      "type": "boolean",
			    },
			    "roles": {
			      "items": {
			        "enum": [
			          "product-owner",
			          "scrum-master",
			          "team-member",
			          "chief-product-owner",
			          "chief-scrum-master",
			          "stakeholder",
			        ],
			        "type": "string",
			      },
			      "type": "array",
			    },
			    "sandbox": {
			      "default": false,
			      "type": "boolean",
			    },
			    "teams": {
			      "items": {
			        "maxLength": 64,
			        "minLength": 1,
			        "pattern": "^[A-Za-z0-9_-]+$",
			        "type": "string",
			      },
			      "type": "array",
			    },
			    "token": {
			      "minLength": 1,
			      "type": "string",
			    },
			  },
			  "required": [
			    "boardId",
			    "personId",
			    "token",
			    "teams",
			    "roles",
			    "resumed",
			    "sandbox",
			  ],
			  "type": "object",
			}
		`);
	});

	test('GET /api/boards/:id/session', () => {
		expect(answer(SessionInfo)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "admin": {
			      "type": "boolean",
			    },
			    "boardId": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			    "expiresAt": {
			      "anyOf": [
			        {
			          "format": "date-time",
			          "pattern": "<Instant>",
			          "type": "string",
			        },
			        {
			          "type": "null",
			        },
			      ],
			    },
			    "name": {
			      "type": "string",
			    },
			    "personId": {
			      "maxLength": 64,
			      "minLength": 1,
			      "pattern": "^[A-Za-z0-9_-]+$",
			      "type": "string",
			    },
			    "roles": {
			      "items": {
			        "enum": [
			          "product-owner",
			          "scrum-master",
			          "team-member",
			          "chief-product-owner",
			          "chief-scrum-master",
			          "stakeholder",
			        ],
			        "type": "string",
			      },
			      "type": "array",
			    },
			    "teams": {
			      "items": {
			        "maxLength": 64,
			        "minLength": 1,
			        "pattern": "^[A-Za-z0-9_-]+$",
			        "type": "string",
			      },
			      "type": "array",
			    },
			  },
			  "required": [
			    "boardId",
			    "personId",
			    "name",
			    "teams",
			    "roles",
			    "admin",
			    "expiresAt",
			  ],
			  "type": "object",
			}
		`);
	});

	test('POST /api/boards/:id/tickets (201)', () => {
		expect(answer(ConnectionTicket)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "expiresAt": {
			      "format": "date-time",
			      "pattern": "<Instant>",
			      "type": "string",
			    },
			    "ticket": {
			      "minLength": 1,
			      "type": "string",
			    },
			  },
			  "required": [
			    "ticket",
			    "expiresAt",
			  ],
			  "type": "object",
			}
		`);
	});

	test('GET /api/boards/:id/members', () => {
		expect(answer(Members)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "items": {
			    "additionalProperties": false,
			    "properties": {
			      "admin": {
			        "type": "boolean",
			      },
			      "joinedAt": {
			        "format": "date-time",
			        "pattern": "<Instant>",
			        "type": "string",
			      },
			      "name": {
			        "type": "string",
			      },
			      "personId": {
			        "maxLength": 64,
			        "minLength": 1,
			        "pattern": "^[A-Za-z0-9_-]+$",
			        "type": "string",
			      },
			      "removedAt": {
			        "anyOf": [
			          {
			            "format": "date-time",
			            "pattern": "<Instant>",
			            "type": "string",
			          },
			          {
			            "type": "null",
			          },
			        ],
			      },
			      "roles": {
			        "items": {
			          "enum": [
			            "product-owner",
			            "scrum-master",
			            "team-member",
			            "chief-product-owner",
			            "chief-scrum-master",
			            "stakeholder",
			          ],
			          "type": "string",
			        },
			        "type": "array",
			      },
			      "teams": {
			        "items": {
			          "maxLength": 64,
			          "minLength": 1,
			          "pattern": "^[A-Za-z0-9_-]+$",
			          "type": "string",
			        },
			        "type": "array",
			      },
			    },
			    "required": [
			      "personId",
			      "name",
			      "teams",
			      "roles",
			      "admin",
			      "joinedAt",
			      "removedAt",
			    ],
			    "type": "object",
			  },
			  "type": "array",
			}
		`);
	});

	test('GET /api/boards/:id/audit', () => {
		expect(answer(AuditLog)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "items": {
			    "additionalProperties": false,
			    "properties": {
			      "at": {
			        "format": "date-time",
			        "pattern": "<Instant>",
			        "type": "string",
			      },
			      "author": {
			        "type": "string",
			      },
			      "bytes": {
			        "maximum": 9007199254740991,
			        "minimum": 0,
			        "type": "integer",
			      },
			      "document": {
			        "type": "string",
			      },
			      "intent": {
			        "type": [
			          "string",
			          "null",
			        ],
			      },
			      "seq": {
			        "maximum": 9007199254740991,
			        "minimum": 0,
			        "type": "integer",
			      },
			    },
			    "required": [
			      "at",
			      "document",
			      "seq",
			      "author",
			      "bytes",
			      "intent",
			    ],
			    "type": "object",
			  },
			  "type": "array",
			}
		`);
	});

	test('GET /api/boards/:id/findings', () => {
		expect(answer(Findings)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "items": {
			    "additionalProperties": false,
			    "properties": {
			      "message": {
			        "maxLength": 2000,
			        "minLength": 1,
			        "type": "string",
			      },
			      "refs": {
			        "items": {
			          "additionalProperties": false,
			          "properties": {
			            "id": {
			              "maxLength": 64,
			              "minLength": 1,
			              "type": "string",
			            },
			            "kind": {
			              "enum": [
			                "board",
			                "person",
			                "team",
			                "epic",
			                "story",
			                "workPackage",
			                "task",
			                "template",
			                "sprint",
			              ],
			              "type": "string",
			            },
			          },
			          "required": [
			            "kind",
			            "id",
			          ],
			          "type": "object",
			        },
			        "maxItems": 100,
			        "type": "array",
			      },
			      "rule": {
			        "enum": [
			          "R1",
			          "R2",
			          "R3",
			          "R4",
			          "R5",
			          "R6",
			          "R7",
			          "R8",
			          "R9",
			          "R10",
			          "R11",
			          "R12",
			          "R13",
			          "R14",
			          "R15",
			          "R16",
			          "R17",
			          "R18",
			          "R19",
			          "A1",
			        ],
			        "type": "string",
			      },
			      "severity": {
			        "enum": [
			          "error",
			          "warning",
			          "info",
			        ],
			        "type": "string",
			      },
			    },
			    "required": [
			      "rule",
			      "severity",
			      "message",
			      "refs",
			    ],
			    "type": "object",
			  },
			  "type": "array",
			}
		`);
	});

	test('GET /api/boards/:id/backlog', () => {
		expect(answer(BacklogPreview)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "stories": {
			      "items": {
			        "additionalProperties": false,
			        "properties": {
			          "acceptanceCriteria": {
			            "items": {
			              "maxLength": 1000,
			              "type": "string",
			            },
			            "type": "array",
			          },
			          "asA": {
			            "maxLength": 10000,
			            "type": "string",
			          },
			          "createdAt": {
			            "format": "date-time",
			            "pattern": "<Instant>",
			            "type": "string",
			          },
			          "duration": {
			            "enum": [
			              "finite",
			              "recurring",
			            ],
			            "type": "string",
			          },
			          "epicId": {
			            "anyOf": [
			              {
			                "maxLength": 64,
			                "minLength": 1,
			                "pattern": "^[A-Za-z0-9_-]+$",
			                "type": "string",
			              },
			              {
			                "type": "null",
			              },
			            ],
			          },
			          "escalationAllowed": {
			            "type": "boolean",
			          },
			          "escalationTargetIds": {
			            "items": {
			              "maxLength": 64,
			              "minLength": 1,
			              "pattern": "^[A-Za-z0-9_-]+$",
			              "type": "string",
			            },
			            "type": "array",
			          },
			          "estimates": {
			            "additionalProperties": {
			              "maximum": 10000,
			              "minimum": 0,
			              "type": "number",
			            },
			            "propertyNames": {
			              "maxLength": 64,
			              "minLength": 1,
			              "pattern": "^[A-Za-z0-9_-]+$",
			              "type": "string",
			            },
			            "type": "object",
			          },
			          "evidence": {
			            "default": "",
			            "maxLength": 2000,
			            "type": "string",
			          },
			          "experiment": {
			            "default": false,
			            "type": "boolean",
			          },
			          "hypothesis": {
			            "default": "",
			            "maxLength": 1000,
			            "type": "string",
			          },
			          "iWant": {
			            "maxLength": 10000,
			            "type": "string",
			          },
			          "id": {
			            "maxLength": 64,
			            "minLength": 1,
			            "pattern": "^[A-Za-z0-9_-]+$",
			            "type": "string",
			          },
			          "productOwnerIds": {
			            "items": {
			              "maxLength": 64,
			              "minLength": 1,
			              "pattern": "^[A-Za-z0-9_-]+$",
			              "type": "string",
			            },
			            "type": "array",
			          },
			          "proposals": {
			            "additionalProperties": {
			              "additionalProperties": false,
			              "properties": {
			                "at": {
			                  "format": "date-time",
			                  "pattern": "<Instant>",
			                  "type": "string",
			                },
			                "kind": {
			                  "enum": [
			                    "higher",
			                    "lower",
			                    "accept",
			                    "reject",
			                  ],
			                  "type": "string",
			                },
			                "note": {
			                  "maxLength": 500,
			                  "type": "string",
			                },
			                "sprintId": {
			                  "anyOf": [
			                    {
			                      "maxLength": 64,
			                      "minLength": 1,
			                      "pattern": "^[A-Za-z0-9_-]+$",
			                      "type": "string",
			                    },
			                    {
			                      "type": "null",
			                    },
			                  ],
			                },
			              },
			              "required": [
			                "kind",
			                "sprintId",
			                "note",
			                "at",
			              ],
			              "type": "object",
			            },
			            "default": {},
			            "propertyNames": {
			              "maxLength": 64,
			              "minLength": 1,
			              "pattern": "^[A-Za-z0-9_-]+$",
			              "type": "string",
			            },
			            "type": "object",
			          },
			          "rank": {
			            "maxLength": 256,
			            "minLength": 1,
			            "type": "string",
			          },
			          "sla": {
			            "enum": [
			              "none",
			              "policy",
			            ],
			            "type": "string",
			          },
			          "soThat": {
			            "maxLength": 10000,
			            "type": "string",
			          },
			          "successDirection": {
			            "default": "at-least",
			            "enum": [
			              "at-least",
			              "at-most",
			            ],
			            "type": "string",
			          },
			          "successMeasure": {
			            "maxLength": 10000,
			            "type": "string",
			          },
			          "successTarget": {
			            "anyOf": [
			              {
			                "maximum": 1000000000000,
			                "minimum": -1000000000000,
			                "type": "number",
			              },
			              {
			                "type": "null",
			              },
			            ],
			            "default": null,
			          },
			          "successUnit": {
			            "default": "",
			            "maxLength": 20,
			            "type": "string",
			          },
			          "teamIds": {
			            "items": {
			              "maxLength": 64,
			              "minLength": 1,
			              "pattern": "^[A-Za-z0-9_-]+$",
			              "type": "string",
			            },
			            "type": "array",
			          },
			          "teaming": {
			            "enum": [
			              "single",
			              "multiple",
			            ],
			            "type": "string",
			          },
			          "title": {
			            "maxLength": 200,
			            "minLength": 1,
			            "type": "string",
			          },
			          "valueEstimate": {
			            "anyOf": [
			              {
			                "maximum": 1000000,
			                "minimum": 0,
			                "type": "number",
			              },
			              {
			                "type": "null",
			              },
			            ],
			            "default": null,
			          },
			          "verdict": {
			            "anyOf": [
			              {
			                "enum": [
			                  "validated",
			                  "invalidated",
			                  "inconclusive",
			                ],
			                "type": "string",
			              },
			              {
			                "type": "null",
			              },
			            ],
			            "default": null,
			          },
			          "workType": {
			            "enum": [
			              "dev",
			              "ops",
			            ],
			            "type": "string",
			          },
			        },
			        "required": [
			          "id",
			          "title",
			          "asA",
			          "iWant",
			          "soThat",
			          "acceptanceCriteria",
			          "successMeasure",
			          "productOwnerIds",
			          "epicId",
			          "rank",
			          "duration",
			          "teaming",
			          "teamIds",
			          "workType",
			          "sla",
			          "escalationAllowed",
			          "escalationTargetIds",
			          "estimates",
			          "createdAt",
			          "proposals",
			          "successTarget",
			          "successDirection",
			          "successUnit",
			          "valueEstimate",
			          "experiment",
			          "hypothesis",
			          "verdict",
			          "evidence",
			        ],
			        "type": "object",
			      },
			      "maxItems": 200,
			      "type": "array",
			    },
			    "teams": {
			      "items": {
			        "additionalProperties": false,
			        "properties": {
			          "id": {
			            "maxLength": 64,
			            "minLength": 1,
			            "pattern": "^[A-Za-z0-9_-]+$",
			            "type": "string",
			          },
			          "kind": {
			            "enum": [
			              "dev",
			              "ops",
			              "mixed",
			            ],
			            "type": "string",
			          },
			          "memberIds": {
			            "items": {
			              "maxLength": 64,
			              "minLength": 1,
			              "pattern": "^[A-Za-z0-9_-]+$",
			              "type": "string",
			            },
			            "type": "array",
			          },
			          "memberSince": {
			            "additionalProperties": {
			              "format": "date-time",
			              "pattern": "<Instant>",
			              "type": "string",
			            },
			            "default": {},
			            "propertyNames": {
			              "maxLength": 64,
			              "minLength": 1,
			              "pattern": "^[A-Za-z0-9_-]+$",
			              "type": "string",
			            },
			            "type": "object",
			          },
			          "name": {
			            "maxLength": 200,
			            "minLength": 1,
			            "type": "string",
			          },
			          "scrumMasterId": {
			            "anyOf": [
			              {
			                "maxLength": 64,
			                "minLength": 1,
			                "pattern": "^[A-Za-z0-9_-]+$",
			                "type": "string",
			              },
			              {
			                "type": "null",
			              },
			            ],
			          },
			          "velocity": {
			            "maximum": 10000,
			            "minimum": 0,
			            "type": "number",
			          },
			        },
			        "required": [
			          "id",
			          "name",
			          "kind",
			          "scrumMasterId",
			          "memberIds",
			          "memberSince",
			          "velocity",
			        ],
			        "type": "object",
			      },
			      "type": "array",
			    },
			    "total": {
			      "maximum": 9007199254740991,
			      "minimum": 0,
			      "type": "integer",
			    },
			  },
			  "required": [
			    "total",
			    "stories",
			    "teams",
			  ],
			  "type": "object",
			}
		`);
	});

	test('GET /api/boards/:id/rejected', () => {
		expect(answer(RejectedReport)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "rejected": {
			      "items": {
			        "additionalProperties": false,
			        "properties": {
			          "key": {
			            "type": "string",
			          },
			          "reason": {
			            "type": "string",
			          },
			        },
			        "required": [
			          "key",
			          "reason",
			        ],
			        "type": "object",
			      },
			      "maxItems": 1000,
			      "type": "array",
			    },
			    "total": {
			      "additionalProperties": false,
			      "properties": {
			        "rejected": {
			          "maximum": 9007199254740991,
			          "minimum": 0,
			          "type": "integer",
			        },
			        "violations": {
			          "maximum": 9007199254740991,
			          "minimum": 0,
			          "type": "integer",
			        },
			      },
			      "required": [
			        "rejected",
			        "violations",
			      ],
			      "type": "object",
			    },
			    "violations": {
			      "items": {
			        "additionalProperties": false,
			        "properties": {
			          "document": {
			            "type": "string",
			          },
			          "path": {
			            "type": "string",
			          },
			          "problem": {
			            "type": "string",
			          },
			        },
			        "required": [
			          "document",
			          "path",
			          "problem",
			        ],
			        "type": "object",
			      },
			      "maxItems": 1000,
			      "type": "array",
			    },
			  },
			  "required": [
			    "rejected",
			    "violations",
			    "total",
			  ],
			  "type": "object",
			}
		`);
	});

	test('POST /api/boards/:id/repair', () => {
		expect(answer(RepairReport)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "removed": {
			      "items": {
			        "additionalProperties": false,
			        "properties": {
			          "document": {
			            "type": "string",
			          },
			          "path": {
			            "type": "string",
			          },
			          "problem": {
			            "type": "string",
			          },
			        },
			        "required": [
			          "document",
			          "path",
			          "problem",
			        ],
			        "type": "object",
			      },
			      "maxItems": 1000,
			      "type": "array",
			    },
			    "total": {
			      "maximum": 9007199254740991,
			      "minimum": 0,
			      "type": "integer",
			    },
			  },
			  "required": [
			    "removed",
			    "total",
			  ],
			  "type": "object",
			}
		`);
	});

	test('GET /api/time', () => {
		expect(answer(ServerTime)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "now": {
			      "type": "number",
			    },
			  },
			  "required": [
			    "now",
			  ],
			  "type": "object",
			}
		`);
	});

	test('GET /healthz', () => {
		expect(answer(HealthReport)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": {},
			  "properties": {
			    "status": {
			      "enum": [
			        "ok",
			        "degraded",
			      ],
			      "type": "string",
			    },
			  },
			  "required": [
			    "status",
			  ],
			  "type": "object",
			}
		`);
	});

	test('every refusal: { error, code }', () => {
		expect(answer(ErrorBody)).toMatchInlineSnapshot(`
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "additionalProperties": false,
			  "properties": {
			    "code": {
			      "enum": [
			        "bad-request",
			        "not-json",
			        "body-too-large",
			        "session-missing",
			        "session-invalid",
			        "session-expired",
			        "member-removed",
			        "wrong-board",
			        "not-admin",
			        "not-yours",
			        "not-approver",
			        "not-team-member",
			        "request-settled",
			        "invite-needed",
			        "invite-invalid",
			        "invite-expired",
			        "invite-revoked",
			        "ticket-invalid",
			        "ticket-expired",
			        "integration-invalid",
			        "not-found",
			        "method-not-allowed",
			        "board-id-taken",
			        "rate-limited",
			        "server-busy",
			        "store-failed",
			        "internal-error",
			      ],
			      "type": "string",
			    },
			    "error": {
			      "type": "string",
			    },
			  },
			  "required": [
			    "error",
			  ],
			  "type": "object",
			}
		`);
	});
});

describe('error codes', () => {
	test('are the ones a page may act on; removing or renaming one breaks older pages', () => {
		expect(ERROR_CODES).toMatchInlineSnapshot(`
			[
			  "bad-request",
			  "not-json",
			  "body-too-large",
			  "session-missing",
			  "session-invalid",
			  "session-expired",
			  "member-removed",
			  "wrong-board",
			  "not-admin",
			  "not-yours",
			  "not-approver",
			  "not-team-member",
			  "request-settled",
			  "invite-needed",
			  "invite-invalid",
			  "invite-expired",
			  "invite-revoked",
			  "ticket-invalid",
			  "ticket-expired",
			  "integration-invalid",
			  "not-found",
			  "method-not-allowed",
			  "board-id-taken",
			  "rate-limited",
			  "server-busy",
			  "store-failed",
			  "internal-error",
			]
		`);
	});

	test('an error body without a code is still an error body (an older server)', () => {
		expect(ErrorBody.parse({ error: 'Something went wrong.' })).toEqual({
			error: 'Something went wrong.'
		});
	});
});

describe('a board created with a time zone', () => {
	test.each([
		'Europe/Berlin',
		'UTC',
		'America/Argentina/Buenos_Aires',
		'Etc/GMT+1',
		'Asia/Kolkata'
	])('%s is taken', (timeZone) => {
		expect(CreateBoardRequest.parse({ name: 'Acme', adminName: 'Alice', timeZone }).timeZone).toBe(
			timeZone
		);
	});

	test("this runtime's own time zone is taken (what a browser sends)", () => {
		const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
		expect(TimeZone.safeParse(timeZone).success).toBe(true);
	});

	test.each([
		['an unknown zone', 'Mars/Olympus_Mons'],
		['an offset', '+01:00'],
		['an empty name', ''],
		['a name over 64 characters', `Europe/${'x'.repeat(60)}`],
		['a path', '../../etc/passwd'],
		['a number', 3600]
	])('%s is refused', (_label, timeZone) => {
		expect(
			CreateBoardRequest.safeParse({ name: 'Acme', adminName: 'Alice', timeZone }).success
		).toBe(false);
	});

	test('none is fine: the time zone is optional', () => {
		expect(CreateBoardRequest.parse({ name: ' Acme ', adminName: 'Alice' })).toEqual({
			name: 'Acme',
			adminName: 'Alice'
		});
	});
});
