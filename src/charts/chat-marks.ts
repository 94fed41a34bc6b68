/**
 * The chat's status marks (✅ ⏰ ⏭ 🌴 ❌, in the participation table) as ECharts symbols, for a legend
 * that shows the marks the chat shows. The chart font has no emoji and resvg draws with no other font,
 * so each mark is a shape: a square in the status colour with the mark cut out of it, as the chat's
 * ✅ is a green square with a white tick. Holes are paths wound the other way round (SVG's nonzero
 * rule: ECharts sets no fill-rule), so they must not overlap one another.
 */

type Point = readonly [number, number];

/** Twice the signed area; positive for a clockwise path on screen (y grows downwards). */
function signedArea(points: readonly Point[]): number {
  return points.reduce((sum, [x, y], i) => {
    const [nx, ny] = points[(i + 1) % points.length]!;
    return sum + x * ny - nx * y;
  }, 0);
}

/** A closed path through the points, wound clockwise (`fill`) or anticlockwise (`hole`). */
function polygon(points: readonly Point[], as: 'fill' | 'hole'): string {
  const clockwise = signedArea(points) > 0;
  const ordered = clockwise === (as === 'fill') ? points : [...points].reverse();
  return `M${ordered.map(([x, y]) => `${round(x)} ${round(y)}`).join('L')}Z`;
}

function circle(cx: number, cy: number, r: number, steps = 24): Point[] {
  return Array.from({ length: steps }, (_, i) => [cx + r * Math.cos((2 * Math.PI * i) / steps), cy + r * Math.sin((2 * Math.PI * i) / steps)] as const);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** A 16 × 16 square with rounded corners, wound clockwise: the coloured ground of every mark. */
const SQUARE = 'M3 0L13 0Q16 0 16 3L16 13Q16 16 13 16L3 16Q0 16 0 13L0 3Q0 0 3 0Z';

function mark(...parts: string[]): string {
  return `path://${SQUARE}${parts.join('')}`;
}

export const CHAT_MARK_SYMBOLS = {
  /** A tick. */
  '✅': mark(
    polygon(
      [
        [3.2, 8.3],
        [4.8, 6.7],
        [6.9, 8.8],
        [11.2, 4.4],
        [12.8, 6],
        [6.9, 12],
      ],
      'hole',
    ),
  ),
  /** A clock face with its hands. */
  '⏰': mark(
    polygon(circle(8, 8.4, 5.4), 'hole'),
    polygon(
      [
        [7.3, 4.6],
        [8.7, 4.6],
        [8.7, 9.1],
        [7.3, 9.1],
      ],
      'fill',
    ),
    polygon(
      [
        [7.3, 7.7],
        [11.4, 7.7],
        [11.4, 9.1],
        [7.3, 9.1],
      ],
      'fill',
    ),
  ),
  /** Two triangles and a bar: skip to the next. */
  '⏭': mark(
    polygon(
      [
        [2.6, 4],
        [7.2, 8],
        [2.6, 12],
      ],
      'hole',
    ),
    polygon(
      [
        [7.6, 4],
        [12.2, 8],
        [7.6, 12],
      ],
      'hole',
    ),
    polygon(
      [
        [12.4, 4],
        [13.8, 4],
        [13.8, 12],
        [12.4, 12],
      ],
      'hole',
    ),
  ),
  /** A palm tree: a trunk under four fronds. */
  '🌴': mark(
    polygon(
      [
        [7.4, 13.6],
        [9.2, 13.6],
        [8.8, 7.8],
        [8, 7.8],
      ],
      'hole',
    ),
    polygon(
      [
        [8.2, 7.2],
        [2.4, 9.6],
        [3.4, 6.6],
      ],
      'hole',
    ),
    polygon(
      [
        [8.2, 6.8],
        [3.6, 5.4],
        [6.2, 2.6],
      ],
      'hole',
    ),
    polygon(
      [
        [8.6, 6.8],
        [10.2, 2.6],
        [12.8, 5.4],
      ],
      'hole',
    ),
    polygon(
      [
        [8.6, 7.2],
        [12.9, 6.6],
        [13.8, 9.6],
      ],
      'hole',
    ),
  ),
  /** A cross. */
  '❌': mark(
    polygon(
      [
        [4, 5.4],
        [5.4, 4],
        [8, 6.6],
        [10.6, 4],
        [12, 5.4],
        [9.4, 8],
        [12, 10.6],
        [10.6, 12],
        [8, 9.4],
        [5.4, 12],
        [4, 10.6],
        [6.6, 8],
      ],
      'hole',
    ),
  ),
} as const;

export type ChatMark = keyof typeof CHAT_MARK_SYMBOLS;
