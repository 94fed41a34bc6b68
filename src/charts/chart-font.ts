import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BotError } from '../errors.ts';

/**
 * The one font every chart is drawn with. resvg draws only with the fonts it is given (system fonts
 * are not loaded, so a chart looks the same on every machine), and it reads TTF/OTF but not WOFF2.
 * Noto Sans SC has the CJK and the Latin glyphs; the npm package @expo-google-fonts/noto-sans-sc ships
 * it as TTF, so `npm ci` installs it wherever the bot runs, with no system package needed.
 */
export const CHART_FONT_FAMILY = 'Noto Sans SC';

const FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

export class ChartFontError extends BotError {
  override name = 'ChartFontError';
  constructor(message: string, options?: ErrorOptions) {
    super('chart_font', message, options);
  }
}

let resolved: string | undefined;

/** The font file's path; throws a ChartFontError that says how to install it when it is absent. */
export function chartFontFile(): string {
  if (resolved) return resolved;
  let file: string | undefined;
  try {
    file = createRequire(import.meta.url).resolve(FONT_MODULE);
  } catch {
    file = undefined;
  }
  if (!file || !existsSync(file)) {
    throw new ChartFontError(
      `Charts need the font ${CHART_FONT_FAMILY} and ${FONT_MODULE} was not found. ` +
        'It is a dependency in package.json: run `npm ci` (or `npm install @expo-google-fonts/noto-sans-sc`).',
    );
  }
  resolved = file;
  return file;
}
