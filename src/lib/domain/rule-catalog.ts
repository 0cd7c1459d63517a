/**
 * The rules the validation layer applies to every merged board state: R1–R19, then A1, which
 * checks who made role-guarded changes (src/lib/domain/authorship.ts). docs/domain.md explains
 * each one in its own section (docs/domain.md#r1-over-commitment, …). Ids are stable: code,
 * tests and docs cite them, so never renumber an entry.
 */
// Type-only import: the id union lives with the finding schema, and erasing it keeps zod out of
// the landing page bundle.
import type { RuleId } from './findings';

/** One rule of the catalog: its stable id, a short title and a one-sentence summary. */
export interface RuleCatalogEntry {
	readonly id: RuleId;
	readonly title: string;
	readonly summary: string;
}

/** Every rule, in id order (R-rules, then A-rules), with the wording a Scrum Master reads on the board. */
export const RULE_CATALOG: readonly RuleCatalogEntry[] = [
	{
		id: 'R1',
		title: 'Over-commitment',
		summary:
			"A team's committed story points, known work packages and reserved unknown-work allocations in a sprint must not exceed its velocity."
	},
	{
		id: 'R2',
		title: 'Capacity split',
		summary:
			"A team's ops share of committed points should stay within a tolerance of the board's target dev/ops split."
	},
	{
		id: 'R3',
		title: 'One Product Owner',
		summary: 'Every user story has exactly one Product Owner.'
	},
	{
		id: 'R4',
		title: 'Single-team means one team',
		summary:
			'A single-team story has one participating team and is committed by at most one team; otherwise recategorize it as multiple-team.'
	},
	{
		id: 'R5',
		title: 'Finite fits a sprint',
		summary:
			"A finite story is committed to at most one open sprint of a team and its points for a team never exceed that team's velocity."
	},
	{
		id: 'R6',
		title: 'Multi-team coordination',
		summary:
			'Each team sharing a multiple-team story gives its own estimate, and teams sharing a story in the current sprint keep aligned sprint dates.'
	},
	{
		id: 'R7',
		title: 'Escalation is legal',
		summary:
			'A work package may move to another story only if its story allows escalation to it, the target is recurring and in an active sprint, and both share the same SLA setting.'
	},
	{
		id: 'R8',
		title: 'SLA clock survives escalation',
		summary: 'Escalating a work package never changes its SLA deadline or severity.'
	},
	{
		id: 'R9',
		title: 'SLA status',
		summary:
			'An unresolved work package past its SLA deadline is breached, and one with less than 25 % of its SLA window left is at risk.'
	},
	{
		id: 'R10',
		title: 'Carry-over',
		summary:
			"When a sprint closes, unfinished recurring work stays with its story and must be planned into the team's next sprint, while unfinished finite stories return to the backlog."
	},
	{
		id: 'R11',
		title: 'Team write scope',
		summary:
			"A team edits only the tasks it owns and sees every other team's tasks read-only; a task whose owner changed is reported."
	},
	{
		id: 'R12',
		title: 'Large-scale roles',
		summary: 'A board with more than 3 teams needs a Chief Product Owner and a Chief Scrum Master.'
	},
	{
		id: 'R13',
		title: 'Swarm on SEV1',
		summary: 'An open SEV1 incident should have at least 2 people swarming on it.'
	},
	{
		id: 'R14',
		title: 'Escalation returns',
		summary:
			'A work package escalated away is completed by the originating team only after the receiving team has resolved it, and the originating team is notified then.'
	},
	{
		id: 'R15',
		title: 'Team size',
		summary: 'A team works best with 6 to 10 members.'
	},
	{
		id: 'R16',
		title: 'Accepted, not done',
		summary:
			'A story is accepted at a review only once every criterion of its Definition of Done is ticked; an acceptance with criteria unticked is reported, naming them.'
	},
	{
		id: 'R17',
		title: 'Reserve overrun',
		summary:
			'The unknown work that arrives under a recurring story during a sprint stays within the points the sprint reserved for it.'
	},
	{
		id: 'R18',
		title: 'Assignee in the team',
		summary:
			'A task is assigned to a member of the team that owns it, and a work package to a member of one of its teams.'
	},
	{
		id: 'R19',
		title: 'Post-incident review overdue',
		summary:
			'A completed SEV1 or SEV2 incident has its post-incident review marked done within the days the board allows (5 by default).'
	},
	{
		id: 'A1',
		title: 'Role-guarded change',
		summary:
			"A story's Product Owner, duration, teaming and SLA setting are changed by a Product Owner, its backlog position and review by its own Product Owner or the Chief Product Owner, and a team's velocity by a Scrum Master; a change by anyone else is reported, naming them."
	}
];
