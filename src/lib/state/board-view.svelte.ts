/**
 * A board as reactive values for components: the backlog in order, teams, sprints, tasks and the
 * findings, recomputed when a merged change (local or remote) reaches the projection. Each list
 * depends only on its own collection, so a story's title edit does not re-sort the people, and
 * the backlog is kept sorted incrementally, so that edit does not re-sort 10,000 stories either.
 */
import type { BacklogPreview } from '../domain/backlog-preview';
import type { Finding, RefKind } from '../domain/findings';
import { byCreation } from '../domain/done';
import { compareRanked } from '../domain/order';
import {
	COLLECTIONS,
	type Board,
	type Comment,
	type CommentTarget,
	type Epic,
	type DoneChecklist,
	type DoneCriterion,
	type IncidentReview,
	type Observation,
	type Person,
	type Sprint,
	type Story,
	type Team,
	type WorkPackage
} from '../domain/schema';
import type { PlacedTask } from '../domain/state';
import type { BoardProjection, EntityChange } from '../sync/projection';

/** The numbers behind a sprint's capacity bar (the R1 and R2 findings decide the colour). */
export interface SprintLoad {
	velocity: number;
	/** Committed stories + known work packages. */
	known: number;
	/** Reserved for unknown work of recurring stories. */
	reserved: number;
	total: number;
	/** Share of the sprint's points on ops work, 0–100, or null when nothing is planned. */
	opsPercent: number | null;
}

type Source = EntityChange['collection'];

/** A change counter that effects and deriveds can depend on. */
class Version {
	value = $state(0);
}

const byName = <T extends { name: string; id: string }>(a: T, b: T) =>
	a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1);
const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

/** Above this many changed stories the backlog is sorted again rather than patched. */
const RESORT_THRESHOLD = 256;

export class BoardView {
	readonly #projection: BoardProjection;
	readonly #versions: Record<Source, Version>;
	/** Stories changed since the backlog was last built; null: build it from scratch. */
	#changedStories: Set<string> | null = null;
	#sortedBacklog: Story[] = [];
	/** The findings effects see: published after the frame that shows the change (see findings). */
	#shownFindings = $state.raw<readonly Finding[]>([]);
	#findingsDue = false;
	/** The top of the backlog the server sent, shown until the board document is here. */
	#preview = $state.raw<BacklogPreview | null>(null);

	readonly #backlog = $derived.by(() => {
		this.#track('stories');
		return this.#updateBacklog();
	});
	readonly #teams = $derived.by(() => {
		this.#track('teams');
		return [...this.#projection.state.teams.values()].sort(byName);
	});
	readonly #people = $derived.by(() => {
		this.#track('people');
		return [...this.#projection.state.people.values()].sort(byName);
	});
	readonly #epics = $derived.by(() => {
		this.#track('epics');
		return [...this.#projection.state.epics.values()].sort((a, b) =>
			a.title.localeCompare(b.title)
		);
	});
	readonly #sprints = $derived.by(() => {
		this.#track('sprints');
		return [...this.#projection.state.sprints.values()].sort((a, b) =>
			a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1
		);
	});
	readonly #tasks = $derived.by(() => {
		this.#track('tasks');
		return [...this.#projection.state.tasks.values()].sort(compareRanked);
	});
	readonly #workPackages = $derived.by(() => {
		this.#track('workPackages');
		return [...this.#projection.state.workPackages.values()];
	});
	readonly #doneCriteria = $derived.by(() => {
		this.#track('doneCriteria');
		return [...this.#projection.state.doneCriteria.values()].sort(byCreation);
	});
	readonly #comments = $derived.by(() => {
		this.#track('comments');
		return [...this.#projection.state.comments.values()];
	});
	readonly #rejected = $derived.by(() => {
		// A rejection comes and goes with a change of its entity, in any collection.
		for (const source of Object.keys(this.#versions) as Source[]) this.#track(source);
		return [...this.#projection.rejected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	});

	constructor(projection: BoardProjection) {
		this.#projection = projection;
		const sources: Source[] = [...COLLECTIONS, 'meta', 'authorship'];
		this.#versions = Object.fromEntries(sources.map((s) => [s, new Version()])) as Record<
			Source,
			Version
		>;
		// For as long as the projection lives: the backlog patch needs every story change.
		projection.subscribe((changes) => this.#onChanges(changes));
		this.#scheduleFindings();
	}

	get board(): Board | null {
		this.#track('meta');
		return this.#projection.state.board;
	}

	/**
	 * What this page's reader ignores because it breaks the document contract or the schema:
	 * `collection/id` (`meta/board`, `authorship/<key>`, `tasks/<id>@<team>`) and why, by key.
	 */
	get rejected(): readonly (readonly [string, string])[] {
		return this.#rejected;
	}

	/** Whether the board document has arrived (from the server or this browser's copy). */
	get loaded(): boolean {
		return this.board !== null;
	}

	/**
	 * While the board document is still loading: the top of the backlog as the server has it,
	 * for reading only. Null once the board is here (or when no preview came).
	 */
	get preview(): BacklogPreview | null {
		return this.loaded ? null : this.#preview;
	}

	/** Shows `preview` until the board document arrives; ignored once it has. */
	showPreview(preview: BacklogPreview): void {
		if (!this.loaded) this.#preview = preview;
	}

	/** Every story, in backlog order (rank, then id). */
	get backlog(): readonly Story[] {
		return this.#backlog;
	}

	get teams(): readonly Team[] {
		return this.#teams;
	}

	get people(): readonly Person[] {
		return this.#people;
	}

	get epics(): readonly Epic[] {
		return this.#epics;
	}

	/** Sprints of every team, by start day. */
	get sprints(): readonly Sprint[] {
		return this.#sprints;
	}

	/** Tasks of every team, in column order. */
	get tasks(): readonly PlacedTask[] {
		return this.#tasks;
	}

	get workPackages(): readonly WorkPackage[] {
		return this.#workPackages;
	}

	/** Comments on every story and work package, in no particular order. */
	get comments(): readonly Comment[] {
		return this.#comments;
	}

	/** The comments on one story or work package. */
	commentsOn(kind: CommentTarget, id: string): Comment[] {
		return this.comments.filter((c) => c.targetKind === kind && c.targetId === id);
	}

	/**
	 * Every finding, in the engine's order. Components (any reactive read) get them after the
	 * frame that shows the change that caused them: the first validation of a large board takes
	 * longer than a frame, and rows should not wait for it. Elsewhere (event handlers, tests)
	 * they are computed on the spot.
	 */
	get findings(): readonly Finding[] {
		if ($effect.tracking()) return this.#shownFindings;
		return [...this.#projection.findings()];
	}

	story(id: string): Story | undefined {
		this.#track('stories');
		return this.#projection.state.stories.get(id);
	}

	team(id: string): Team | undefined {
		this.#track('teams');
		return this.#projection.state.teams.get(id) ?? this.preview?.teams.find((t) => t.id === id);
	}

	person(id: string): Person | undefined {
		this.#track('people');
		return this.#projection.state.people.get(id);
	}

	sprint(id: string): Sprint | undefined {
		this.#track('sprints');
		return this.#projection.state.sprints.get(id);
	}

	workPackage(id: string): WorkPackage | undefined {
		this.#track('workPackages');
		return this.#projection.state.workPackages.get(id);
	}

	/** The post-incident review of a work package, once someone started it. */
	incidentReview(workPackageId: string): IncidentReview | undefined {
		this.#track('incidentReviews');
		return this.#projection.state.incidentReviews.get(workPackageId);
	}

	/** Every criterion of the Definition of Done, retired ones too, oldest first. */
	get doneCriteria(): readonly DoneCriterion[] {
		return this.#doneCriteria;
	}

	/** A story's Definition of Done checklist, once someone ticked or accepted it. */
	doneChecklist(storyId: string): DoneChecklist | undefined {
		this.#track('doneChecklists');
		return this.#projection.state.doneChecklists.get(storyId);
	}

	/** The readings of a story's success measure, newest first. */
	observationsOf(storyId: string): Observation[] {
		this.#track('observations');
		return [...this.#projection.state.observations.values()]
			.filter((o) => o.storyId === storyId)
			.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1));
	}

	task(id: string): PlacedTask | undefined {
		this.#track('tasks');
		return this.#projection.state.tasks.get(id);
	}

	/** A story's place in the backlog (0 is the top), or -1 when it is not in it. */
	backlogIndex(story: Story): number {
		const backlog = this.backlog;
		const index = insertionIndex(backlog, story);
		return backlog[index]?.id === story.id ? index : -1;
	}

	/** Findings that name the object, e.g. the R1 finding of one sprint. */
	findingsAbout(kind: RefKind, id: string, rule?: Finding['rule']): Finding[] {
		return this.findings.filter(
			(f) => (!rule || f.rule === rule) && f.refs.some((r) => r.kind === kind && r.id === id)
		);
	}

	/** The team's sprints, open ones first (active, then planned), then closed. */
	sprintsOf(teamId: string): Sprint[] {
		const order = { active: 0, planned: 1, closed: 2 } as const;
		return this.sprints
			.filter((s) => s.teamId === teamId)
			.sort((a, b) => order[a.state] - order[b.state] || (a.start < b.start ? -1 : 1));
	}

	/** What a sprint holds against the team's velocity. */
	load(sprint: Sprint): SprintLoad {
		const velocity = this.team(sprint.teamId)?.velocity ?? 0;
		const known = sum(sprint.commitments) + sum(sprint.knownWork);
		const reserved = sum(sprint.reserved);
		const total = known + reserved;
		const opsCommitted = Object.entries(sprint.commitments)
			.filter(([storyId]) => {
				const story = this.story(storyId);
				return story && (story.workType === 'ops' || story.duration === 'recurring');
			})
			.reduce((acc, [, points]) => acc + points, 0);
		const ops = opsCommitted + reserved + sum(sprint.knownWork);
		return {
			velocity,
			known,
			reserved,
			total,
			opsPercent: total > 0 ? (ops * 100) / total : null
		};
	}

	#track(source: Source): void {
		void this.#versions[source].value;
	}

	#onChanges(changes: readonly EntityChange[]): void {
		const touched: Source[] = [];
		for (const change of changes) {
			if (!touched.includes(change.collection)) touched.push(change.collection);
			if (change.collection === 'stories') this.#changedStories?.add(change.id);
		}
		// Many changed stories are re-sorted anyway: stop collecting them.
		if (this.#changedStories && this.#changedStories.size > RESORT_THRESHOLD) {
			this.#changedStories = null;
		}
		for (const source of touched) this.#versions[source].value++;
		if (this.#preview && this.#projection.state.board) this.#preview = null;
		this.#scheduleFindings();
	}

	/**
	 * The backlog in order. A few changed stories are taken out and put back in place (binary
	 * search), keeping every other story object; many (a board loading) mean one sort.
	 */
	#updateBacklog(): Story[] {
		const stories = this.#projection.state.stories;
		const changed = this.#changedStories;
		// Bookkeeping for the next patch, not state: nothing renders from it.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		this.#changedStories = new Set();
		if (changed === null || changed.size > RESORT_THRESHOLD) {
			this.#sortedBacklog = [...stories.values()].sort(compareRanked);
			return this.#sortedBacklog;
		}
		if (changed.size === 0 && this.#sortedBacklog.length === stories.size) {
			return this.#sortedBacklog;
		}
		const next = this.#sortedBacklog.filter((story) => !changed.has(story.id));
		for (const id of changed) {
			const story = stories.get(id);
			if (story) next.splice(insertionIndex(next, story), 0, story);
		}
		this.#sortedBacklog = next;
		return next;
	}

	#scheduleFindings(): void {
		if (this.#findingsDue) return;
		this.#findingsDue = true;
		afterPaint(() => {
			this.#findingsDue = false;
			const next = this.#projection.findings();
			// The same findings again (most edits): keep the array, so nothing re-renders.
			if (!sameFindings(next, this.#shownFindings)) this.#shownFindings = [...next];
		});
	}
}

/** Where `story` goes in `sorted` (backlog order). */
function insertionIndex(sorted: readonly Story[], story: Story): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compareRanked(sorted[middle]!, story) < 0) low = middle + 1;
		else high = middle;
	}
	return low;
}

function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) {
		const x = a[i]!;
		const y = b[i]!;
		if (x === y) continue;
		if (x.rule !== y.rule || x.severity !== y.severity || x.message !== y.message) return false;
		if (x.refs.length !== y.refs.length) return false;
		for (let r = 0; r < x.refs.length; r++) {
			if (x.refs[r]!.kind !== y.refs[r]!.kind || x.refs[r]!.id !== y.refs[r]!.id) return false;
		}
	}
	return true;
}

/**
 * Runs `task` once the browser has painted the next frame (outside a browser: in the next
 * task). A hidden tab paints no frames: there it runs in the next task too.
 */
function afterPaint(task: () => void): void {
	if (typeof requestAnimationFrame !== 'function' || document.hidden) setTimeout(task, 0);
	else requestAnimationFrame(() => setTimeout(task, 0));
}
