import type { z } from 'zod';
import { BotError } from '../../errors.ts';

/** What a source converter returns: the reply as plain text, or why the payload could not be read. */
export type Converted = { ok: true; text: string } | { ok: false; detail: string };

/** A platform payload that does not have the shape its platform documents. */
export class PayloadError extends BotError {
  override name = 'PayloadError';
  constructor(message: string, options?: ErrorOptions) {
    super('payload_invalid', message, options);
  }
}

/** Validates one part of a payload; `where` names it in the error (`blocks[0].elements[2]`). */
export function readPart<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('') ?? '';
  throw new PayloadError(`${where}${path}: ${issue?.message ?? 'unexpected shape'}`);
}

/** Runs a converter, turning a PayloadError into a `Converted` failure. */
export function converting(convert: () => string): Converted {
  try {
    return { ok: true, text: convert() };
  } catch (error) {
    if (error instanceof PayloadError) return { ok: false, detail: error.message };
    throw error;
  }
}

/** Wraps inline text in Markdown emphasis, keeping surrounding spaces outside the marks (`** x**` is not bold). */
export function emphasise(text: string, marks: readonly string[]): string {
  if (marks.length === 0) return text;
  const open = marks.join('');
  const close = [...marks].reverse().join('');
  return text
    .split('\n')
    .map((line) => {
      const [, before = '', core = '', after = ''] = /^(\s*)(.*?)(\s*)$/su.exec(line) ?? [];
      return core === '' ? line : `${before}${open}${core}${close}${after}`;
    })
    .join('\n');
}
