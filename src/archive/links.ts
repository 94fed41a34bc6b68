import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a link opens its pages unless asked otherwise. */
export const DEFAULT_LINK_DAYS = 30;
const DAY_SECONDS = 24 * 60 * 60;

/** What a link opens: every page of a team, or one week's page only. */
export interface ArchiveScope {
  teamId: string;
  week?: string;
}

/** What a request's `exp` and `sig` prove about the page asked for. */
export type LinkCheck =
  | { ok: true; scope: ArchiveScope }
  /** 401: no signature, or one that does not sign this page. */
  | { ok: false; status: 401; reason: 'missing' | 'invalid' }
  /** 403: signed for this page, but past its expiry. */
  | { ok: false; status: 403; reason: 'expired' };

/**
 * The archive's signed links: HMAC-SHA256 with ARCHIVE_SECRET over (team, week or nothing,
 * expiry in unix seconds), base64url, in the link's query. Nothing is stored: a link is valid
 * because the secret signed it, so rotating the secret revokes every link at once.
 */
export class ArchiveLinks {
  constructor(
    private readonly secret: string,
    /** PUBLIC_URL: the base of every link, without a trailing slash. */
    readonly publicUrl: string,
    readonly days = DEFAULT_LINK_DAYS,
  ) {}

  /** The expiry of a link given at `now` for `days` days, in unix seconds. */
  expiryFrom(now: Date, days = this.days): number {
    return Math.floor(now.getTime() / 1000) + Math.round(days * DAY_SECONDS);
  }

  signature(scope: ArchiveScope, exp: number): string {
    // Fields joined by a newline, which no team id, week or number contains: no two scopes sign the same text.
    return createHmac('sha256', this.secret)
      .update(`archive:v1\n${scope.teamId}\n${scope.week ?? ''}\n${exp}`)
      .digest('base64url');
  }

  /** The query that opens what `scope` covers until `exp`: `exp=…&sig=…`. */
  query(scope: ArchiveScope, exp: number): string {
    return `exp=${exp}&sig=${this.signature(scope, exp)}`;
  }

  /** `${PUBLIC_URL}/archive/<team>?exp=…&sig=…`: every page of the team. */
  teamLink(teamId: string, exp: number): string {
    return `${this.publicUrl}${archivePath(teamId)}?${this.query({ teamId }, exp)}`;
  }

  /** `${PUBLIC_URL}/archive/<team>/weeks/<week>?exp=…&sig=…`: that week's page only. */
  weekLink(teamId: string, week: string, exp: number): string {
    return `${this.publicUrl}${archivePath(teamId, `weeks/${week}`)}?${this.query({ teamId, week }, exp)}`;
  }

  /**
   * Whether the query opens a page of `teamId` (the week's page when `week` is given): a team
   * signature opens every page of its team, a week signature only its week's. The signature is
   * checked before the expiry, so that a forged link learns nothing from the answer.
   */
  check(query: URLSearchParams, teamId: string, week: string | undefined, now: Date): LinkCheck {
    const expText = query.get('exp');
    const sig = query.get('sig');
    if (expText === null || sig === null || expText === '' || sig === '') return { ok: false, status: 401, reason: 'missing' };
    if (!/^\d{1,12}$/.test(expText)) return { ok: false, status: 401, reason: 'invalid' };
    const exp = Number(expText);
    const scopes: ArchiveScope[] = [{ teamId }, ...(week !== undefined ? [{ teamId, week }] : [])];
    const scope = scopes.find((s) => sameSignature(sig, this.signature(s, exp)));
    if (!scope) return { ok: false, status: 401, reason: 'invalid' };
    if (exp * 1000 <= now.getTime()) return { ok: false, status: 403, reason: 'expired' };
    return { ok: true, scope };
  }
}

/** Constant time over the expected signature's length: how much of a guess is right never shows in the time taken. */
function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The path of a team's archive page: `/archive/<team>` or `/archive/<team>/<page>`. */
export function archivePath(teamId: string, page?: string): string {
  return `/archive/${encodeURIComponent(teamId)}${page ? `/${page}` : ''}`;
}
