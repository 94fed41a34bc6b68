/**
 * The week labels under a chart: `W13`, short enough for twelve weeks side by side, with the year on
 * a second line under the first label and under the first label of a new year (`W01` / `2025`).
 * When the weeks are too many to name each (`trend 52`), every second, third… label is left out,
 * counting back from the last week, which is always named.
 */

/**
 * How far apart two labels' centres must be, in pixels: `W52` at 12 px is about 25 px wide and
 * `2024` under it about 28 px, and two labels need some space between them to read as two.
 */
export const WEEK_LABEL_SPACING = 36;

export interface WeekAxisLabels {
  /** Whether the label of the week at this index is drawn. */
  interval: (index: number) => boolean;
  /** The text of the label of the week at this index (two lines where the year shows). */
  formatter: (week: string, index: number) => string;
}

/**
 * The labels of `weeks` (ISO weeks, oldest first) on a category axis whose neighbouring weeks are
 * `spacing` pixels apart.
 */
export function weekAxisLabels(weeks: readonly string[], spacing: number): WeekAxisLabels {
  const every = spacing > 0 ? Math.max(1, Math.ceil(WEEK_LABEL_SPACING / spacing)) : 1;
  const shown = weeks.map((_, i) => (weeks.length - 1 - i) % every === 0);
  const text = new Map<number, string>();
  let year: string | undefined;
  weeks.forEach((week, i) => {
    if (!shown[i]) return;
    const weekYear = week.slice(0, 4);
    text.set(i, weekYear === year ? week.slice(5) : `${week.slice(5)}\n${weekYear}`);
    year = weekYear;
  });
  return {
    interval: (index) => shown[index] ?? false,
    formatter: (week, index) => text.get(index) ?? week,
  };
}
