import { describe, expect, it } from 'vitest';
import { drawLive, traceSparkline, type PathSink } from './live-draw';

function recorder() {
  const ops: string[] = [];
  const sink: PathSink = {
    moveTo: (x, y) => ops.push(`M${x} ${y}`),
    lineTo: (x, y) => ops.push(`L${x} ${y}`),
  };
  return { ops, sink };
}

describe('traceSparkline', () => {
  it('maps percentages into the box, clamped, oldest on the left', () => {
    const { ops, sink } = recorder();
    expect(traceSparkline(sink, [0, 50, 100, 150], 10, 0, 30, 20)).toBe(4);
    expect(ops).toEqual(['M10 20', 'L20 10', 'L30 0', 'L40 0']);
  });

  it('breaks the line at missing samples', () => {
    const { ops, sink } = recorder();
    traceSparkline(sink, [Number.NaN, 10, Number.NaN, 20, 30], 0, 0, 4, 10);
    expect(ops).toEqual(['M1 9', 'M3 8', 'L4 7']);
  });

  it('draws nothing for fewer than two slots', () => {
    const { ops, sink } = recorder();
    expect(traceSparkline(sink, [5], 0, 0, 10, 10)).toBe(0);
    expect(ops).toEqual([]);
  });
});

describe('drawLive', () => {
  it('writes both numbers and strokes only when there is a line', () => {
    const calls: string[] = [];
    const ctx = {
      clearRect: () => calls.push('clear'),
      fillText: (s: string) => calls.push(`text ${s}`),
      beginPath: () => calls.push('begin'),
      moveTo: () => {},
      lineTo: () => {},
      stroke: () => calls.push('stroke'),
      font: '',
      fillStyle: '',
      strokeStyle: '',
      lineWidth: 1,
      textAlign: 'left',
      textBaseline: 'alphabetic',
      lineJoin: 'miter',
    } as unknown as Parameters<typeof drawLive>[0];
    const theme = { font: '13px sans-serif', text: '#000', line: '#00f' };
    drawLive(ctx, theme, 28, { cpu: '12%', hostCpu: '1.5%', history: [1, 2, 3] });
    expect(calls).toEqual(['clear', 'text 12%', 'text 1.5%', 'begin', 'stroke']);
    calls.length = 0;
    drawLive(ctx, theme, 28, { cpu: '', hostCpu: '', history: [Number.NaN, Number.NaN] });
    expect(calls).toEqual(['clear', 'begin']);
  });

  it('redraws only the numbers that changed, and always the line', () => {
    const calls: string[] = [];
    const ctx = {
      clearRect: (x: number) => calls.push(`clear@${x}`),
      fillText: (s: string) => calls.push(`text ${s}`),
      beginPath: () => {},
      moveTo: () => {},
      lineTo: () => {},
      stroke: () => calls.push('stroke'),
    } as unknown as Parameters<typeof drawLive>[0];
    const theme = { font: '13px sans-serif', text: '#000', line: '#00f' };
    const before = { cpu: '0.0%', hostCpu: '0.0%', history: [0, 0] };
    drawLive(ctx, theme, 28, { cpu: '0.0%', hostCpu: '0.0%', history: [0, 0] }, before);
    expect(calls).toEqual(['clear@56', 'stroke']);
    calls.length = 0;
    drawLive(ctx, theme, 28, { cpu: '5.0%', hostCpu: '0.0%', history: [0, 5] }, before);
    expect(calls).toEqual(['clear@0', 'clear@56', 'text 5.0%', 'stroke']);
  });
});
