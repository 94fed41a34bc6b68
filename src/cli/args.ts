import { BotError } from '../errors.ts';
import { readWeek } from '../report/week.ts';

/**
 * A command line the CLI cannot run: a required option missing, a value of the wrong form, values
 * that contradict each other. Exit 2, the line, then the command's usage (src/errors.ts). What the
 * line names but turns out wrong (a folder that cannot be read, a section the team does not have)
 * is an `input_invalid` error instead: exit 1, the line alone.
 */
export class ArgumentError extends BotError {
  override name = 'ArgumentError';
  constructor(message: string, options?: ErrorOptions) {
    super('usage', message, options);
  }
}

/** The ISO week an option gives (`--week 2024-W23`, any case), or an ArgumentError saying what is wrong with it. */
export function weekArgument(flag: string, value: string | undefined): string {
  const reading = readWeek(value ?? '');
  if ('week' in reading) return reading.week;
  if (reading.problem === 'no-such-week') {
    const { year, weekNumber, weeksInYear, nearest } = reading;
    throw new ArgumentError(`${flag}: ${year} has no week ${weekNumber} (ISO years have 52 or 53 weeks; ${year} has ${weeksInYear}): e.g. ${nearest}`);
  }
  const hint = reading.suggestion ? ` (did you mean ${reading.suggestion}?)` : '';
  throw new ArgumentError(`${flag} expects an ISO week like 2024-W23, got "${value ?? ''}"${hint}`);
}
