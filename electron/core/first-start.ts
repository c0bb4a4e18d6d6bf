import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { ConnectionConfig } from '../../shared/model/host';

/** Whether virsh is on this computer's PATH (decides whether local URIs are offered). */
export async function hasLocalVirsh(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const names = process.platform === 'win32' ? ['virsh.exe', 'virsh.cmd'] : ['virsh'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      try {
        await access(join(dir, n), constants.X_OK);
        return true;
      } catch {
        // keep looking
      }
    }
  }
  return false;
}

/**
 * A new user should see VMs at once: the local system hypervisor when virsh is here, and a
 * demo host on libvirt's test driver (needs no daemon), connected automatically.
 */
export async function firstStartConnections(): Promise<ConnectionConfig[]> {
  const list: ConnectionConfig[] = [];
  if (await hasLocalVirsh()) {
    list.push({ id: 'local-system', name: 'QEMU/KVM (this computer)', uri: 'qemu:///system', autoconnect: false });
    list.push({ id: 'demo', name: 'Demo host', uri: 'test:///default', autoconnect: true });
  }
  return list;
}
