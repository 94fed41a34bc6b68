import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../log.ts';

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/**
 * Bolt and WebClient log through this, so their lines go to the bot's pino logger (with its
 * redaction) instead of the console. The level stays the bot's LOG_LEVEL: Bolt calls setLevel
 * with its own default, which is ignored.
 */
export function boltLogger(logger: Logger): SlackLogger {
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      const error = parts.find((p): p is Error => p instanceof Error);
      const text = parts
        .filter((p) => p !== error)
        .map((p) => (typeof p === 'string' ? p : safeJson(p)))
        .join(' ');
      if (error) logger[level]({ err: error }, text || error.message);
      else logger[level](text);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => {},
    getLevel: () => LEVELS[logger.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
