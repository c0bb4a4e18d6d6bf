/**
 * One uPlot time-series chart of the last five minutes. uPlot draws on a canvas and sets its few
 * inline styles through CSSOM (el.style), which the CSP allows; its stylesheet is bundled.
 * The legend shows the values under the cursor (uPlot's live legend), formatted in human units.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { WINDOW_SECONDS } from './perf-history';

export interface ChartSeries {
  label: string;
  /** A CSS colour; canvas strokes cannot use var(), so the chart reads it from a variable here. */
  colorVar: string;
}

interface Props {
  title: string;
  series: ChartSeries[];
  data: [number[], ...(number | null)[][]];
  /** Bumped when `data` changed in place. */
  version: number;
  format: (v: number) => string;
  /** Fixed y range (CPU: 0–100); otherwise from 0 to the data's maximum. */
  yMax?: number;
  testId?: string;
}

const timeOfDay = (seconds: number) => new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#2f6fde';
}

export function TimeChart({ title, series, data, version, format, yMax, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const fmt = useRef(format);
  fmt.current = format;

  useEffect(() => {
    const el = box.current!;
    const text = cssVar('--muted');
    const grid = cssVar('--border');
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 160,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: {
        // Always the last five minutes, ending at the newest sample.
        x: { time: true, range: (_u, _min, max) => [max - WINDOW_SECONDS, max] },
        y: { range: (_u, _min, max) => [0, yMax ?? Math.max(1, max * 1.1)] },
      },
      axes: [
        // Clock times only: the date is today, and uPlot's two-line default labels overlap here.
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, space: 70, values: (_u, splits) => splits.map((v) => timeOfDay(v)) },
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 70, values: (_u, splits) => splits.map((v) => fmt.current(v)) },
      ],
      series: [
        { value: (_u, v) => (v == null ? '' : timeOfDay(v)) },
        ...series.map((s) => ({
          label: s.label,
          stroke: cssVar(s.colorVar),
          width: 1.5,
          spanGaps: false,
          // Points only while there are few samples (uPlot's own rule): a lone sample stays visible.
          points: { size: 4 },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : fmt.current(v)),
        })),
      ],
    };
    const u = new uPlot(opts, data as uPlot.AlignedData, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: 160 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Series labels are fixed per chart; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series.map((s) => s.label).join('|'), yMax]);

  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    u.setData(data as uPlot.AlignedData);
    // Without the pointer over the chart, the legend shows the newest values.
    if (u.cursor.idx == null && data[0].length > 0) u.setLegend({ idx: data[0].length - 1 });
  }, [data, version]);

  const samples = data[1]?.filter((v) => v !== null).length ?? 0;
  const last = data[1]?.[data[1].length - 1];
  return (
    <section className="chart" data-testid={testId} data-samples={samples} data-last={last ?? ''}>
      <h3>{title}</h3>
      <div ref={box} className="chart-plot" />
    </section>
  );
}
