import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../log.ts';
import { truncate } from '../../report/truncate.ts';

const MAX_LINE = 2000;

/**
 * The SDK's Client, EventDispatcher and WSClient log through this, so their lines go to the
 * bot's pino logger (with its redaction) instead of the console. The SDK logs failed calls as
 * arrays of objects (URL, params, answer); they become one JSON line, cut to a readable length.
 */
export function larkLogger(logger: Logger): lark.Logger {
  const write =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (...parts: unknown[]) => {
      const text = parts.map((p) => (typeof p === 'string' ? p : safeJson(p))).join(' ');
      logger[level]({ sdk: 'lark' }, truncate(text, MAX_LINE + 1));
    };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug'), trace: write('trace') };
}

/** The SDK filters by its own level before calling the logger; keep it in step with the bot's. */
export function larkLoggerLevel(logger: Logger): lark.LoggerLevel {
  switch (logger.level) {
    case 'trace':
      return lark.LoggerLevel.trace;
    case 'debug':
      return lark.LoggerLevel.debug;
    case 'info':
      return lark.LoggerLevel.info;
    case 'warn':
      return lark.LoggerLevel.warn;
    default:
      return lark.LoggerLevel.error;
  }
}

function safeJson(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
