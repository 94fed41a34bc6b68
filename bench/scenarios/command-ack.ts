import { signedPost } from '../../test/fakes/slack-api.ts';
import { FORM_TYPE, slashCommandBody } from '../../test/fakes/slack-payloads.ts';
import { closedLoop, mergeLoads, openLoop, openLoopUntil, type LoadResult } from '../load.ts';
import { SIGNING_SECRET, type BenchRun } from './context.ts';
import { slackModule } from '../../src/platforms/slack/module.ts';

/**
 * Scenario 1: signed `/weekly-report status` from the lead of a synthetic team, `concurrency` in
 * flight. The latency is the client's: from sending the request to the complete HTTP answer,
 * which Bolt sends when the listener calls ack(). The same loop runs against the floor. A status
 * the bot computed a moment ago comes back in the ack's body; otherwise it follows over response_url.
 */
export function sendCommands(run: BenchRun, eventsUrl: string, count: number): Promise<CommandLoad> {
  const status = statusCommand(run, eventsUrl);
  return closedLoop(count, run.options.concurrency, status.send).then((load) => ({ ...load, answeredInAck: status.answeredInAck() }));
}

/** The same commands started at `ratePerSecond`: `count` of them, or (`until`) until it settles. */
export function sendCommandsAtRate(run: BenchRun, eventsUrl: string, ratePerSecond: number, count: number | Promise<unknown>): Promise<CommandLoad> {
  const status = statusCommand(run, eventsUrl);
  const load = typeof count === 'number' ? openLoop(count, ratePerSecond, status.send) : openLoopUntil(count, ratePerSecond, status.send);
  return load.then((result) => ({ ...result, answeredInAck: status.answeredInAck() }));
}

/** Sends one signed status command of the first ingestion team's lead; counts the acks that carried the answer. */
function statusCommand(run: BenchRun, eventsUrl: string): { send: () => Promise<number>; answeredInAck: () => number } {
  const { slack, teams } = run;
  const team = teams.ingest[0]!;
  const lead = team.definition.people[team.definition.leads[0]!]!.slack!;
  const channel = slackModule.reportChannel(team.definition)!;
  let answeredInAck = 0;
  const send = async () => {
    const body = slashCommandBody(slack.fake, { user: lead, channel, text: 'status' });
    const response = await signedPost(eventsUrl, body, FORM_TYPE, SIGNING_SECRET);
    if (carriesAnswer(response.body)) answeredInAck += 1;
    return response.status;
  };
  return { send, answeredInAck: () => answeredInAck };
}

/** The load's result, and how many acknowledgements carried the status itself (the rest answer over response_url). */
export interface CommandLoad extends LoadResult {
  answeredInAck: number;
}

/** Loads run one after another against the same server, as one. */
export function mergeCommandLoads(loads: readonly CommandLoad[]): CommandLoad {
  return { ...mergeLoads(loads), answeredInAck: loads.reduce((n, l) => n + l.answeredInAck, 0) };
}

/** An ack whose body is a message (Bolt answers an empty ack with an empty body). */
function carriesAnswer(body: string): boolean {
  if (body.trim() === '') return false;
  try {
    const parsed = JSON.parse(body) as { text?: unknown };
    return typeof parsed.text === 'string' && parsed.text !== '';
  } catch {
    return false;
  }
}
