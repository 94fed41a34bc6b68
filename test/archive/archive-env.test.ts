import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv, publicUrlOf } from '../../src/config/env.ts';

describe('the archive’s variables', () => {
  it('are optional: no secret, no archive; links under http://localhost:$PORT', () => {
    const env = parseEnv({ PORT: '4000' });
    expect(env.ARCHIVE_SECRET).toBeUndefined();
    expect(publicUrlOf(env)).toBe('http://localhost:4000');
  });

  it('take PUBLIC_URL without its trailing slash', () => {
    const env = parseEnv({ ARCHIVE_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://reports.example.com/weekly/' });
    expect(publicUrlOf(env)).toBe('https://reports.example.com/weekly');
  });

  it('refuse a short secret or a PUBLIC_URL that is not a base URL, naming the variable and never its value', () => {
    for (const [source, name] of [
      [{ ARCHIVE_SECRET: 'hunter2-hunter2' }, 'ARCHIVE_SECRET'],
      [{ PUBLIC_URL: 'reports.example.com' }, 'PUBLIC_URL'],
      [{ PUBLIC_URL: 'https://reports.example.com/?x=hunter2' }, 'PUBLIC_URL'],
      [{ PUBLIC_URL: 'javascript:alert(1)' }, 'PUBLIC_URL'],
    ] as const) {
      const error = (() => {
        try {
          parseEnv(source);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(EnvError);
      expect((error as Error).message).toContain(`${name}: `);
      expect((error as Error).message).not.toContain('hunter2');
      expect((error as Error).message).not.toContain('alert');
    }
  });
});
