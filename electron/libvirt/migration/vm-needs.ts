/**
 * What a VM needs from the host it runs on, read from its domain XML (pure; unit-tested): the
 * files its kernel/initrd/disks name, the networks and bridges its NICs use, its CPU. The
 * pre-flight checks each on the destination.
 */
import { attr, child, elementChildren, parseXml, serializeXml, textAt } from '../../xml/dom';

export interface VmDisk {
  target: string;
  /** 'file' | 'block' | 'volume' | 'network'… as in <disk type=…>. */
  type: string;
  device: string;
  /** The file or block device (file/block disks). */
  path?: string;
  pool?: string;
  volume?: string;
  readonly: boolean;
}

export interface VmNeeds {
  name: string;
  uuid: string;
  kernel?: string;
  initrd?: string;
  disks: VmDisk[];
  networks: string[];
  bridges: string[];
  /** <cpu mode=…>, undefined when the XML has no <cpu> (QEMU's default model). */
  cpuMode?: string;
  /** The <cpu> element as XML, for hypervisor-cpu-compare. */
  cpuXml?: string;
  tpm: boolean;
  /** <domain type=…>: 'kvm', or 'qemu' (TCG, which emulates whatever CPU it is given). */
  virtType: string;
  arch?: string;
  machine?: string;
}

export function vmNeeds(xml: string): VmNeeds {
  const dom = parseXml(xml).documentElement!;
  const devices = child(dom, 'devices');
  const disks: VmDisk[] = elementChildren(devices, 'disk').flatMap((d) => {
    const src = child(d, 'source');
    const target = attr(child(d, 'target'), 'dev');
    if (!target) return [];
    const type = attr(d, 'type') ?? 'file';
    const p = type === 'block' ? attr(src, 'dev') : type === 'file' ? attr(src, 'file') : undefined;
    const disk: VmDisk = { target, type, device: attr(d, 'device') ?? 'disk', readonly: !!child(d, 'readonly') };
    if (p !== undefined) disk.path = p;
    if (type === 'volume') {
      const pool = attr(src, 'pool');
      const volume = attr(src, 'volume');
      if (pool !== undefined) disk.pool = pool;
      if (volume !== undefined) disk.volume = volume;
    }
    return [disk];
  });
  const nics = elementChildren(devices, 'interface');
  const sourceOf = (type: string, a: string) => nics.filter((n) => attr(n, 'type') === type).map((n) => attr(child(n, 'source'), a)).filter((v): v is string => !!v);
  const cpu = child(dom, 'cpu');
  const out: VmNeeds = {
    name: textAt(dom, 'name') ?? '',
    uuid: (textAt(dom, 'uuid') ?? '').trim(),
    disks,
    networks: [...new Set(sourceOf('network', 'network'))],
    bridges: [...new Set(sourceOf('bridge', 'bridge'))],
    virtType: attr(dom, 'type') ?? 'kvm',
    tpm: elementChildren(devices, 'tpm').some((t) => attr(child(t, 'backend'), 'type') === 'emulator'),
  };
  const kernel = textAt(dom, 'os/kernel');
  const initrd = textAt(dom, 'os/initrd');
  if (kernel) out.kernel = kernel.trim();
  if (initrd) out.initrd = initrd.trim();
  const osType = child(child(dom, 'os'), 'type');
  const arch = attr(osType, 'arch');
  const machine = attr(osType, 'machine');
  if (arch) out.arch = arch;
  if (machine) out.machine = machine;
  if (cpu) {
    out.cpuMode = attr(cpu, 'mode') ?? 'custom';
    out.cpuXml = serializeXml(cpu);
  }
  return out;
}

/**
 * The host UUID in `virsh capabilities` (<host><uuid>, lower case): libvirt refuses to migrate
 * between two hosts with the same one. Used by the live and the offline pre-flight.
 */
export function hostUuidOf(capabilitiesXml: string): string | null {
  return textAt(parseXml(capabilitiesXml).documentElement!, 'host/uuid')?.trim().toLowerCase() || null;
}
