/**
 * Prints a session token for scripts and tests:
 *
 *   npm run token -- --board <id> --user <name> [--team <id>]… [--role <role>]… [--person <id>]
 *                    [--admin] [--expires-in <duration>]
 *
 * Signed with the same secret as the server (SCRUMOPS_SECRET, or the one kept in PostgreSQL when
 * DATABASE_URL is set, or DATA_DIR/secret.key; created if missing), so a running server accepts it; the person becomes a member on first use. The token
 * is the last line of standard output.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PersonName } from '../src/lib/contract/http';
import { Id, Role, ROLES } from '../src/lib/domain/schema';
import { loadConfiguredSecret, parseDatabaseUrl } from '../server/persistence';
import { TokenIssuer } from '../server/auth/tokens';
import { SERVER_AUTHOR } from '../server/store/validate';

const USAGE = `Usage: npm run token -- --board <id> --user <name> [--team <id>]... [--role <role>]...
                       [--person <id>] [--admin] [--expires-in <duration>]
  --board        the board id
  --user         the person's display name
  --person       their person id (default: the name in lower case, e.g. "Ada Lovelace" → ada-lovelace)
  --team         a team they belong to; repeat for several
  --role         ${ROLES.join(', ')}; repeat for several (default team-member)
  --admin        they administer the board
  --expires-in   e.g. 30m, 12h, 7d (default 30d); "never" for a token that does not expire`;

function fail(message: string): never {
	process.stderr.write(`${message}\n\n${USAGE}\n`);
	process.exit(2);
}

function durationSeconds(value: string): number | null {
	if (value === 'never') return null;
	const match = /^(\d+)\s*([smhd])$/.exec(value.trim());
	if (!match) fail(`--expires-in ${JSON.stringify(value)} is not a duration like 30m, 12h or 7d.`);
	const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
	const seconds = Number(match[1]) * unit;
	if (seconds < 1 || seconds > 366 * 86_400) fail('--expires-in must be from 1 s to 366 days.');
	return seconds;
}

function check<T>(
	schema: { safeParse(value: unknown): { success: boolean; data?: T } },
	value: unknown,
	what: string
): T {
	const result = schema.safeParse(value);
	if (!result.success) fail(`${what} ${JSON.stringify(value)} is not valid.`);
	return result.data as T;
}

let args;
try {
	args = parseArgs({
		options: {
			board: { type: 'string' },
			user: { type: 'string' },
			person: { type: 'string' },
			team: { type: 'string', multiple: true },
			role: { type: 'string', multiple: true },
			admin: { type: 'boolean' },
			'expires-in': { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		},
		strict: true
	}).values;
} catch (error) {
	fail((error as Error).message);
}
if (args.help) {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}
if (!args.board) fail('--board is required.');
if (!args.user) fail('--user is required.');

const boardId = check<string>(Id, args.board, '--board');
const name = check<string>(PersonName, args.user, '--user');
const personId = check<string>(
	Id,
	args.person ??
		name
			.toLowerCase()
			.replace(/[^a-z0-9_-]+/g, '-')
			.replace(/^-+|-+$/g, ''),
	'--person'
);
if (personId === SERVER_AUTHOR) fail(`"${SERVER_AUTHOR}" is reserved; pass another --person.`);
const teams = (args.team ?? []).map((team) => check<string>(Id, team, '--team'));
const roles = (args.role ?? ['team-member']).map((role) => check<Role>(Role, role, '--role'));
const ttl = durationSeconds(args['expires-in'] ?? '30d');

const dataDir = path.resolve(process.env.DATA_DIR?.trim() || 'data');
let secret;
try {
	secret = await loadConfiguredSecret({ databaseUrl: parseDatabaseUrl(process.env), dataDir });
} catch (error) {
	process.stderr.write(`${(error as Error).message}\n`);
	process.exit(1);
}
const token = await new TokenIssuer(secret.key).issueSession(
	{ boardId, personId, name, teams, roles, admin: args.admin ?? false },
	ttl
);
process.stderr.write(
	`Session token for ${name} (${personId}) on board ${boardId}: teams [${teams.join(', ')}], roles [${roles.join(', ')}]${args.admin ? ', admin' : ''}, ${ttl === null ? 'never expires' : `expires in ${args['expires-in'] ?? '30d'}`}.\n`
);
process.stdout.write(`${token}\n`);
