/**
 * A live Daily Standup (DOMAIN use case 1): the team walks its members one by one (done / next /
 * impediments), open incidents first; one shared timer per speaker and for the round, derived
 * from shared start times, so every screen shows the same clock. The Scrum Master facilitates;
 * anyone on the team may take over when the facilitator drops out.
 */
import { z } from 'zod';
import { Id, Instant } from './schema';

/** Seconds per speaker: a Daily Scrum is 15 minutes for up to 10 people. */
export const DEFAULT_SPEAKER_SECONDS = 90;

export const LiveStandup = z
	.object({
		teamId: Id,
		sprintId: Id.nullable(),
		facilitatorId: Id,
		/** When the round started (the shared clock). */
		startedAt: Instant,
		/** Open incidents are the first topic when there are any. */
		incidentsFirst: z.boolean(),
		/** Everyone who speaks, in order. */
		speakerIds: z.array(Id).max(50),
		/** Step of the round: -1 is the incidents topic, 0… a speaker, speakerIds.length the end. */
		step: z.number().int().min(-1),
		/** When the current step started (the shared clock). */
		stepStartedAt: Instant,
		speakerSeconds: z.number().int().min(15).max(900),
		endedAt: Instant.nullable()
	})
	.refine((s) => s.step <= s.speakerIds.length, { message: 'step past the end of the round' })
	.refine((s) => s.step >= 0 || s.incidentsFirst, { message: 'no incidents topic in this round' });
export type LiveStandup = z.infer<typeof LiveStandup>;

/** Who speaks now (null for the incidents topic or once everyone has spoken). */
export function currentSpeaker(standup: LiveStandup): string | null {
	return standup.step >= 0 ? (standup.speakerIds[standup.step] ?? null) : null;
}

/** The round's timebox: every speaker's slot, plus one for the incidents topic. */
export function roundSeconds(standup: LiveStandup): number {
	return (standup.speakerIds.length + (standup.incidentsFirst ? 1 : 0)) * standup.speakerSeconds;
}
