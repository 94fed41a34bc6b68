import type { FakeMessage } from '../../test/fakes/slack-api.ts';
import { signedPost } from '../../test/fakes/slack-api.ts';
import { eventEnvelope, imMessageEvent, JSON_TYPE, richTextOf, slackTextOf } from '../../test/fakes/slack-payloads.ts';
import { closedLoop, openLoop, seededRandom, type LoadResult } from '../load.ts';
import { epochMs } from '../stats.ts';
import { SIGNING_SECRET, type BenchRun } from './context.ts';

/**
 * Scenario 2: DM replies from the owners of the ingest teams, as Slack delivers `message.im`
 * events. Owner k of the run sends replies k, k + owners, k + 2·owners, …: each later one is a
 * new revision of the owner's one section (with fewer replies than owners, some never reply). A share of the events is delivered a second time
 * (x-slack-retry-num: 1) shortly after the first, often while the first is still being handled.
 */

export interface ReplyEvent {
  eventId: string;
  event: Record<string, unknown>;
}

export interface Delivery {
  event: number;
  retryNum?: number;
}

export interface ReplyPlan {
  events: ReplyEvent[];
  deliveries: Delivery[];
}

export function planReplies(run: BenchRun): ReplyPlan {
  const { options, slack, teams } = run;
  // Owners taken round-robin over the teams, so that any number of replies reaches every team.
  const perTeam = teams.ingest.map((team) => team.definition.sections.map((section) => team.definition.people[section.owners[0]!]!.slack!));
  const owners: string[] = [];
  for (let i = 0; owners.length < options.owners; i++) for (const team of perTeam) if (team[i]) owners.push(team[i]!);
  const events: ReplyEvent[] = [];
  for (let k = 0; k < options.replies; k++) {
    const user = owners[k % owners.length]!;
    const revision = Math.floor(k / owners.length) + 1;
    const typed = replyText(k, revision);
    // Recorded in the fake as typed in the client; this also opens the DM the confirmation goes to.
    const message: FakeMessage = slack.fake.userMessage({ channel: slack.fake.dmChannelOf(user), user, text: slackTextOf(typed), blocks: richTextOf(typed) });
    events.push({ eventId: `EvBENCH${String(k).padStart(8, '0')}`, event: imMessageEvent(message) });
  }
  const random = seededRandom(7);
  const keyed: { key: number; delivery: Delivery }[] = events.map((_, k) => ({ key: k, delivery: { event: k } }));
  if (options.duplicates > 0) {
    const step = 1 / options.duplicates;
    for (let k = 0; k < events.length; k += step) {
      const event = Math.floor(k);
      // Up to 100 deliveries later: with 50 in flight, about half race the first delivery.
      keyed.push({ key: event + 0.5 + random() * 100, delivery: { event, retryNum: 1 } });
    }
  }
  keyed.sort((a, b) => a.key - b.key);
  return { events, deliveries: keyed.map((k) => k.delivery) };
}

function replyText(k: number, revision: number): string {
  return [
    `1. Revision ${revision}: shipped change ${k} of the settlement service to production`,
    `2. Fixed the retry storm in [refund callbacks](https://example.com/issues/${k})`,
    '    - root cause: a missing idempotency key on the callback',
    '    - verified with a replay of last week’s traffic',
    '3. Next week: roll the new ledger out to 100% of merchants',
  ].join('\n');
}

export interface DeliveryRun {
  load: LoadResult;
  /** When each event was first sent (epochMs), by event id. */
  firstSentAt: Map<string, number>;
}

export async function deliverReplies(run: BenchRun, eventsUrl: string, plan: ReplyPlan): Promise<DeliveryRun> {
  const { options, slack } = run;
  const firstSentAt = new Map<string, number>();
  const send = async (index: number) => {
    const delivery = plan.deliveries[index]!;
    const { eventId, event } = plan.events[delivery.event]!;
    const body = eventEnvelope(slack.fake, event, eventId);
    if (!firstSentAt.has(eventId)) firstSentAt.set(eventId, epochMs());
    const retry = delivery.retryNum ? { retryNum: delivery.retryNum, retryReason: 'http_timeout' } : {};
    return (await signedPost(eventsUrl, body, JSON_TYPE, SIGNING_SECRET, retry)).status;
  };
  const count = plan.deliveries.length;
  const load = options.ingestRate > 0 ? await openLoop(count, options.ingestRate, send) : await closedLoop(count, options.ingestConcurrency, send);
  return { load, firstSentAt };
}
