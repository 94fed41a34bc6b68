import { z } from 'zod';

/**
 * The process environment, validated once at start-up. A missing or malformed variable is named
 * in the error (its value never is: most of these are secrets).
 */
const optional = (schema: z.ZodType<string>) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const Env = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MONGODB_URI: optional(z.string().regex(/^mongodb(\+srv)?:\/\//, 'expected a MongoDB connection string (mongodb://…)')),
    TEMPLATES_DIR: optional(z.string()),

    SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-/, 'expected a bot token starting with xoxb-')),
    SLACK_SIGNING_SECRET: optional(z.string().min(8, 'expected the app’s signing secret')),
    SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-/, 'expected an app-level token starting with xapp-')),
    SLACK_API_URL: optional(z.url('expected a URL like https://slack.com/api/')),

    FEISHU_APP_ID: optional(z.string().regex(/^cli_/, 'expected an app id starting with cli_')),
    FEISHU_APP_SECRET: optional(z.string().min(8, 'expected the app secret')),
    FEISHU_DOMAIN: z
      .string()
      .refine((v) => v === 'feishu' || v === 'lark' || /^https?:\/\//.test(v), 'expected feishu, lark or a base URL like https://open.feishu.cn')
      .default('feishu'),
    FEISHU_EVENT_MODE: z.enum(['ws', 'webhook']).default('ws'),
    FEISHU_ENCRYPT_KEY: optional(z.string().min(1)),
    FEISHU_VERIFICATION_TOKEN: optional(z.string().min(1)),
  })
  .superRefine((env, ctx) => {
    const require = (name: keyof typeof env, because: string) => {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `is required ${because}` });
    };
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN) require('SLACK_SIGNING_SECRET', 'for Slack in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    if (!env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)) require('SLACK_BOT_TOKEN', 'when other SLACK_ variables are set');
    if (env.FEISHU_APP_ID) require('FEISHU_APP_SECRET', 'with FEISHU_APP_ID');
    if (env.FEISHU_APP_SECRET && !env.FEISHU_APP_ID) require('FEISHU_APP_ID', 'with FEISHU_APP_SECRET');
    if (env.FEISHU_APP_ID && env.FEISHU_EVENT_MODE === 'webhook') {
      require('FEISHU_ENCRYPT_KEY', 'in webhook mode: requests are verified with it');
      require('FEISHU_VERIFICATION_TOKEN', 'in webhook mode');
    }
  });
export type Env = z.infer<typeof Env>;

export class EnvError extends Error {
  override name = 'EnvError';
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = Env.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new EnvError(`Invalid environment:\n  ${lines.join('\n  ')}`);
}
