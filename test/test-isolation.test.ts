import { afterEach, describe, expect, it, vi } from 'vitest';
import { childEnv } from './support/child-env.ts';
import { serverFromEnv } from './support/mongo-server.ts';

/**
 * The tests keep off the team's data: they never read `.env` and never use MONGODB_URI (issue #20,
 * case 1). test/dotenv-database.test.ts proves it end to end, on a real database.
 */
describe('the tests’ own environment', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('runs every test file without MONGODB_URI and with WEEKLY_REPORT_DOTENV=0 (test/support/test-env.ts)', () => {
    expect(process.env).not.toHaveProperty('MONGODB_URI');
    expect(process.env.WEEKLY_REPORT_DOTENV).toBe('0');
  });

  it('starts processes with an environment of their own: no MONGODB_URI of the developer’s, no .env', () => {
    vi.stubEnv('MONGODB_URI', 'mongodb://db.example:27017/wr');
    vi.stubEnv('SLACK_BOT_TOKEN', 'xoxb-of-the-developer');
    vi.stubEnv('WEEKLY_REPORT_DOTENV', '1');
    const env = childEnv({ LOG_LEVEL: 'info' });
    expect(env).not.toHaveProperty('MONGODB_URI');
    expect(env).not.toHaveProperty('SLACK_BOT_TOKEN');
    expect(env).toMatchObject({ WEEKLY_REPORT_DOTENV: '0', LOG_LEVEL: 'info', PATH: process.env.PATH });
    // Only what a test gives, explicitly.
    expect(childEnv({ MONGODB_URI: 'mongodb://127.0.0.1:27018/t_x' }).MONGODB_URI).toBe('mongodb://127.0.0.1:27018/t_x');
    expect(childEnv({ WEEKLY_REPORT_DOTENV: undefined })).not.toHaveProperty('WEEKLY_REPORT_DOTENV');
  });

  it('gives the db project the server at TEST_MONGODB_URI, never the one at MONGODB_URI, and says it ignored that one', () => {
    const said: string[] = [];
    const say = (line: string) => said.push(line);
    expect(serverFromEnv({ MONGODB_URI: 'mongodb://127.0.0.1:27017/wr' }, say)).toBeNull();
    expect(said).toEqual([
      'MONGODB_URI is set and ignored: the tests never use the bot’s database (set TEST_MONGODB_URI to run the db tests on a server of your own)',
    ]);
    said.length = 0;
    const server = serverFromEnv({ TEST_MONGODB_URI: ' mongodb://127.0.0.1:27018 ', MONGODB_URI: '' }, say);
    expect(server).toMatchObject({ uri: 'mongodb://127.0.0.1:27018', source: 'the server at TEST_MONGODB_URI' });
    expect(said).toEqual([]);
  });
});
