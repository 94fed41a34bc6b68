import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';

describe('a prefix route on the bot’s server', () => {
  let server: HttpServer;
  beforeAll(async () => {
    const answer = (name: string) => (_req: unknown, res: import('node:http').ServerResponse) => res.end(name);
    server = await HttpServer.start(
      [
        { path: '/archive/', prefix: true, method: 'GET', handler: answer('prefix') },
        { path: '/archive/exact', method: 'GET', handler: answer('exact') },
      ],
      { port: 0, logger: createLogger('prefix-route-test') },
    );
  });
  afterAll(() => server?.close());

  it('answers every path under it, with its query, and leaves an exact route its path', async () => {
    expect(await (await fetch(server.url('/archive/team/weeks/2024-W23?exp=1&sig=x'))).text()).toBe('prefix');
    expect(await (await fetch(server.url('/archive/exact'))).text()).toBe('exact');
  });

  it('answers HEAD as GET, with no body', async () => {
    const head = await fetch(server.url('/archive/exact'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers nothing outside it (404), and another method 405', async () => {
    expect((await fetch(server.url('/archiveX'))).status).toBe(404);
    expect((await fetch(server.url('/archive'))).status).toBe(404);
    expect((await fetch(server.url('/archive/team'), { method: 'POST' })).status).toBe(405);
  });
});
