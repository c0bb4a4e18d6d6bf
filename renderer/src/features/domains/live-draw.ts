/**
 * Drawing of a row's live cells (CPU %, last-minute sparkline, host CPU %) on one small canvas.
 * A canvas because per-tick text in the DOM costs layout and paint for every row on screen
 * (measured ~2× the cost of the canvas); here a tick is a few draw calls per visible row and one
 * image per row for the compositor. Kept free of the DOM so the geometry is unit-tested.
 */

/** CSS pixel geometry, matching the 150px CPU and 90px host CPU columns. */
export const LIVE_WIDTH = 240;
export const liveLayout = {
  cpuRight: 52,
  sparkX: 58,
  sparkWidth: 84,
  sparkInset: 5,
  hostRight: LIVE_WIDTH - 8,
} as const;

export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
}

/**
 * Traces values (percentages, NaN = no sample) as a polyline across the box, oldest at the left;
 * a NaN breaks the line rather than drawing a drop to zero. Returns the number of points traced.
 */
export function traceSparkline(sink: PathSink, values: ArrayLike<number>, x: number, y: number, width: number, height: number): number {
  const n = values.length;
  if (n < 2) return 0;
  const step = width / (n - 1);
  let drawing = false;
  let points = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      drawing = false;
      continue;
    }
    const py = y + height - (Math.max(0, Math.min(100, v)) / 100) * height;
    const px = x + i * step;
    if (drawing) sink.lineTo(px, py);
    else sink.moveTo(px, py);
    drawing = true;
    points += 1;
  }
  return points;
}

export interface LiveTheme {
  font: string;
  text: string;
  line: string;
}

export interface LiveValues {
  cpu: string;
  hostCpu: string;
  history: ArrayLike<number> | null;
}

type Ctx = Pick<
  CanvasRenderingContext2D,
  'clearRect' | 'fillText' | 'beginPath' | 'moveTo' | 'lineTo' | 'stroke' | 'font' | 'fillStyle' | 'strokeStyle' | 'lineWidth' | 'textAlign' | 'textBaseline' | 'lineJoin'
>;

/**
 * Paints one row's live cells; the context is already scaled to CSS pixels. With `previous`
 * (what the canvas shows now), a number that did not change is left alone: idle VMs show the
 * same "0.0%" tick after tick, and text is the costly part to draw. The sparkline always moves.
 */
export function drawLive(ctx: Ctx, theme: LiveTheme, height: number, values: LiveValues, previous: LiveValues | null = null) {
  const { cpuRight, sparkX, sparkWidth, hostRight } = liveLayout;
  ctx.font = theme.font;
  ctx.fillStyle = theme.text;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  // Half a pixel lower than the box centre lines the digits up with the DOM text of the row.
  const mid = height / 2 + 0.5;
  if (!previous) {
    ctx.clearRect(0, 0, LIVE_WIDTH, height);
  } else {
    if (previous.cpu !== values.cpu) ctx.clearRect(0, 0, sparkX - 2, height);
    if (previous.hostCpu !== values.hostCpu) ctx.clearRect(sparkX + sparkWidth + 2, 0, LIVE_WIDTH - sparkX - sparkWidth - 2, height);
    ctx.clearRect(sparkX - 2, 0, sparkWidth + 4, height);
  }
  if (values.cpu && previous?.cpu !== values.cpu) ctx.fillText(values.cpu, cpuRight, mid);
  if (values.hostCpu && previous?.hostCpu !== values.hostCpu) ctx.fillText(values.hostCpu, hostRight, mid);
  if (values.history) {
    ctx.beginPath();
    const inset = liveLayout.sparkInset;
    if (traceSparkline(ctx, values.history, liveLayout.sparkX, inset, liveLayout.sparkWidth, height - 2 * inset) > 0) {
      ctx.strokeStyle = theme.line;
      ctx.lineWidth = 1.25;
      ctx.lineJoin = 'round';
      ctx.stroke();
    }
  }
}
