import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../../src/config/env.ts';
import { feishuConfigFromEnv, larkDomain } from '../../../src/platforms/feishu/config.ts';

const app = { FEISHU_APP_ID: 'cli_a1b2c3', FEISHU_APP_SECRET: 'secret-0123456789' };

describe('Feishu configuration', () => {
  it('is absent without FEISHU_APP_ID', () => {
    expect(feishuConfigFromEnv(parseEnv({}))).toBeNull();
  });

  it('uses the long connection on Feishu (China) by default', () => {
    expect(feishuConfigFromEnv(parseEnv(app))).toEqual({ appId: 'cli_a1b2c3', appSecret: 'secret-0123456789', domain: lark.Domain.Feishu, transport: { mode: 'ws' } });
  });

  it('reaches Lark (international) or any base URL', () => {
    expect(feishuConfigFromEnv(parseEnv({ ...app, FEISHU_DOMAIN: 'lark' }))?.domain).toBe(lark.Domain.Lark);
    expect(larkDomain('http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000');
  });

  it('listens for the webhook on PORT with the encrypt key and verification token', () => {
    const env = parseEnv({ ...app, FEISHU_EVENT_MODE: 'webhook', FEISHU_ENCRYPT_KEY: 'key', FEISHU_VERIFICATION_TOKEN: 'token', PORT: '8080' });
    expect(feishuConfigFromEnv(env)?.transport).toEqual({ mode: 'webhook', port: 8080, encryptKey: 'key', verificationToken: 'token' });
  });

  it('refuses webhook mode without the keys that verify requests', () => {
    expect(() => parseEnv({ ...app, FEISHU_EVENT_MODE: 'webhook' })).toThrow(EnvError);
    const unchecked = { ...parseEnv(app), FEISHU_EVENT_MODE: 'webhook' as const };
    expect(() => feishuConfigFromEnv(unchecked)).toThrow(/FEISHU_ENCRYPT_KEY/);
  });
});
