import { z } from 'zod';
import type { PlatformModule } from '../module.ts';
import type { WireReply } from '../platform.ts';
import { createSlackRuntime } from './app.ts';
import { slackConfigFromEnv, type SlackConfig } from './config.ts';
import { messagePayload } from './message-blocks.ts';
import { slackReplyText } from './parse/reply.ts';
import { slackReportMessages } from './render-report.ts';

/** Slack: people by user id (U…), the report in a channel (C…), events over HTTP or Socket Mode. */
export const slackModule: PlatformModule<SlackConfig> = {
  name: 'slack',
  personId: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id like U0123ABCD'),
  destination: z
    .object({
      channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel id like C0123ABCD'),
      /** The week's report also as a canvas tabbed in the channel (opt-in; needs the canvases:write scope). */
      canvas: z.boolean().optional(),
    })
    .strict(),
  userIdOf: (person) => stringField(person, 'slack'),
  reportChannel: (definition) => (definition.post.slack as { channel?: string } | undefined)?.channel ?? null,
  reportDocumentOptions: (definition) => ((definition.post.slack as { canvas?: boolean } | undefined)?.canvas === true ? { canvas: true } : null),
  configFromEnv: slackConfigFromEnv,
  createRuntime: (config, deps) => createSlackRuntime(config, { logger: deps.logger.child({ platform: 'slack' }) }),
  replyText: (input: WireReply, options) => slackReplyText(input, options),
  renderReport: slackReportMessages,
  reportPayloads: (report) => slackReportMessages(report).map(messagePayload),
};

function stringField(person: Record<string, unknown>, field: string): string | undefined {
  const value = person[field];
  return typeof value === 'string' ? value : undefined;
}
