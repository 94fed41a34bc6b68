/**
 * Starting over (`重写`) after the report went out. The owner's answer is emptied in the store (the
 * revision says `startedOver`), and so is every revision after it that adds nothing (deleting a
 * message that is no longer part of the answer). Until the owner sends something new, the week
 * shows the answer as it was posted: the posted report is not rewritten, a republish for another
 * reason keeps that text, and nobody is told. Before the report went out, a start over is an
 * ordinary empty answer. Pure: revisions in, revision out.
 */

/** What starting over needs to know of a revision: when it came, and whether it left the answer started over. */
export interface StartOverFacts {
  receivedAt: Date;
  startedOver?: boolean;
}

/** A revision that leaves the answer started over after the report first went out: the week still shows what was posted. */
export function isPendingStartOver(revision: StartOverFacts, firstPublishedAt: Date | undefined): boolean {
  return firstPublishedAt !== undefined && revision.startedOver === true && revision.receivedAt.getTime() > firstPublishedAt.getTime();
}

/**
 * An owner's answer as the week shows it, from its revisions (oldest first): the latest, or, while a
 * start over after publishing is pending, the revision before it (what was posted; null when there
 * was none). `pending` says which.
 */
export function answerAsPosted<R extends StartOverFacts>(history: readonly R[], firstPublishedAt: Date | undefined): { pending: boolean; answer: R | null } {
  let at = history.length - 1;
  while (at >= 0 && isPendingStartOver(history[at]!, firstPublishedAt)) at -= 1;
  return { pending: at < history.length - 1, answer: history[at] ?? null };
}
