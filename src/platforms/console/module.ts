import type { CompiledReport } from '../../report/compile.ts';
import type { PlatformModule } from '../module.ts';
import type { OutgoingMessage } from '../platform.ts';

/**
 * The local console (`npm start` without credentials, and the platform-neutral tests): people are
 * their keys in the team definition, the report goes to `#<team id>`, replies are plain text. It is
 * never configured from the environment: local mode builds it directly (src/main.ts).
 */
export const consoleModule: PlatformModule<never> = {
  name: 'console',
  userIdOf: (_person, key) => key,
  reportChannel: (definition) => `#${definition.id}`,
  configFromEnv: () => null,
  createRuntime: () => {
    throw new Error('the console platform is started by local mode, not from the environment');
  },
  replyText: (input) => ({ ok: false, detail: `the console sends plain text, not ${input.source}` }),
  renderReport: consoleReportMessages,
  reportPayloads: (report) => consoleReportMessages(report),
};

/** A terminal has no size limit: the report is one message. */
export function consoleReportMessages(report: CompiledReport): OutgoingMessage[] {
  return [{ text: report.markdown, markdown: report.markdown }];
}
