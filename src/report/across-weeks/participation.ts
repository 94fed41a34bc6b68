import { sectionParticipation, type SectionAnswer } from '../section-answers.ts';
import type { TeamDefinition } from '../definition.ts';

/** How an owner took part in one week's section. (`away` needs absences, which are not stored yet.) */
export type Participation = 'on-time' | 'late' | 'skipped' | 'missing';

export interface ParticipationWeek {
  week: string;
  /** Answers received before it are on time: when the report was first posted, or is due to be. */
  publishMoment: Date;
  answers: readonly (SectionAnswer & { receivedAt: Date })[];
}

export interface ParticipationRow {
  person: string;
  sectionId: string;
  /** One per week given, in the order given. */
  weeks: { week: string; status: Participation }[];
  counts: Record<Participation, number>;
}

/**
 * Per owner and section, how they answered each week. Owners are today's owners of each section:
 * a week counts for them only from their first answer or the weeks they were listed in, which the
 * definition does not record, so every listed owner is counted for every week given.
 *
 * An owner's own answer decides their week: skipped, or on time / late by when it arrived. An owner
 * of a shared section who did not answer it is covered by the other owners' answers, as the
 * report and `status` count the section: skipped when they all skipped it, otherwise on time when
 * one of them wrote it on time, else late. Missing only when nobody answered it.
 */
export function participationRows(definition: TeamDefinition, weeks: readonly ParticipationWeek[]): ParticipationRow[] {
  return definition.sections.flatMap((section) =>
    section.owners.map((person) => {
      const counts: Record<Participation, number> = { 'on-time': 0, late: 0, skipped: 0, missing: 0 };
      const statuses = weeks.map(({ week, publishMoment, answers }) => {
        const { ordered } = sectionParticipation(
          section,
          answers.filter((a) => a.sectionId === section.id),
        );
        const own = ordered.filter((a) => a.owner === person);
        const status = participationOf(own.length > 0 ? own : ordered, publishMoment);
        counts[status] += 1;
        return { week, status };
      });
      return { person, sectionId: section.id, weeks: statuses, counts };
    }),
  );
}

/** The week of the answers that count for an owner: none is missing, all skips is skipped, else the earliest written one's time. */
function participationOf(answers: readonly (SectionAnswer & { receivedAt: Date })[], publishMoment: Date): Participation {
  if (answers.length === 0) return 'missing';
  const written = answers.filter((a) => !a.skipped);
  if (written.length === 0) return 'skipped';
  return written.some((a) => a.receivedAt.getTime() <= publishMoment.getTime()) ? 'on-time' : 'late';
}
