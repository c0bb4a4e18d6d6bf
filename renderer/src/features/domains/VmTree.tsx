import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { HostView } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { visibleRange, type VisibleRange } from '../../lib/virtual-range';
import { setSelection, useUiStore } from '../../stores/ui';
import { HostGroup } from '../hosts/HostGroup';
import { DomainListHeader } from './DomainListHeader';
import { DomainRow } from './DomainRow';
import { NoteRow } from './NoteRow';
import { selectAll } from './selection';
import { isMacPlatform } from './shortcuts';
import { useTreeInteraction } from './tree-interaction';
import { HEADER_HEIGHT, HOST_HEIGHT, ROW_HEIGHT, vmKey, type TreeModel } from './tree-model';

/** Rows rendered beyond each edge of the viewport, so fast scrolling shows no blank strip. */
const OVERSCAN = 8;
/**
 * VM rows are keyed by their slot in the window (index modulo this, more than a window holds),
 * not by VM: scrolling then moves one DOM row from one end to the other instead of unmounting
 * and mounting, and a re-sort re-renders rows in place, reusing their canvases.
 */
const ROW_POOL = 128;

const sizes = {
  '--row-h': `${ROW_HEIGHT}px`,
  '--host-h': `${HOST_HEIGHT}px`,
  '--header-h': `${HEADER_HEIGHT}px`,
} as CSSProperties;

const mac = isMacPlatform(typeof navigator === 'undefined' ? '' : navigator.platform);

/**
 * The connections with their VMs, virtualised: only the items intersecting the viewport (plus
 * overscan) are in the DOM, inside a spacer as tall as the whole list. Items have fixed heights
 * (see tree-model), so positions are known without measuring rows.
 */
export function VmTree({ model, hosts }: { model: TreeModel; hosts: readonly HostView[] }) {
  const t = useT();
  const api = useApi();
  const selection = useUiStore((s) => s.selection);
  const collapsed = useUiStore((s) => s.collapsed);
  const containerRef = useRef<HTMLDivElement>(null);
  const modelRef = useRef(model);
  modelRef.current = model;
  const [range, setRange] = useState<VisibleRange>({ start: 0, end: 40 });
  // Scroll position and height as last reported by scroll events and the ResizeObserver: reading
  // them from the element after a re-render would force a synchronous layout of every row.
  const viewport = useRef({ top: 0, height: 0 });

  const measure = useCallback(() => {
    // Before the ResizeObserver's first report, ask the element once (mount only).
    if (viewport.current.height === 0 && containerRef.current) viewport.current.height = containerRef.current.clientHeight;
    const { top, height } = viewport.current;
    const next = visibleRange(modelRef.current.offsets, top, height - HEADER_HEIGHT, OVERSCAN);
    // Scrolling within the same rows changes nothing React needs to know about.
    setRange((r) => (r.start === next.start && r.end === next.end ? r : next));
  }, []);

  useLayoutEffect(measure, [model, measure]);
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (box) viewport.current.height = box.height;
      measure();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [measure]);
  const onScroll = useCallback(() => {
    viewport.current.top = containerRef.current?.scrollTop ?? 0;
    measure();
  }, [measure]);

  const { rowHandlers, onKeyDown, onContextMenu } = useTreeInteraction(api, containerRef, modelRef, mac);
  const hostsById = useMemo(() => new Map(hosts.map((h) => [h.config.id, h])), [hosts]);
  const selected = useMemo(() => new Set(selection.uuids), [selection.uuids]);

  const activeHost = selection.hostId;
  const activeShown = activeHost === null ? [] : (model.shown[activeHost] ?? []);
  const shownSelected = activeShown.reduce((n, d) => n + (selected.has(d.uuid) ? 1 : 0), 0);
  const allSelected = activeShown.length > 0 && shownSelected === activeShown.length;

  const onSelectAll = () => {
    if (activeHost === null) return;
    const s = useUiStore.getState().selection;
    setSelection(allSelected ? { ...s, uuids: [] } : selectAll(s, activeHost, activeShown.map((d) => d.uuid)));
  };

  const { start, end } = range;
  const rows = [];
  for (let i = start; i < Math.min(end, model.items.length); i++) {
    const item = model.items[i]!;
    if (item.kind === 'host') {
      const host = hostsById.get(item.hostId);
      if (host)
        rows.push(
          <HostGroup
            key={item.key}
            host={host}
            counts={model.counts[item.hostId]}
            collapsed={collapsed[item.hostId] === true}
            active={activeHost === item.hostId}
          />,
        );
    } else if (item.kind === 'note') {
      rows.push(<NoteRow key={item.key} hostId={item.hostId} note={item.note} />);
    } else {
      const mine = activeHost === item.hostId;
      rows.push(
        <DomainRow
          key={`vm-${i % ROW_POOL}`}
          hostId={item.hostId}
          domain={item.domain}
          selected={mine && selected.has(item.domain.uuid)}
          cursor={mine && selection.focus === item.domain.uuid}
          handlers={rowHandlers}
        />,
      );
    }
  }
  const cursorIndex = activeHost === null || selection.focus === null ? undefined : model.indexOf.get(vmKey(activeHost, selection.focus));
  const cursorRendered = cursorIndex !== undefined && cursorIndex >= start && cursorIndex < end;

  return (
    <div
      ref={containerRef}
      className="vm-tree"
      style={sizes}
      role="treegrid"
      aria-multiselectable="true"
      aria-label={t('domains.treeLabel')}
      aria-activedescendant={cursorRendered ? `vmrow-${activeHost}-${selection.focus}` : undefined}
      tabIndex={0}
      data-testid="vm-tree"
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      onContextMenu={onContextMenu}
    >
      <DomainListHeader
        allSelected={allSelected}
        someSelected={shownSelected > 0 && !allSelected}
        canSelect={activeShown.length > 0}
        onSelectAll={onSelectAll}
      />
      <div className="vm-tree-body" style={{ height: model.offsets[model.offsets.length - 1] }}>
        <div className="vm-tree-window" style={{ transform: `translateY(${model.offsets[start] ?? 0}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
