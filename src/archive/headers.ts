import type { ServerResponse } from 'node:http';

/**
 * What every archive answer says to the browser. Owner text is on these pages, so nothing on them
 * may run but the archive's own scripts: scripts and styles from this origin only (no inline
 * script, no style attribute), images from here or data: URLs, no request from script, no frame,
 * no <base>, forms posting here. The signature is in the page's address: no Referer carries it
 * away, and no cache keeps a page it opened.
 */
export const ARCHIVE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const COMMON_HEADERS = {
  'content-security-policy': ARCHIVE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** A page (or an error page): HTML, kept by no cache. */
export function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/** A static file of the archive (no report data in it): cacheable for an hour. */
export function sendAsset(res: ServerResponse, contentType: string, body: string | Buffer): void {
  res.writeHead(200, { ...COMMON_HEADERS, 'content-type': contentType, 'cache-control': 'public, max-age=3600' });
  res.end(body);
}
