/**
 * "Migrate…" from the context menu, and dragging VMs onto another host's row: both open the
 * Migrate dialog. The drag carries the source host and the VMs (the selection when the dragged
 * row is part of it) under a type of our own, so other drops ignore it.
 */
import type { DragEvent } from 'react';
import type { Domain } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { openDomainDialog, type VmRef } from '../../stores/ui';

export const VM_DRAG_TYPE = 'application/x-virtdeck-vms';

interface Dragged {
  hostId: HostId;
  vms: VmRef[];
  running: boolean;
}

export function openMigrate(hostId: HostId, vms: readonly Pick<Domain, 'uuid' | 'name' | 'state'>[], destHostId?: HostId) {
  if (vms.length === 0) return;
  openDomainDialog({
    kind: 'migrate',
    hostId,
    vms: vms.map(({ uuid, name }) => ({ uuid, name })),
    running: vms.some((v) => v.state === 'running' || v.state === 'paused'),
    ...(destHostId ? { destHostId } : {}),
  });
}

export function startVmDrag(e: DragEvent, hostId: HostId, vms: readonly Pick<Domain, 'uuid' | 'name' | 'state'>[]) {
  const data: Dragged = { hostId, vms: vms.map(({ uuid, name }) => ({ uuid, name })), running: vms.some((v) => v.state === 'running' || v.state === 'paused') };
  e.dataTransfer.setData(VM_DRAG_TYPE, JSON.stringify(data));
  e.dataTransfer.effectAllowed = 'move';
}

/** On a host row: accepts VMs of another host. */
export function acceptsVmDrop(e: DragEvent): boolean {
  return e.dataTransfer.types.includes(VM_DRAG_TYPE);
}

export function dropVms(e: DragEvent, destHostId: HostId) {
  const raw = e.dataTransfer.getData(VM_DRAG_TYPE);
  if (!raw) return;
  e.preventDefault();
  const d = JSON.parse(raw) as Dragged;
  if (d.hostId === destHostId || !Array.isArray(d.vms)) return;
  openDomainDialog({ kind: 'migrate', hostId: d.hostId, vms: d.vms, running: d.running, destHostId });
}
