/**
 * The demo board a newcomer sees on first start: two product teams and a second-level operations
 * team sharing one backlog, with an active sprint each, a recurring support story with SLA, an
 * escalation path and a SEV1 incident in flight. Built with the public operations only.
 */
import { addDays } from '../domain/days';
import type { BoardDocs } from './board-docs';
import * as op from './operations';
import type { OpContext } from './operations';

type DemoPerson =
	| 'priya'
	| 'sam'
	| 'lee'
	| 'ana'
	| 'ben'
	| 'chen'
	| 'dana'
	| 'eli'
	| 'fay'
	| 'gus'
	| 'hana'
	| 'ivan'
	| 'jo';

export interface DemoIds {
	people: Record<DemoPerson, string>;
	teams: { web: string; mobile: string; ops: string };
	sprints: { web: string; mobile: string; ops: string; webNext: string };
	stories: {
		checkout: string;
		search: string;
		appRelease: string;
		support: string;
		secondLine: string;
		hiring: string;
	};
	templates: { sev1: string };
	incident: string;
}

/** Seeds a demo board into empty documents, with sprints around `today` (YYYY-MM-DD). */
export function seedDemoBoard(docs: BoardDocs, ctx: OpContext, today: string): DemoIds {
	op.createBoard(docs, ctx, {
		name: 'Acme Shop',
		vision: 'Customers find, buy and get support for anything in under a minute.',
		operationalGoals: ['99.9 % checkout availability', 'SEV1 resolved within 6 hours']
	});
	const person = (name: string, roles: Parameters<typeof op.addPerson>[2]['roles']) =>
		op.addPerson(docs, ctx, { name, roles }).id;
	const people: Record<DemoPerson, string> = {
		priya: person('Priya (PO)', ['product-owner', 'chief-product-owner']),
		sam: person('Sam (SM)', ['scrum-master', 'chief-scrum-master']),
		lee: person('Lee (SM)', ['scrum-master']),
		ana: person('Ana', ['team-member']),
		ben: person('Ben', ['team-member']),
		chen: person('Chen', ['team-member']),
		dana: person('Dana', ['team-member']),
		eli: person('Eli', ['team-member']),
		fay: person('Fay', ['team-member']),
		gus: person('Gus', ['team-member']),
		hana: person('Hana', ['team-member']),
		ivan: person('Ivan', ['team-member']),
		jo: person('Jo', ['team-member'])
	};
	const p = people;
	const web = op.createTeam(docs, ctx, {
		name: 'Web',
		kind: 'mixed',
		velocity: 30,
		scrumMasterId: p.sam,
		memberIds: [p.sam, p.ana, p.ben, p.chen, p.dana, p.eli]
	}).id;
	const mobile = op.createTeam(docs, ctx, {
		name: 'Mobile',
		kind: 'dev',
		velocity: 24,
		scrumMasterId: p.lee,
		memberIds: [p.lee, p.fay, p.gus, p.hana]
	}).id;
	const ops = op.createTeam(docs, ctx, {
		name: 'Ops L2',
		kind: 'ops',
		velocity: 20,
		scrumMasterId: p.lee,
		memberIds: [p.lee, p.ivan, p.jo, p.eli, p.gus, p.hana]
	}).id;

	const shop = op.createEpic(docs, ctx, { title: 'Frictionless checkout' }).id;
	const story = (input: op.StoryInput) =>
		op.createStory(docs, ctx, { productOwnerIds: [p.priya], ...input }).id;
	const secondLine = story({
		title: 'Second-level production support',
		asA: 'customer',
		iWant: 'hard problems fixed by specialists',
		soThat: 'the shop stays up',
		duration: 'recurring',
		workType: 'ops',
		sla: 'policy',
		teamIds: [ops],
		estimates: { [ops]: 8 }
	});
	const support = story({
		title: 'First-level web support',
		asA: 'customer',
		iWant: 'my problem with the website solved quickly',
		soThat: 'I can finish my purchase',
		duration: 'recurring',
		workType: 'ops',
		sla: 'policy',
		teamIds: [web],
		escalationAllowed: true,
		escalationTargetIds: [secondLine],
		estimates: { [web]: 9 }
	});
	const checkout = story({
		title: 'One-click checkout',
		asA: 'returning customer',
		iWant: 'to pay with one click',
		soThat: 'buying takes seconds',
		acceptanceCriteria: ['Saved card is used', 'Receipt is e-mailed'],
		successMeasure: 'Checkout conversion',
		successTarget: 3.5,
		successUnit: '%',
		valueEstimate: 40,
		epicId: shop,
		teamIds: [web],
		estimates: { [web]: 13 }
	});
	const search = story({
		title: 'Search suggestions',
		asA: 'shopper',
		iWant: 'suggestions while I type',
		soThat: 'I find products faster',
		teaming: 'multiple',
		teamIds: [web, mobile],
		valueEstimate: 20,
		estimates: { [web]: 5, [mobile]: 8 }
	});
	const appRelease = story({
		title: 'App store release 4.2',
		asA: 'mobile user',
		iWant: 'the new checkout in the app',
		soThat: 'I can buy on the go',
		epicId: shop,
		teamIds: [mobile],
		valueEstimate: 30,
		estimates: { [mobile]: 13 }
	});
	const hiring = story({
		title: 'Hire a site reliability engineer',
		asA: 'ops team',
		iWant: 'one more on-call engineer',
		soThat: 'nights are covered',
		duration: 'recurring',
		workType: 'ops',
		teamIds: [ops]
	});

	const start = today;
	const end = addDays(today, 13);
	const sprint = (teamId: string, name: string, goal: string, from = start, to = end) =>
		op.planSprint(docs, ctx, { teamId, name, goal, start: from, end: to }).id;
	const sprints = {
		web: sprint(web, 'Web 14', 'Ship one-click checkout'),
		mobile: sprint(mobile, 'Mobile 14', 'Release 4.2'),
		ops: sprint(ops, 'Ops 14', 'Keep the lights on'),
		webNext: sprint(web, 'Web 15', 'Search suggestions', addDays(today, 14), addDays(today, 27))
	};
	for (const id of [sprints.web, sprints.mobile, sprints.ops]) op.startSprint(docs, ctx, id);
	op.commitStory(docs, ctx, sprints.web, checkout, 13);
	op.commitStory(docs, ctx, sprints.web, search, 5);
	op.reserveUnknownWork(docs, ctx, sprints.web, support, 9);
	op.commitStory(docs, ctx, sprints.mobile, appRelease, 13);
	op.commitStory(docs, ctx, sprints.mobile, search, 8);
	op.reserveUnknownWork(docs, ctx, sprints.ops, secondLine, 8);

	const sev1 = op.seedIncidentTemplates(docs, ctx).SEV1;
	const incident = op.createWorkPackageFromTemplate(docs, ctx, {
		templateId: sev1,
		storyId: support,
		teamId: web,
		title: 'Checkout returns HTTP 500 for EU cards'
	}).workPackage.id;
	op.setSwarming(docs, ctx, incident, p.ana, true);

	return {
		people,
		teams: { web, mobile, ops },
		sprints,
		stories: { checkout, search, appRelease, support, secondLine, hiring },
		templates: { sev1 },
		incident
	};
}
