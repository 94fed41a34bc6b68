import { HTTPReceiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { configuredPlatforms, PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import { createLogger } from '../../../src/log.ts';
import { createSlackRuntime } from '../../../src/platforms/slack/app.ts';
import { boltLogger } from '../../../src/platforms/slack/bolt-logger.ts';
import { DEFAULT_SLACK_API_URL, slackConfigFromEnv } from '../../../src/platforms/slack/config.ts';
import { createReceiver } from '../../../src/platforms/slack/receivers/receiver.ts';
import { OverlappingSocketModeReceiver } from '../../../src/platforms/slack/receivers/socket-mode.ts';

const BOT = 'xoxb-1-2-abc';
const logger = createLogger('test');

describe('Slack configuration from the environment', () => {
  it('is absent without SLACK_BOT_TOKEN', () => {
    expect(slackConfigFromEnv({})).toBeNull();
  });

  it('selects HTTP mode on PORT with the signing secret', () => {
    const config = slackConfigFromEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 'secret-123456' });
    expect(config).toEqual({ botToken: BOT, apiUrl: DEFAULT_SLACK_API_URL, transport: { mode: 'http', signingSecret: 'secret-123456' } });
    expect(createReceiver(config!, boltLogger(logger))).toBeInstanceOf(HTTPReceiver);
  });

  it('selects Socket Mode when SLACK_APP_TOKEN is set (no signing secret or public URL needed)', () => {
    const config = slackConfigFromEnv({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xapp-1-A1-abc' });
    expect(config?.transport).toEqual({ mode: 'socket', appToken: 'xapp-1-A1-abc' });
    expect(createReceiver(config!, boltLogger(logger))).toBeInstanceOf(OverlappingSocketModeReceiver);
    expect(createSlackRuntime(config!, { logger }).mode).toBe('socket');
  });

  it('talks to the API at SLACK_API_URL, with the trailing slash WebClient needs', () => {
    const config = slackConfigFromEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 'secret-123456', SLACK_API_URL: 'http://127.0.0.1:9999/api' });
    expect(config?.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(createSlackRuntime(config!, { logger }).platform.client.slackApiUrl).toBe('http://127.0.0.1:9999/api/');
  });

  it('names a malformed or missing variable', () => {
    expect(() => slackConfigFromEnv({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 'secret-123456' })).toThrow(
      /SLACK_BOT_TOKEN: expected a bot token/,
    );
    expect(() => slackConfigFromEnv({ SLACK_BOT_TOKEN: BOT })).toThrow(/SLACK_SIGNING_SECRET: is required/);
  });

  it('reports every platform’s bad variables at once, without their values', () => {
    const source = { SLACK_BOT_TOKEN: 'xoxp-secret-value', FEISHU_APP_ID: 'cli_a1', FEISHU_APP_SECRET: 'secret-0123456789', FEISHU_EVENT_MODE: 'webhook' };
    const message = (() => {
      try {
        configuredPlatforms(PLATFORM_MODULES, source);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/SLACK_BOT_TOKEN: expected a bot token/);
    expect(message).toMatch(/FEISHU_ENCRYPT_KEY: is required/);
    expect(message).not.toContain('xoxp-secret-value');
  });
});
