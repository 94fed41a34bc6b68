import { request } from 'node:http';

/**
 * A client that POSTs a huge body without holding it: the same 64 KiB chunk is written again and
 * again, as fast as the server takes it, until the body is sent or the server answers. What a
 * flood of unsigned 256 MB requests looks like to the bot, at the cost of 64 KiB to the sender.
 */

export interface OversizedPost {
  /** Total body size claimed or streamed, in bytes. */
  bytes: number;
  /** Send Content-Length (the server can refuse up front), or stream chunked (it must count). */
  declareLength: boolean;
  contentType?: string;
  headers?: Record<string, string>;
  chunkBytes?: number;
}

export interface OversizedAnswer {
  /** 0 when the connection ended without an answer. */
  status: number;
  body: string;
  /** Bytes handed to the socket before the answer (an upper bound of what the server read, plus kernel buffers). */
  sentBytes: number;
  /** ms from the first byte to the answer. */
  elapsedMs: number;
}

export function postOversized(url: string, post: OversizedPost): Promise<OversizedAnswer> {
  const chunk = Buffer.alloc(post.chunkBytes ?? 64 * 1024, 'a');
  const headers: Record<string, string> = { 'content-type': post.contentType ?? 'application/json', ...post.headers };
  if (post.declareLength) headers['content-length'] = String(post.bytes);
  const started = performance.now();
  return new Promise((resolve) => {
    let sentBytes = 0;
    let settled = false;
    const done = (answer: Omit<OversizedAnswer, 'sentBytes' | 'elapsedMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...answer, sentBytes, elapsedMs: Math.round(performance.now() - started) });
      req.destroy();
    };
    const req = request(url, { method: 'POST', headers });
    let status = 0;
    const parts: Buffer[] = [];
    const answered = () => done({ status, body: Buffer.concat(parts).toString('utf8') });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', answered);
      res.on('error', answered);
    });
    // The server closing the connection mid-upload is expected: the answer, if any, came first
    // (the write that fails on the closed socket may be reported before the answer's body).
    req.on('error', answered);
    const write = () => {
      while (!settled && sentBytes < post.bytes) {
        const piece = post.bytes - sentBytes >= chunk.length ? chunk : chunk.subarray(0, post.bytes - sentBytes);
        sentBytes += piece.length;
        if (!req.write(piece)) {
          req.once('drain', write);
          return;
        }
      }
      if (!settled) req.end();
    };
    write();
  });
}
