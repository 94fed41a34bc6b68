import type { AnswerPart, Submission, SubmissionInput } from './store.ts';

/**
 * A submission as both stores return it: the fields of the input in a fixed shape, optional
 * fields absent rather than `undefined`, so that results compare equal across implementations.
 */
export function toSubmission(input: SubmissionInput, revision: number): Submission {
  const submission: Submission = {
    teamId: input.teamId,
    week: input.week,
    sectionId: input.sectionId,
    owner: input.owner,
    platform: input.platform,
    eventId: input.eventId,
    rawText: input.rawText,
    content: input.content,
    receivedAt: input.receivedAt,
    revision,
  };
  if (input.sourceMessageId !== undefined) submission.sourceMessageId = input.sourceMessageId;
  if (input.rawPayload !== undefined) submission.rawPayload = input.rawPayload;
  if (input.parts !== undefined) submission.parts = input.parts.map(copyPart);
  if (input.skipped) submission.skipped = true;
  if (input.startedOver) submission.startedOver = true;
  return submission;
}

function copyPart(part: AnswerPart): AnswerPart {
  return { ...(part.messageId !== undefined ? { messageId: part.messageId } : {}), text: part.text, rawText: part.rawText };
}

/** The parts of a stored answer; a revision from before parts is one part, its raw text. */
export function partsOf(submission: Pick<Submission, 'parts' | 'rawText' | 'sourceMessageId'>): AnswerPart[] {
  if (submission.parts) return submission.parts;
  return [{ ...(submission.sourceMessageId ? { messageId: submission.sourceMessageId } : {}), text: submission.rawText, rawText: submission.rawText }];
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Section, then owner: the order latestSubmissions and listPrompts return. */
export function compareSubmissionKeys(a: { sectionId: string; owner: string }, b: { sectionId: string; owner: string }): number {
  return compareStrings(a.sectionId, b.sectionId) || compareStrings(a.owner, b.owner);
}
