/**
 * A board's members and their requests to change team or role, kept current: read when it
 * opens and again whenever the server announces a change (a join, a rename, a move, a removal,
 * a request made or decided), so every open Members view shows it without a reload. When the
 * person's own record changed, their session is read again too (`onSelfChanged`).
 */
import { changeRequestsApi, membersApi, type ChangeRequest, type Member } from '../client/api';
import { followMembers } from '../client/members-live';

export interface MembersFeedOptions {
	boardId: string;
	token: string;
	personId: string;
	/** Runs when this person's own name, teams, roles or admin flag changed on the server. */
	onSelfChanged?: () => void;
	/** Replaces the live stream (tests). */
	follow?: typeof followMembers;
}

export class MembersFeed {
	members = $state.raw<Member[] | null>(null);
	requests = $state.raw<ChangeRequest[]>([]);
	error = $state<string | null>(null);

	readonly #options: MembersFeedOptions;
	readonly #stop: () => void;
	#reading: Promise<void> | null = null;
	#again = false;

	constructor(options: MembersFeedOptions) {
		this.#options = options;
		const follow = options.follow ?? followMembers;
		this.#stop = follow(options.boardId, options.token, () => void this.reload());
	}

	/** Reads members and requests again; calls made meanwhile lead to one more read after it. */
	reload(): Promise<void> {
		if (this.#reading) {
			this.#again = true;
			return this.#reading;
		}
		this.#reading = this.#read().finally(() => {
			this.#reading = null;
			if (this.#again) {
				this.#again = false;
				void this.reload();
			}
		});
		return this.#reading;
	}

	/** This person's pending request, if any. */
	get ownPending(): ChangeRequest | undefined {
		return this.requests.find(
			(request) => request.personId === this.#options.personId && request.status === 'pending'
		);
	}

	destroy(): void {
		this.#stop();
	}

	async #read(): Promise<void> {
		const { boardId, token, personId } = this.#options;
		try {
			const [members, requests] = await Promise.all([
				membersApi(boardId, token),
				changeRequestsApi(boardId, token)
			]);
			const before = this.members?.find((member) => member.personId === personId);
			const after = members.find((member) => member.personId === personId);
			this.members = members;
			this.requests = requests;
			this.error = null;
			if (before && after && JSON.stringify(before) !== JSON.stringify(after)) {
				this.#options.onSelfChanged?.();
			}
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
		}
	}
}
