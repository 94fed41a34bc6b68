import type { RecordedCall } from '../../test/fakes/slack-api.ts';
import type { Team } from '../../src/report/definition.ts';
import type { BenchSlackApi } from '../slack-fake.ts';

/**
 * Scenario 3's bookkeeping: what the fake saw of one fan-out. A prompt is identified by the
 * section its button opens (teamId, week, sectionId) and the DM channel it went to.
 */

export interface FanOutMark {
  calls: number;
  channelLimited: number;
}

export function mark(slack: BenchSlackApi): FanOutMark {
  return { calls: slack.fake.calls.length, channelLimited: slack.channelLimited };
}

export interface FanOutDelivery {
  prompts: number;
  /** Prompts that arrived more than once (each counted once). */
  sentMoreThanOnce: number;
  /** Extra copies in all. */
  extraCopies: number;
  neverSent: number;
  /** 429s: the fake's workspace limit, and the per-channel limit in front of it. */
  workspace429: number;
  channel429: number;
  conversationsOpen: number;
}

export function analyseFanOut(slack: BenchSlackApi, since: FanOutMark, team: Team, week: string): FanOutDelivery {
  const calls = slack.fake.calls.slice(since.calls);
  const seen = new Map<string, number>();
  for (const call of calls) {
    if (call.method !== 'chat.postMessage' || call.outcome !== 'ok') continue;
    const ref = promptRef(call);
    if (!ref || ref.teamId !== team.definition.id || ref.week !== week) continue;
    const key = `${String(call.args.channel)}|${ref.sectionId}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  let prompts = 0;
  let neverSent = 0;
  let sentMoreThanOnce = 0;
  let extraCopies = 0;
  for (const section of team.definition.sections) {
    for (const owner of section.owners) {
      prompts += 1;
      const copies = seen.get(`${slack.fake.dmChannelOf(team.definition.people[owner]!.slack!)}|${section.id}`) ?? 0;
      if (copies === 0) neverSent += 1;
      if (copies > 1) {
        sentMoreThanOnce += 1;
        extraCopies += copies - 1;
      }
    }
  }
  return {
    prompts,
    sentMoreThanOnce,
    extraCopies,
    neverSent,
    workspace429: calls.filter((c) => c.method === 'chat.postMessage' && c.outcome === 'rate_limited').length,
    channel429: slack.channelLimited - since.channelLimited,
    conversationsOpen: calls.filter((c) => c.method === 'conversations.open').length,
  };
}

export function promptRef(call: RecordedCall): { teamId: string; week: string; sectionId: string } | null {
  const blocks = Array.isArray(call.args.blocks) ? (call.args.blocks as { type?: string; elements?: { action_id?: string; value?: string }[] }[]) : [];
  for (const block of blocks) {
    const button = block.type === 'actions' ? block.elements?.find((e) => e.action_id === 'open_answer_form') : undefined;
    if (button?.value) {
      try {
        return JSON.parse(button.value) as { teamId: string; week: string; sectionId: string };
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The most prompts any one DM channel receives: with 1 message/s per channel, a floor of its own. */
export function maxPromptsPerOwner(team: Team): number {
  const counts = new Map<string, number>();
  for (const section of team.definition.sections) for (const owner of section.owners) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}
