import { answerAsPosted, isPendingStartOver } from '../../src/report/start-over.ts';
import type { Cycle, CycleStore, LatestSubmission, ReadOptions, Submission, SubmissionStore } from '../../src/store/store.ts';

/**
 * The week's answers as the report shows them: the latest revision of each owner's answer, except
 * an answer started over after the report went out and not written again yet, which is still the
 * one that was posted (src/report/start-over.ts). The report, its republishing, preview, `week`,
 * status, the views across weeks, next week's prompt and the export all read the week this way, so
 * that a start over changes nothing anyone sees until the owner sends the new text. Costs nothing
 * more than the answers unless one of them is started over.
 */
export async function weekAnswers(store: CycleStore & SubmissionStore, teamId: string, week: string, read?: ReadOptions): Promise<LatestSubmission[]> {
  const answers = await store.latestSubmissions(teamId, week, read);
  if (!answers.some((a) => a.startedOver)) return answers;
  // A cached cycle is final once published; an open one is read again.
  const known = await store.getCycle(teamId, week, read);
  const cycle = read?.cached && known?.status !== 'published' ? await store.getCycle(teamId, week) : known;
  const firstPublishedAt = cycle?.firstPublishedAt;
  if (!firstPublishedAt) return answers;
  const shown = await Promise.all(
    answers.map(async (answer) => {
      if (!isPendingStartOver(answer, firstPublishedAt)) return answer;
      const { sectionId, owner } = answer;
      const posted = answerAsPosted(await store.submissionHistory({ teamId, week, sectionId, owner }), firstPublishedAt).answer;
      return posted && withoutPayload(posted);
    }),
  );
  return shown.filter((a) => a !== null);
}

/**
 * The week's answers (weekAnswers) as the report was last posted (`publishedAt`): an answer revised
 * since is taken as it stood then, and one begun since is left out. That is a late answer waiting
 * for its republish, or every late answer of a team whose leads are only told of them
 * (`lateAnswers: notify-lead`). A week not published: its answers as they are. `historyOf` gives
 * an answer's revisions, oldest first, for those after the last publication.
 */
export function answersAsLastPosted(
  cycle: Cycle,
  answers: readonly LatestSubmission[],
  historyOf: (answer: LatestSubmission) => readonly Submission[],
): LatestSubmission[] {
  const postedAt = cycle.status === 'published' ? cycle.publishedAt : undefined;
  if (!postedAt) return [...answers];
  return answers.flatMap((answer) => {
    if (answer.receivedAt <= postedAt) return [answer];
    const posted = answerAsPosted(
      historyOf(answer).filter((s) => s.receivedAt <= postedAt),
      cycle.firstPublishedAt,
    ).answer;
    return posted ? [withoutPayload(posted)] : [];
  });
}

function withoutPayload(submission: Submission): LatestSubmission {
  const latest: Partial<Submission> = { ...submission };
  delete latest.rawPayload;
  return latest as LatestSubmission;
}
