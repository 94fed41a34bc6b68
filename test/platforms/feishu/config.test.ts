import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { EnvError } from '../../../src/config/env.ts';
import { feishuConfigFromEnv, feishuConfigOf, larkDomain } from '../../../src/platforms/feishu/config.ts';

const app = { FEISHU_APP_ID: 'cli_a1b2c3', FEISHU_APP_SECRET: 'secret-0123456789' };

describe('Feishu configuration', () => {
  it('is absent without FEISHU_APP_ID', () => {
    expect(feishuConfigFromEnv({})).toBeNull();
  });

  it('uses the long connection on Feishu (China) by default', () => {
    expect(feishuConfigFromEnv(app)).toEqual({ appId: 'cli_a1b2c3', appSecret: 'secret-0123456789', domain: lark.Domain.Feishu, transport: { mode: 'ws' } });
  });

  it('reaches Lark (international) or any base URL', () => {
    expect(feishuConfigFromEnv({ ...app, FEISHU_DOMAIN: 'lark' })?.domain).toBe(lark.Domain.Lark);
    expect(larkDomain('http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000');
  });

  it('listens for the webhook on PORT with the encrypt key and verification token', () => {
    const source = { ...app, FEISHU_EVENT_MODE: 'webhook', FEISHU_ENCRYPT_KEY: 'key', FEISHU_VERIFICATION_TOKEN: 'token' };
    expect(feishuConfigFromEnv(source)?.transport).toEqual({ mode: 'webhook', encryptKey: 'key', verificationToken: 'token' });
  });

  it('refuses webhook mode without the keys that verify requests', () => {
    expect(() => feishuConfigFromEnv({ ...app, FEISHU_EVENT_MODE: 'webhook' })).toThrow(EnvError);
    const unchecked = { ...app, FEISHU_DOMAIN: 'feishu', FEISHU_EVENT_MODE: 'webhook' as const };
    expect(() => feishuConfigOf(unchecked)).toThrow(/FEISHU_ENCRYPT_KEY/);
  });
});
