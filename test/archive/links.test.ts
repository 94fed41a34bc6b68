import { describe, expect, it } from 'vitest';
import { ArchiveLinks, DEFAULT_LINK_DAYS } from '../../src/archive/links.ts';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const NOW = new Date('2024-06-07T09:00:00Z');
const links = new ArchiveLinks(SECRET, 'https://reports.example.com');

/** The query of a link, as the server reads it. */
const queryOf = (link: string) => new URL(link).searchParams;

/** The signature with one character changed (to another base64url character). */
function tampered(link: string, at = 5): URLSearchParams {
  const query = queryOf(link);
  const sig = query.get('sig')!;
  query.set('sig', sig.slice(0, at) + (sig[at] === 'A' ? 'B' : 'A') + sig.slice(at + 1));
  return query;
}

describe('signed archive links', () => {
  const exp = links.expiryFrom(NOW);

  it('expire 30 days after they are given by default', () => {
    expect(DEFAULT_LINK_DAYS).toBe(30);
    expect(exp - NOW.getTime() / 1000).toBe(30 * 24 * 3600);
    expect(links.expiryFrom(NOW, 2) - NOW.getTime() / 1000).toBe(2 * 24 * 3600);
  });

  it('have the documented form, a base64url HMAC in the query', () => {
    const team = links.teamLink('payments-weekly', exp);
    expect(team).toMatch(new RegExp(`^https://reports\\.example\\.com/archive/payments-weekly\\?exp=${exp}&sig=[A-Za-z0-9_-]{43}$`));
    expect(links.weekLink('payments-weekly', '2024-W23', exp)).toMatch(
      /^https:\/\/reports\.example\.com\/archive\/payments-weekly\/weeks\/2024-W23\?exp=\d+&sig=[A-Za-z0-9_-]{43}$/,
    );
  });

  it('open every page of their team with a team signature', () => {
    const query = queryOf(links.teamLink('payments-weekly', exp));
    expect(links.check(query, 'payments-weekly', undefined, NOW)).toEqual({ ok: true, scope: { teamId: 'payments-weekly' } });
    expect(links.check(query, 'payments-weekly', '2024-W10', NOW)).toEqual({ ok: true, scope: { teamId: 'payments-weekly' } });
  });

  it('open only their week’s page with a week signature', () => {
    const query = queryOf(links.weekLink('payments-weekly', '2024-W23', exp));
    expect(links.check(query, 'payments-weekly', '2024-W23', NOW)).toEqual({ ok: true, scope: { teamId: 'payments-weekly', week: '2024-W23' } });
    expect(links.check(query, 'payments-weekly', '2024-W22', NOW)).toMatchObject({ ok: false, status: 401 });
    // The team's other pages (the list of weeks, trends…) are not the week's.
    expect(links.check(query, 'payments-weekly', undefined, NOW)).toMatchObject({ ok: false, status: 401 });
  });

  it('never open another team’s pages', () => {
    const query = queryOf(links.teamLink('payments-weekly', exp));
    expect(links.check(query, 'platform-weekly', undefined, NOW)).toMatchObject({ ok: false, status: 401, reason: 'invalid' });
    expect(links.check(queryOf(links.weekLink('payments-weekly', '2024-W23', exp)), 'platform-weekly', '2024-W23', NOW)).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('are refused (401) with one character of the signature changed, wherever it is', () => {
    const link = links.teamLink('payments-weekly', exp);
    for (const at of [0, 10, 42])
      expect(links.check(tampered(link, at), 'payments-weekly', undefined, NOW)).toMatchObject({ ok: false, status: 401, reason: 'invalid' });
  });

  it('are refused (401) with the expiry changed, so a link cannot be made to last longer', () => {
    const query = queryOf(links.teamLink('payments-weekly', exp));
    query.set('exp', String(exp + 86_400));
    expect(links.check(query, 'payments-weekly', undefined, NOW)).toMatchObject({ ok: false, status: 401 });
  });

  it('are refused (401) without their query, or with part of it', () => {
    const query = queryOf(links.teamLink('payments-weekly', exp));
    expect(links.check(new URLSearchParams(), 'payments-weekly', undefined, NOW)).toEqual({ ok: false, status: 401, reason: 'missing' });
    expect(links.check(new URLSearchParams({ exp: query.get('exp')! }), 'payments-weekly', undefined, NOW)).toMatchObject({ ok: false, status: 401 });
    expect(links.check(new URLSearchParams({ sig: query.get('sig')! }), 'payments-weekly', undefined, NOW)).toMatchObject({ ok: false, status: 401 });
    expect(links.check(new URLSearchParams({ exp: 'soon', sig: query.get('sig')! }), 'payments-weekly', undefined, NOW)).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('are refused (403) once expired, and not a second before', () => {
    const query = queryOf(links.teamLink('payments-weekly', exp));
    expect(links.check(query, 'payments-weekly', undefined, new Date(exp * 1000 - 1000))).toMatchObject({ ok: true });
    expect(links.check(query, 'payments-weekly', undefined, new Date(exp * 1000))).toEqual({ ok: false, status: 403, reason: 'expired' });
  });

  it('are all revoked by rotating the secret', () => {
    const rotated = new ArchiveLinks(`${SECRET}-rotated`, 'https://reports.example.com');
    const team = queryOf(links.teamLink('payments-weekly', exp));
    const week = queryOf(links.weekLink('payments-weekly', '2024-W23', exp));
    expect(rotated.check(team, 'payments-weekly', undefined, NOW)).toMatchObject({ ok: false, status: 401 });
    expect(rotated.check(week, 'payments-weekly', '2024-W23', NOW)).toMatchObject({ ok: false, status: 401 });
    // An expired link signed with the old secret says nothing about its expiry either.
    expect(rotated.check(team, 'payments-weekly', undefined, new Date(exp * 1000 + 1))).toMatchObject({ status: 401 });
  });
});
