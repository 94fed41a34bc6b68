import { signedPost } from '../../test/fakes/slack-api.ts';
import { FORM_TYPE, slashCommandBody } from '../../test/fakes/slack-payloads.ts';
import { closedLoop, type LoadResult } from '../load.ts';
import { SIGNING_SECRET, type BenchRun } from './context.ts';
import { slackModule } from '../../src/platforms/slack/module.ts';

/**
 * Scenario 1: signed `/weekly-report status` from the lead of a synthetic team, `concurrency` in
 * flight. The latency is the client's: from sending the request to the complete HTTP answer,
 * which Bolt sends when the listener calls ack(). The same loop runs against the floor.
 */
export async function sendCommands(run: BenchRun, eventsUrl: string, count: number, afterWarmup?: () => Promise<void>): Promise<LoadResult> {
  const { options, slack, teams } = run;
  const team = teams.ingest[0]!;
  const lead = team.definition.people[team.definition.leads[0]!]!.slack!;
  const channel = slackModule.reportChannel(team.definition)!;
  const send = async () => {
    const body = slashCommandBody(slack.fake, { user: lead, channel, text: 'status' });
    return (await signedPost(eventsUrl, body, FORM_TYPE, SIGNING_SECRET)).status;
  };
  if (options.warmup > 0) {
    await closedLoop(options.warmup, options.concurrency, send);
    await afterWarmup?.();
  }
  return closedLoop(count, options.concurrency, send);
}
