/**
 * Mouse and keyboard behaviour of the VM tree, kept out of the rendering component. Handlers
 * are stable (they read the latest model through a ref), so memoised rows never re-render just
 * because the tree did.
 */
import { useMemo, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import type { Api } from '../../../../shared/contract';
import type { Domain } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { scrollToReveal } from '../../lib/virtual-range';
import { emptyHostDomains, useDomainsStore } from '../../stores/domains';
import { openContextMenu, openHostPage, setSelection, useUiStore } from '../../stores/ui';
import { openDetails } from '../details';
import { requestCommand } from './commands';
import { commandTargets } from './domain-actions';
import type { RowHandlers } from './DomainRow';
import { clickModeOf, clickSelect, emptySelection, moveSelect, selectAll } from './selection';
import { shortcutFor, type ListCommand } from './shortcuts';
import { HEADER_HEIGHT, ROW_HEIGHT, selectedShown, vmKey, type TreeModel } from './tree-model';

const order = (model: TreeModel, hostId: HostId) => (model.shown[hostId] ?? []).map((d) => d.uuid);

/** Key events from inside a dialog or a text field bubble up through React too; they are not for the list. */
function isForList(e: KeyboardEvent | MouseEvent): boolean {
  const target = e.target as HTMLElement;
  if (target.closest('dialog')) return false;
  return target === e.currentTarget || (target instanceof HTMLInputElement && target.type === 'checkbox');
}

export function useTreeInteraction(
  api: Api,
  containerRef: RefObject<HTMLDivElement | null>,
  modelRef: RefObject<TreeModel>,
  mac: boolean,
) {
  return useMemo(() => {
    const sel = () => useUiStore.getState().selection;

    /** Brings the keyboard cursor into view; the virtualizer then renders it. */
    const reveal = (hostId: HostId, uuid: string | null) => {
      const el = containerRef.current;
      const index = uuid === null ? undefined : modelRef.current.indexOf.get(vmKey(hostId, uuid));
      if (!el || index === undefined) return;
      const top = scrollToReveal(modelRef.current.offsets, index, el.scrollTop, el.clientHeight - HEADER_HEIGHT);
      if (top !== null) el.scrollTop = top;
    };

    const run = (cmd: ListCommand) => {
      const model = modelRef.current;
      const s = sel();
      // The keys work on the active host, or (when it shows no VMs) on the first host that does.
      const shows = (h: HostId | null) => h !== null && (model.shown[h]?.length ?? 0) > 0;
      const hostId = shows(s.hostId) ? s.hostId : (Object.keys(model.shown).find(shows) ?? s.hostId);
      if (hostId === null) return;
      switch (cmd.kind) {
        case 'selectAll':
          return setSelection(selectAll(s, hostId, order(model, hostId)));
        case 'clear':
          return setSelection({ ...emptySelection, hostId });
        case 'open': {
          const focus = s.hostId === hostId ? (s.focus ?? s.uuids[0]) : undefined;
          // Enter on a VM opens its details; with no VM selected, the active host's page.
          if (focus) openDetails({ hostId, uuid: focus });
          else if (s.hostId !== null) openHostPage(s.hostId);
          return;
        }
        case 'move': {
          const page = Math.max(1, Math.floor(((containerRef.current?.clientHeight ?? 0) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
          const delta = cmd.by === 'line' ? cmd.dir : cmd.by === 'page' ? cmd.dir * page : cmd.dir * Infinity;
          const next = moveSelect(s, hostId, order(model, hostId), delta, cmd.extend);
          setSelection(next);
          return reveal(hostId, next.focus);
        }
        case 'command': {
          const pending = (useDomainsStore.getState().byHost[hostId] ?? emptyHostDomains).pending;
          const targets = commandTargets(cmd.command, selectedShown(model, s.hostId, s.uuids), pending);
          if (targets.length > 0 || cmd.command === 'restorefile') requestCommand(api, hostId, cmd.command, targets);
        }
      }
    };

    const rowHandlers: RowHandlers = {
      onClick(hostId: HostId, d: Domain, e: MouseEvent) {
        setSelection(clickSelect(sel(), hostId, d.uuid, clickModeOf(e), order(modelRef.current, hostId)));
      },
      onToggle(hostId: HostId, d: Domain) {
        setSelection(clickSelect(sel(), hostId, d.uuid, 'toggle', order(modelRef.current, hostId)));
      },
      onContextMenu(hostId: HostId, d: Domain, e: MouseEvent) {
        e.preventDefault();
        const s = sel();
        // Right-clicking outside the selection selects that VM, as file managers do.
        if (!(s.hostId === hostId && s.uuids.includes(d.uuid))) setSelection(clickSelect(s, hostId, d.uuid, 'single', []));
        openContextMenu({ hostId, x: e.clientX, y: e.clientY });
      },
      onOpen(hostId: HostId, d: Domain) {
        openDetails({ hostId, uuid: d.uuid });
      },
    };

    const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
      if (!isForList(e)) return;
      const cmd = shortcutFor(e, mac);
      if (!cmd) return;
      e.preventDefault();
      run(cmd);
    };

    /** The menu key / Shift+F10 on the list itself: open the menu at the cursor row. */
    const onContextMenu = (e: MouseEvent<HTMLDivElement>) => {
      if (!isForList(e)) return;
      e.preventDefault();
      const s = sel();
      if (s.hostId === null || s.uuids.length === 0) return;
      const row = s.focus === null ? null : document.getElementById(`vmrow-${s.hostId}-${s.focus}`);
      const box = (row ?? e.currentTarget).getBoundingClientRect();
      openContextMenu({ hostId: s.hostId, x: box.left + 40, y: box.top + (row ? box.height : HEADER_HEIGHT) });
    };

    return { rowHandlers, onKeyDown, onContextMenu };
  }, [api, containerRef, modelRef, mac]);
}
