import { memo, useLayoutEffect, useRef, type PointerEvent } from 'react';
import type { DomainUuid } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { useT } from '../../i18n/I18nProvider';
import type { Translate } from '../../i18n/translate';
import { primaryAddress, stripPrefix } from '../../lib/ip';
import { formatKiB, formatPct, formatRate } from '../../lib/units';
import {
  readHistory,
  selectVmAddresses,
  selectVmStats,
  slotsPerMinute,
  useStatsStore,
  type StatsState,
  type VmStats,
} from '../../stores/stats';
import { LIVE_WIDTH, drawLive, type LiveTheme, type LiveValues } from './live-draw';
import { ROW_HEIGHT } from './tree-model';

interface Props {
  hostId: HostId;
  uuid: DomainUuid;
  name: string;
}

/** Reused by every row: readHistory fills it, drawLive reads it at once, nothing keeps it. */
let scratch = new Float32Array(0);
/** Canvas height in CSS px: the row minus its bottom border, minus one for breathing room. */
const LIVE_HEIGHT = ROW_HEIGHT - 2;

function details(t: Translate, vm: VmStats | undefined): string {
  const s = vm?.sample;
  if (!s) return '';
  const lines: string[] = [];
  if (s.memUsedKiB !== null) lines.push(t(s.memSource === 'guest' ? 'stats.memGuest' : 'stats.memRss', { mem: formatKiB(s.memUsedKiB) }));
  if (s.diskRdBps !== null || s.diskWrBps !== null)
    lines.push(t('stats.disk', { read: formatRate(s.diskRdBps ?? 0), write: formatRate(s.diskWrBps ?? 0) }));
  if (s.netRxBps !== null || s.netTxBps !== null) lines.push(t('stats.net', { rx: formatRate(s.netRxBps ?? 0), tx: formatRate(s.netTxBps ?? 0) }));
  return lines.join('\n');
}

/** Colours and font come from the stylesheet (theme variables), read once per theme change. */
let theme: LiveTheme | null = null;
function currentTheme(cell: HTMLElement): LiveTheme {
  if (!theme) {
    const css = getComputedStyle(cell);
    theme = { font: `13px ${css.fontFamily}`, text: css.color, line: css.getPropertyValue('--accent').trim() || css.color };
  }
  return theme;
}
const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

/**
 * The live cells of one row (CPU %, sparkline, host CPU %), drawn on one canvas. A stats tick
 * does NOT re-render them through React: each instance subscribes to the store for its own VM
 * (selector by host and uuid) and repaints its canvas when that entry changed. Only rows on
 * screen are mounted, so the other VMs cost nothing but their ring update; and a canvas needs
 * no layout, where changing text in ~40 grid rows cost layout and paint of each.
 */
export const DomainStatsCells = memo(function DomainStatsCells({ hostId, uuid, name }: Props) {
  const t = useT();
  const cellRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useLayoutEffect(() => {
    const cell = cellRef.current;
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!cell || !canvas || !ctx) return;
    let last: VmStats | undefined | null = null;
    /** The VM's entry is updated in place: `written` tells a new tick from the one shown. */
    let lastWritten = -1;
    let lastDpr = 0;
    /** What the canvas shows, so unchanged numbers are not redrawn; null forces a full repaint. */
    let shown: LiveValues | null = null;
    const select = selectVmStats(hostId, uuid);
    const paint = (state: StatsState) => {
      const vm = select(state);
      const dpr = window.devicePixelRatio || 1;
      if (vm === last && (vm?.written ?? -1) === lastWritten && dpr === lastDpr) return;
      last = vm;
      lastWritten = vm?.written ?? -1;
      lastDpr = dpr;
      // Backing store at device resolution, so text and line stay sharp when zoomed. Only
      // resized when needed: the canvas is reused when its row shows another VM.
      const width = Math.round(LIVE_WIDTH * dpr);
      const height = Math.round(LIVE_HEIGHT * dpr);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width; // also clears the canvas
        canvas.height = height;
        shown = null;
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const slots = slotsPerMinute(state.byHost[hostId]?.intervalMs ?? 1000);
      if (scratch.length !== slots) scratch = new Float32Array(slots);
      const cpu = formatPct(vm?.sample.cpuPct);
      const hostCpu = formatPct(vm?.sample.hostCpuPct);
      const values = { cpu, hostCpu, history: vm ? readHistory(vm, slots, scratch) : null };
      drawLive(ctx, currentTheme(cell), LIVE_HEIGHT, values, shown);
      shown = { cpu, hostCpu, history: null };
      const label = cpu ? `${cpu} · ${hostCpu}` : '';
      if (canvas.getAttribute('aria-label') !== label) canvas.setAttribute('aria-label', label);
    };
    const repaint = () => {
      theme = null;
      last = null;
      shown = null;
      paint(useStatsStore.getState());
    };
    paint(useStatsStore.getState());
    darkQuery?.addEventListener('change', repaint);
    const off = useStatsStore.subscribe(paint);
    return () => {
      off();
      darkQuery?.removeEventListener('change', repaint);
    };
  }, [hostId, uuid]);

  // The tooltip is built when the pointer arrives, not on every tick for every row.
  const onPointerEnter = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.title = details(t, useStatsStore.getState().byHost[hostId]?.vms.get(uuid));
  };

  return (
    <div ref={cellRef} className="cell col-live" role="gridcell" data-testid={`vm-cpu-${name}`} onPointerEnter={onPointerEnter}>
      <canvas ref={canvasRef} className="live-canvas" role="img" />
    </div>
  );
});

/** Guest addresses: the first IPv4 in the cell, all of them in the tooltip. Rare events: plain React. */
export const DomainAddressCell = memo(function DomainAddressCell({ hostId, uuid, name }: Props) {
  const ips = useStatsStore(selectVmAddresses(hostId, uuid));
  const shown = primaryAddress(ips);
  return (
    <div className="cell col-ip mono" role="gridcell" title={ips?.map(stripPrefix).join('\n')} data-testid={`vm-ip-${name}`}>
      {shown}
    </div>
  );
});
