import { describe, expect, it } from 'vitest';
import { ArchiveLinks } from '../../src/archive/links.ts';
import { runCli } from '../../src/cli/cli.ts';

const SECRET = 'archive-link-cli-test-secret-0123456789abcdef';

/** `weekly-report <argv>` in this process, with its own stdout, stderr and environment. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = { ARCHIVE_SECRET: SECRET, PUBLIC_URL: 'https://reports.example.com/' }) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env });
  return { status, stdout, stderr, firstLine: stderr.split('\n')[0] };
}

const LINK = ['archive-link', '--template', 'payments-weekly'];
const links = new ArchiveLinks(SECRET, 'https://reports.example.com');

/** What a printed link opens, checked as the archive's server checks it, at `at`. */
function opens(stdout: string, week: string | undefined, at = new Date()) {
  const url = new URL(stdout.trim());
  return { path: url.pathname, check: links.check(url.searchParams, 'payments-weekly', week, at) };
}

describe('weekly-report archive-link', () => {
  it('prints the team’s link, under PUBLIC_URL, opening every page for 30 days', async () => {
    const run = await cli(LINK);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^https:\/\/reports\.example\.com\/archive\/payments-weekly\?exp=\d+&sig=[\w-]+\n$/);
    expect(opens(run.stdout, '2024-W23')).toEqual({ path: '/archive/payments-weekly', check: { ok: true, scope: { teamId: 'payments-weekly' } } });
    const exp = Number(new URL(run.stdout.trim()).searchParams.get('exp'));
    expect(Math.abs(exp - (Date.now() / 1000 + 30 * 86_400))).toBeLessThan(60);
  });

  it('prints a week’s link with --week, for --days days', async () => {
    const run = await cli([...LINK, '--week', '2024-w23', '--days', '2']);
    expect(run.status).toBe(0);
    expect(opens(run.stdout, '2024-W23')).toEqual({
      path: '/archive/payments-weekly/weeks/2024-W23',
      check: { ok: true, scope: { teamId: 'payments-weekly', week: '2024-W23' } },
    });
    expect(opens(run.stdout, '2024-W23', new Date(Date.now() + 3 * 86_400_000)).check).toMatchObject({ ok: false, status: 403 });
  });

  it('uses http://localhost:$PORT without PUBLIC_URL', async () => {
    const run = await cli(LINK, { ARCHIVE_SECRET: SECRET, PORT: '4321' });
    expect(run.stdout).toMatch(/^http:\/\/localhost:4321\/archive\/payments-weekly\?/);
  });

  it.each([
    ['no --template', ['archive-link'], '--template is required: weekly-report archive-link --template payments-weekly'],
    [
      'a --week that does not exist',
      [...LINK, '--week', '2024-W60'],
      '--week: 2024 has no week 60 (ISO years have 52 or 53 weeks; 2024 has 52): e.g. 2024-W52: weekly-report archive-link --template payments-weekly --week 2024-W52',
    ],
    [
      'a --days out of range',
      [...LINK, '--days', '400'],
      '--days expects a whole number of days from 1 to 365, got "400": weekly-report archive-link --template payments-weekly --days 30',
    ],
    [
      'a --days that is not a number',
      [...LINK, '--days', 'soon'],
      '--days expects a whole number of days from 1 to 365, got "soon": weekly-report archive-link --template payments-weekly --days 30',
    ],
  ])('is a usage error (exit 2) with %s, then its usage', async (_what, argv, line) => {
    const run = await cli(argv);
    expect(run.status).toBe(2);
    expect(run.firstLine).toBe(line);
    expect(run.stderr).toContain('weekly-report archive-link --template <id>');
    expect(run.stderr).not.toContain('weekly-report export --template <id>');
    expect(run.stdout).toBe('');
  });

  it('exits 1 with one line without ARCHIVE_SECRET, and never prints a secret', async () => {
    const run = await cli(LINK, {});
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('ARCHIVE_SECRET is not set (in the environment or in .env): the archive and its links are off (docs/archive.md)\n');
    expect(run.stdout).toBe('');
    const short = await cli(LINK, { ARCHIVE_SECRET: 'too-short-a-secret' });
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('ARCHIVE_SECRET: expected at least 32 characters');
    expect(short.stderr).not.toContain('too-short-a-secret');
  });

  it('exits 1 for a team it does not have', async () => {
    const run = await cli(['archive-link', '--template', 'nobody-weekly']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('nobody-weekly');
  });

  it('is in the usage of every command', async () => {
    const run = await cli(['help']);
    expect(run.stderr).toContain('weekly-report archive-link --template <id> [--week <YYYY-Www>] [--days <N>]');
  });
});
