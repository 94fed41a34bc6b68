import type { IncomingMessage } from 'node:http';

/** What the fake Feishu Open API servers share: their answers and errors, and reading multipart uploads. */

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function ok(data: Record<string, unknown>, wrapped = true): Answer {
  return { status: 200, body: wrapped ? { code: 0, msg: 'success', data } : { code: 0, msg: 'ok', ...data } };
}

export function rateLimited(status: number, resetSeconds: number): ApiError {
  return new ApiError(status, 99991400, 'request trigger frequency limit', {
    'x-ogw-ratelimit-limit': '5',
    'x-ogw-ratelimit-reset': String(resetSeconds),
  });
}

/** What an image's leading bytes say it is, among the formats Feishu takes; null for anything else. */
export function imageFormat(bytes: Buffer): string | null {
  const starts = (...signature: number[]) => signature.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (bytes.toString('latin1', 0, 4) === 'GIF8') return 'gif';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (bytes.toString('latin1', 0, 2) === 'BM') return 'bmp';
  return null;
}

/**
 * A multipart body's fields as bytes, by name. Read by hand: the SDK sends a Buffer as a field
 * without a filename, which a WHATWG FormData would decode as UTF-8 text and so corrupt an image.
 */
export function multipartParts(req: IncomingMessage, raw: Buffer): Map<string, Buffer> {
  const contentType = req.headers['content-type'] ?? '';
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!contentType.startsWith('multipart/form-data') || !boundary) throw new ApiError(400, 99992402, 'expected multipart/form-data');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts = new Map<string, Buffer>();
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const headerEnd = raw.indexOf('\r\n\r\n', at);
    const next = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
    if (headerEnd === -1 || next === -1) break;
    const name = /name="([^"]*)"/.exec(raw.toString('utf8', at, headerEnd))?.[1];
    if (name) parts.set(name, raw.subarray(headerEnd + 4, next));
    at = next + 2;
  }
  if (parts.size === 0) throw new ApiError(400, 99992402, 'malformed multipart body');
  return parts;
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
