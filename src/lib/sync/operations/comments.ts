/**
 * Comments on stories and work packages, and their `@` mentions. A comment has one author, who
 * alone changes or withdraws it (the server refuses anyone else's change, docs/schema.md D6.13).
 */
import { canEditComment } from '../../domain/comments';
import { ScrumOpsError } from '../../domain/errors';
import { MAX_COMMENT_LENGTH, type Comment, type CommentTarget } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { readStored, transact, type OpContext } from './context';
import { insertEntity, updateEntity } from './entities';

export interface CommentInput {
	targetKind: CommentTarget;
	targetId: string;
	/** The comment answered; absent or null: a new thread. */
	parentId?: string | null;
	body: string;
	/** The people mentioned (src/lib/domain/comments.ts, `mentionedIds`). */
	mentions?: readonly string[];
}

/** Adds a comment by the acting person, or a reply when `parentId` names one on the same target. */
export function addComment(docs: BoardDocs, ctx: OpContext, input: CommentInput): Comment {
	const authorId = author(ctx);
	const body = checkedBody(input.body);
	return transact(docs.board, ctx, 'addComment', () => {
		const collection = input.targetKind === 'story' ? 'stories' : 'workPackages';
		readStored(docs.collection(collection), collection, input.targetId);
		const parentId = input.parentId ?? null;
		if (parentId !== null) {
			const parent = readStored(docs.collection('comments'), 'comments', parentId);
			if (parent.targetKind !== input.targetKind || parent.targetId !== input.targetId) {
				throw new ScrumOpsError(
					'A reply belongs with the comment it answers: reply on the same story or work package.'
				);
			}
		}
		return insertEntity(docs.collection('comments'), 'comments', {
			id: ctx.newId(),
			targetKind: input.targetKind,
			targetId: input.targetId,
			parentId,
			authorId,
			body,
			mentions: mentionedPeople(docs, input.mentions ?? []),
			createdAt: ctx.now(),
			editedAt: null,
			deletedAt: null
		});
	});
}

/** Changes the text (and so the mentions) of one's own comment. */
export function editComment(
	docs: BoardDocs,
	ctx: OpContext,
	commentId: string,
	input: { body: string; mentions?: readonly string[] }
): Comment {
	const body = checkedBody(input.body);
	return transact(docs.board, ctx, 'editComment', () => {
		ownComment(docs, ctx, commentId);
		return updateEntity(docs.collection('comments'), 'comments', commentId, {
			body,
			mentions: mentionedPeople(docs, input.mentions ?? []),
			editedAt: ctx.now()
		});
	});
}

/** Withdraws one's own comment: its text goes, the replies to it stay. */
export function deleteComment(docs: BoardDocs, ctx: OpContext, commentId: string): Comment {
	return transact(docs.board, ctx, 'deleteComment', () => {
		ownComment(docs, ctx, commentId);
		return updateEntity(docs.collection('comments'), 'comments', commentId, {
			body: '',
			mentions: [],
			deletedAt: ctx.now()
		});
	});
}

function author(ctx: OpContext): string {
	if (ctx.actorId === null) {
		throw new ScrumOpsError('A comment needs an author: open the board as a member to comment.');
	}
	return ctx.actorId;
}

function checkedBody(body: string): string {
	const text = body.trim();
	if (text === '') throw new ScrumOpsError('A comment needs some text: write it, then send.');
	if (text.length > MAX_COMMENT_LENGTH) {
		throw new ScrumOpsError(
			`A comment of ${text.length} characters is longer than the ${MAX_COMMENT_LENGTH} allowed; shorten it or split it in two.`
		);
	}
	return text;
}

function ownComment(docs: BoardDocs, ctx: OpContext, commentId: string): Comment {
	const comment = readStored(docs.collection('comments'), 'comments', commentId);
	if (comment.deletedAt !== null) {
		throw new ScrumOpsError('This comment was withdrawn; write a new one instead.');
	}
	if (!canEditComment(comment, ctx.actorId)) {
		const name = docs.collection('people').get(comment.authorId)?.get('name');
		throw new ScrumOpsError(
			`Only ${typeof name === 'string' ? name : 'its author'} can change this comment; reply to it instead.`
		);
	}
	return comment;
}

/** The mentioned people who are on the board, once each, sorted. */
function mentionedPeople(docs: BoardDocs, mentions: readonly string[]): string[] {
	const people = docs.collection('people');
	return [...new Set(mentions)].filter((id) => people.has(id)).sort();
}
