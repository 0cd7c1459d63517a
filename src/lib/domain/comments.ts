/**
 * Comments on stories and work packages: threads, `@name` mentions, who may change a comment,
 * and the notices a mention brings. Pure: the sync layer stores comments, views show them.
 */
import type { Comment, CommentTarget, Person } from './schema';

/** A comment in its thread, with how deep it sits (0: it starts a thread). */
export interface ThreadedComment {
	comment: Comment;
	depth: number;
}

/** Replies deeper than this are shown at this depth, still after what they answer. */
export const MAX_THREAD_DEPTH = 4;

const byTime = (a: Comment, b: Comment) =>
	a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : a.id < b.id ? -1 : 1;

/**
 * The comments on one target as threads, oldest thread first, each reply after what it answers.
 * A reply whose parent is missing, or on another target, starts a thread of its own; so does a
 * cycle of replies, which only a hand-written board can hold.
 */
export function threadOf(
	comments: Iterable<Comment>,
	targetKind: CommentTarget,
	targetId: string
): ThreadedComment[] {
	const on = [...comments].filter((c) => c.targetKind === targetKind && c.targetId === targetId);
	const ids = new Set(on.map((c) => c.id));
	const replies = new Map<string, Comment[]>();
	const roots: Comment[] = [];
	for (const comment of on.sort(byTime)) {
		const parent = comment.parentId;
		if (parent !== null && parent !== comment.id && ids.has(parent)) {
			replies.set(parent, [...(replies.get(parent) ?? []), comment]);
		} else roots.push(comment);
	}
	const out: ThreadedComment[] = [];
	const placed = new Set<string>();
	const walk = (start: Comment) => {
		const stack: ThreadedComment[] = [{ comment: start, depth: 0 }];
		while (stack.length > 0) {
			const next = stack.pop()!;
			if (placed.has(next.comment.id)) continue;
			placed.add(next.comment.id);
			out.push(next);
			const children = replies.get(next.comment.id) ?? [];
			const depth = Math.min(next.depth + 1, MAX_THREAD_DEPTH);
			for (let i = children.length - 1; i >= 0; i--) stack.push({ comment: children[i]!, depth });
		}
	};
	for (const root of roots) walk(root);
	// Replies caught in a cycle never reach a root: show them as threads of their own.
	for (const comment of on) if (!placed.has(comment.id)) walk(comment);
	return out;
}

/** Only its author changes or withdraws a comment, and a withdrawn one stays withdrawn. */
export function canEditComment(comment: Comment, personId: string | null): boolean {
	return personId !== null && comment.authorId === personId && comment.deletedAt === null;
}

const WORD = /[\p{L}\p{N}_]/u;

/**
 * The people a body mentions: each whose name follows an `@` there as a whole word (`@Ana` does
 * not mention Anabel). Of namesakes, the ones picked from the suggestions win; none picked: all.
 */
export function mentionedIds(
	body: string,
	people: readonly Pick<Person, 'id' | 'name'>[],
	picked: readonly string[] = []
): string[] {
	const found = new Set<string>();
	const byName = new Map<string, Pick<Person, 'id' | 'name'>[]>();
	for (const person of people) {
		const key = person.name.toLocaleLowerCase();
		byName.set(key, [...(byName.get(key) ?? []), person]);
	}
	const lower = body.toLocaleLowerCase();
	for (const [name, namesakes] of byName) {
		if (!mentionsName(lower, name)) continue;
		const chosen = namesakes.filter((p) => picked.includes(p.id));
		for (const person of chosen.length > 0 ? chosen : namesakes) found.add(person.id);
	}
	return [...found].sort();
}

function mentionsName(lowerBody: string, lowerName: string): boolean {
	const needle = `@${lowerName}`;
	for (let at = lowerBody.indexOf(needle); at !== -1; at = lowerBody.indexOf(needle, at + 1)) {
		const before = at === 0 ? '' : lowerBody.charAt(at - 1);
		const after = lowerBody.charAt(at + needle.length);
		if (!WORD.test(before) && (after === '' || !WORD.test(after))) return true;
	}
	return false;
}

/** The `@…` being typed before the caret: where it starts and what follows the `@`. */
export interface MentionQuery {
	start: number;
	query: string;
}

/** Longest text after an `@` still read as a name being typed. */
const MAX_QUERY = 40;

/** The mention being typed at `caret`, or null when the caret is not after an `@name`. */
export function mentionQuery(body: string, caret: number): MentionQuery | null {
	const before = body.slice(0, caret);
	const start = before.lastIndexOf('@');
	if (start === -1) return null;
	if (start > 0 && !/\s/.test(before.charAt(start - 1))) return null;
	const query = before.slice(start + 1);
	if (query.length > MAX_QUERY || /[\n@]/.test(query) || /^\s/.test(query)) return null;
	return { start, query };
}

/** People whose name matches what follows the `@`: names starting with it first, at most `limit`. */
export function mentionSuggestions<P extends Pick<Person, 'id' | 'name'>>(
	query: string,
	people: readonly P[],
	limit = 8
): P[] {
	const q = query.trim().toLocaleLowerCase();
	const rank = (p: P) => {
		const name = p.name.toLocaleLowerCase();
		return name.startsWith(q) ? 0 : name.includes(q) ? 1 : 2;
	};
	return people
		.filter((p) => rank(p) < 2)
		.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1))
		.slice(0, limit);
}

/** The body with the mention being typed replaced by `@name `, and where the caret goes. */
export function completeMention(
	body: string,
	mention: MentionQuery,
	caret: number,
	name: string
): { body: string; caret: number } {
	const inserted = `@${name} `;
	return {
		body: body.slice(0, mention.start) + inserted + body.slice(caret),
		caret: mention.start + inserted.length
	};
}

/** One mention of a person, for their notifications. */
export interface MentionNotice {
	/** The comment's id: a comment notifies a person once. */
	id: string;
	targetKind: CommentTarget;
	targetId: string;
	authorId: string;
	/** When the mention was made: the comment's last edit, else its creation. */
	at: string;
	excerpt: string;
}

const EXCERPT = 140;

/** Comments by others that mention `personId` and still stand, newest first. */
export function mentionsOf(comments: Iterable<Comment>, personId: string): MentionNotice[] {
	const notices: MentionNotice[] = [];
	for (const c of comments) {
		if (c.deletedAt !== null || c.authorId === personId || !c.mentions.includes(personId)) continue;
		const text = c.body.replace(/\s+/g, ' ').trim();
		notices.push({
			id: c.id,
			targetKind: c.targetKind,
			targetId: c.targetId,
			authorId: c.authorId,
			at: c.editedAt ?? c.createdAt,
			excerpt: text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text
		});
	}
	return notices.sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? -1 : 1));
}
