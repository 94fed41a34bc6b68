import { z } from 'zod';
import type { PlatformModule } from '../module.ts';
import { createFeishuRuntime } from './app.ts';
import { messageCards } from './cards.ts';
import { feishuConfigFromEnv, type FeishuConfig } from './config.ts';
import { FeishuDocOptions } from './docx/options.ts';
import { feishuReplyText } from './parse/reply.ts';
import { feishuReportMessages } from './render-report.ts';

/** Feishu / Lark: people by open_id (ou_…), the report in a group chat (oc_…), events over the long connection or a webhook. */
export const feishuModule: PlatformModule<FeishuConfig> = {
  name: 'feishu',
  personId: z.string().regex(/^ou_[A-Za-z0-9_]+$/, 'expected a Feishu open_id like ou_7d8a6e…'),
  destination: z
    .object({
      chatId: z.string().regex(/^oc_[A-Za-z0-9_]+$/, 'expected a Feishu chat_id like oc_a0553eda…'),
      /** Opt-in: the week's report also as a Feishu document (docx/options.ts). */
      doc: FeishuDocOptions.optional(),
    })
    .strict(),
  userIdOf: (person) => (typeof person.feishu === 'string' ? person.feishu : undefined),
  reportChannel: (definition) => (definition.post.feishu as { chatId?: string } | undefined)?.chatId ?? null,
  reportDocumentOptions: (definition) => (definition.post.feishu as { doc?: FeishuDocOptions } | undefined)?.doc ?? null,
  configFromEnv: feishuConfigFromEnv,
  createRuntime: (config, deps) => createFeishuRuntime(config, { logger: deps.logger }),
  replyText: feishuReplyText,
  renderReport: feishuReportMessages,
  reportPayloads: (report) => feishuReportMessages(report).flatMap(messageCards),
};
