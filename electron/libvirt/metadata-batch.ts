/**
 * One application namespace of every VM's <metadata>, read in bulk. libvirt has no call for many
 * VMs at once (https://libvirt.org/manpages/virsh.html#metadata), and `metadata` fails for a VM
 * without that namespace, so asking per VM costs a round trip and a failed command each. Used
 * by the New VM install phases and the template list, which both scan every VM of a host.
 */
import type { HostConnection } from '../hosts/host-connection';
import { virshCommandLine } from '../virsh/quote';
import { tryVirsh } from './new-vm/media';

export interface VmMetadata {
  uuid: string;
  name: string;
  /** What `virsh metadata --uri NS --config` printed: the application's element. */
  metadata: string;
}

/** The VMs among `uuids` that have an element under `ns` in their persistent definition. */
export async function metadataOfAll(host: HostConnection, uuids: readonly string[], ns: string): Promise<VmMetadata[]> {
  return host.uri.driver === 'test' ? perVm(host, uuids, ns) : oneProcess(host, uuids, ns);
}

/**
 * One virsh process per 100 VMs runs a command string (virsh's own `cmd ; cmd` syntax, each
 * argument quoted by quoteVirshArg): name and metadata of every VM after a marker. One channel
 * and one activity entry per batch (virsh goes on after a failing command). virsh's echo ends
 * without a newline: the UUID is 36 chars.
 */
async function oneProcess(host: HostConnection, uuids: readonly string[], ns: string): Promise<VmMetadata[]> {
  const out: VmMetadata[] = [];
  for (let i = 0; i < uuids.length; i += 100) {
    const batch = uuids.slice(i, i + 100);
    const commands = batch.flatMap((u) => [['echo', `${MARK}${u}`], ['domname', '--domain', u], ['metadata', '--domain', u, '--uri', ns, '--config']]);
    const r = await host.run(['virsh', '-q', commands.map((a) => virshCommandLine(a)).join(' ; ')], { allowFailure: true, job: true, timeoutMs: 120_000 });
    for (const block of r.stdout.split(MARK).slice(1)) {
      const uuid = block.slice(0, 36);
      const [name = '', ...rest] = block.slice(36).replace(/^\n/, '').split('\n');
      const metadata = rest.join('\n').trim();
      if (metadata.includes('<') && batch.includes(uuid)) out.push({ uuid, name, metadata });
    }
  }
  return out;
}
const MARK = '@@virtdeck-metadata@@';

/** The test driver keeps its VMs inside the session's virsh: asked there, one VM at a time. */
async function perVm(host: HostConnection, uuids: readonly string[], ns: string): Promise<VmMetadata[]> {
  const found = await Promise.all(
    uuids.map(async (uuid): Promise<VmMetadata | null> => {
      const r = await tryVirsh(host, ['metadata', '--domain', uuid, '--uri', ns, '--config']);
      if (!r.ok || !r.stdout.includes('<')) return null;
      const name = await tryVirsh(host, ['domname', '--domain', uuid]);
      return { uuid, name: name.ok ? name.stdout.trim() : uuid, metadata: r.stdout.trim() };
    }),
  );
  return found.filter((v): v is VmMetadata => v !== null);
}
