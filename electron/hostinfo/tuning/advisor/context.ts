/**
 * The facts the advisor's rules read, gathered once per run: the host's CPUs
 * (`virsh capabilities`), free huge pages (`virsh freepages --all`), KSM's state
 * (/sys/kernel/mm/ksm/run), and per VM its persistent definition, its OS (the libosinfo
 * metadata virt-install and virt-manager write, resolved by the wizard's OS-defaults module)
 * and, only where a rule needs it, its snapshot count.
 */
import type { Domain } from '../../../../shared/model/domain';
import type { HostConnection } from '../../../hosts/host-connection';
import type { OsCatalogues } from '../../../libvirt/new-vm/os-data';
import { readOnHost } from '../../../libvirt/new-vm/media';
import { attr, child, elementChildren, parseXml } from '../../../xml/dom';
import { splitLines } from '../../../virsh/parse/lines';
import { parseTopology } from '../cpu-map';
import type { HostFacts, VmFacts } from './types';

/** The osinfo id in <metadata><libosinfo:libosinfo><libosinfo:os id=…/> (any prefix), or null. Pure. */
export function osinfoIdOf(xml: string): string | null {
  const root = parseXml(xml).documentElement!;
  for (const meta of elementChildren(child(root, 'metadata'))) {
    if (meta.namespaceURI !== 'http://libosinfo.org/xmlns/libvirt/domain/1.0' && meta.localName !== 'libosinfo') continue;
    const os = elementChildren(meta).find((e) => e.localName === 'os');
    const id = attr(os, 'id');
    if (id) return id;
  }
  return null;
}

/** `virsh freepages --all`: "Node 0:" blocks of "2048KiB: 12" lines, summed per size. Pure. */
export function parseFreepages(out: string): Map<number, number> {
  const free = new Map<number, number>();
  for (const line of splitLines(out)) {
    const m = /^\s*(\d+)KiB:\s*(\d+)\s*$/.exec(line);
    if (m) free.set(Number(m[1]), (free.get(Number(m[1])) ?? 0) + Number(m[2]));
  }
  return free;
}

/** "http://debian.org/debian/12" → "debian12": the short-id osinfo uses for most ids; the db is asked first. */
export function shortIdGuess(osinfoId: string): string | null {
  const m = /^https?:\/\/[^/]+\/(.+)$/.exec(osinfoId);
  if (!m) return null;
  const parts = m[1]!.split('/').filter(Boolean);
  const last = parts[parts.length - 1] ?? '';
  const prev = parts[parts.length - 2] ?? '';
  return /^[\d.]+$/.test(last) || last === 'unknown' ? `${prev}${last}` : last;
}

const running = (d: Domain) => d.state !== 'shutoff' && d.state !== 'crashed';

export async function hostFacts(host: HostConnection, domains: readonly Domain[]): Promise<HostFacts> {
  const [caps, pages, ksm] = await Promise.all([
    host.run(['virsh', 'capabilities']),
    host.run(['virsh', 'freepages', '--all'], { allowFailure: true }),
    // libvirt's test driver simulates a host: this machine's KSM file says nothing about it.
    host.uri.driver === 'test' ? Promise.resolve({ code: 1, stdout: '', stderr: '' }) : readOnHost(host, ['cat', '/sys/kernel/mm/ksm/run']),
  ]);
  const ksmRun = ksm.code === 0 && /^\d+$/.test(ksm.stdout.trim()) ? Number(ksm.stdout.trim()) : null;
  return {
    cpus: parseTopology(caps.stdout).hostCpus,
    ksmRun,
    freePages: pages.code === 0 ? parseFreepages(pages.stdout) : new Map(),
    running: domains.filter(running).map((d) => ({ name: d.name, vcpus: d.vcpus ?? 0 })),
  };
}

export type OsResolver = (osinfoId: string) => Promise<{ os: VmFacts['os']; note: string | null }>;

/**
 * The OS of an osinfo id through the wizard's OS-defaults module, once per id per run (each
 * catalogue lookup asks the host for the db's VERSION).
 */
export function osResolver(host: HostConnection, catalogues: OsCatalogues): OsResolver {
  const memo = new Map<string, ReturnType<OsResolver>>();
  return (osinfoId) => {
    let p = memo.get(osinfoId);
    if (!p) {
      p = (async () => {
        const cat = await catalogues.catalogue(host);
        const short = cat.byId.get(osinfoId)?.shortIds[0] ?? shortIdGuess(osinfoId);
        if (!short) return { os: null, note: null };
        const r = await catalogues.resolve(host, short);
        return { os: r.defaults, note: r.note };
      })();
      memo.set(osinfoId, p);
    }
    return p;
  };
}

/** One VM's facts; null when it vanished meanwhile. */
export async function vmFacts(host: HostConnection, resolveOs: OsResolver, d: Pick<Domain, 'uuid' | 'name' | 'state'>): Promise<VmFacts | null> {
  const dump = await host.run(['virsh', 'dumpxml', '--inactive', '--domain', d.uuid], { allowFailure: true });
  if (dump.code !== 0) return null;
  const xml = dump.stdout;
  const osId = osinfoIdOf(xml);
  const { os, note: osNote } = osId ? await resolveOs(osId) : { os: null, note: null };
  // Only VMs with a raw disk need the count (raw-snapshots rule): one query less per VM otherwise.
  let snapshots: number | null = null;
  if (/type=['"]raw['"]/.test(xml)) {
    const list = await host.run(['virsh', 'snapshot-list', '--domain', d.uuid, '--name'], { allowFailure: true });
    snapshots = list.code === 0 ? splitLines(list.stdout).filter((l) => l.trim() !== '').length : null;
  }
  return { uuid: d.uuid, name: d.name, running: running(d as Domain), xml, os, osId, osNote, snapshots };
}
