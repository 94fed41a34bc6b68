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
 */
export function participationRows(definition: TeamDefinition, weeks: readonly ParticipationWeek[]): ParticipationRow[] {
  return definition.sections.flatMap((section) =>
    section.owners.map((person) => {
      const counts: Record<Participation, number> = { 'on-time': 0, late: 0, skipped: 0, missing: 0 };
      const statuses = weeks.map(({ week, publishMoment, answers }) => {
        const mine = answers.filter((a) => a.sectionId === section.id && a.owner === person);
        const { answeredBy } = sectionParticipation(section, mine);
        const answer = mine[0];
        let status: Participation;
        if (!answer || !answeredBy.includes(person)) status = 'missing';
        else if (answer.skipped) status = 'skipped';
        else status = answer.receivedAt.getTime() <= publishMoment.getTime() ? 'on-time' : 'late';
        counts[status] += 1;
        return { week, status };
      });
      return { person, sectionId: section.id, weeks: statuses, counts };
    }),
  );
}
