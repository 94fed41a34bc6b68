import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, useBrowser, watchPage, wouldHaveRunCode } from '../support/browser.ts';

/**
 * The browser harness itself: the archive's browser tests assert that a page raised no dialog, made
 * no foreign request and broke no CSP rule, so here each watcher is shown to see what it watches,
 * on a page that does all of it.
 */

const CSP = "default-src 'self'; script-src 'self'; img-src 'self'";
const GUILTY = [
  '<!doctype html><title>guilty</title>',
  '<script>document.title = "inline ran"</script>',
  '<img src="http://203.0.113.7/pixel.png" alt="">',
  '<button onclick="alert(1)">x</button>',
  '<script src="/alert.js"></script>',
].join('\n');

describe('the browser harness', () => {
  const browser = useBrowser();
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/alert.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end('alert("from a script of the page"); document.querySelector("button").click(); throw new Error("script failed");');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP });
      res.end(GUILTY);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails, saying how to install Chromium, when there is none at CHROMIUM_PATH', async () => {
    await expect(launchChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).rejects.toThrow(chromiumMissing('/nonexistent/chromium'));
    expect(chromiumMissing('/x')).toContain('apt-get install -y --no-install-recommends chromium');
  });

  it('sees a dialog, a foreign request, the CSP violations and a script error', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const watch = await watchPage(page, origin);
    await page.goto(`${origin}/`);
    await page.waitForLoadState('networkidle');
    await context.close();

    expect(watch.dialogs).toEqual(['alert: from a script of the page']);
    // Chromium reports a request the CSP then blocks: an attempt counts.
    expect(watch.foreignRequests).toEqual(['http://203.0.113.7/pixel.png']);
    expect(watch.cspViolations.filter(wouldHaveRunCode).map((v) => v.effectiveDirective)).toEqual(['script-src-elem', 'script-src-attr']);
    expect(watch.cspViolations.map((v) => v.blockedURI)).toContain('http://203.0.113.7/pixel.png');
    expect(watch.errors.join('\n')).toContain('script failed');
  });
});
