/** The week labels an ECharts category axis shows, as the option asks for them. */
export interface CategoryAxis {
  data: string[];
  axisLabel?: { interval?: number | 'auto' | ((index: number, value: string) => boolean); formatter?: (value: string, index: number) => string };
}

/** The index and text of each label the axis shows; `auto` (ECharts decides) counts as every label. */
export function shownLabels(axis: CategoryAxis): { index: number; text: string }[] {
  const interval = axis.axisLabel?.interval;
  const shows = (index: number, value: string) =>
    typeof interval === 'function' ? interval(index, value) : typeof interval === 'number' ? index % (interval + 1) === 0 : true;
  const format = axis.axisLabel?.formatter ?? ((value: string) => value);
  return axis.data.flatMap((value, index) => (shows(index, value) ? [{ index, text: format(value, index) }] : []));
}
