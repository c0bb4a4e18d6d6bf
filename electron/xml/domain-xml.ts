/**
 * A libvirt domain definition held as a DOM: typed reads of what the details view shows, and
 * edits that touch only the elements and attributes they are about. Everything the model does
 * not know (metadata, qemu:commandline, new libvirt elements, comments) is kept as it was, so
 * `DomainXml.parse(x).toXml()` is C14N-identical to x — and byte-identical when libvirt wrote x.
 * Element names and meanings: https://libvirt.org/formatdomain.html
 */
import { AppError } from '../../shared/errors';
import type { DomainConfig } from '../../shared/model/details';
import { attr, child, elementChildren, intAttr, parseXml, path, serializeXml, text, yesNo, XmlSyntaxError, type Document, type Element } from './dom';
import { deviceIds, readDevice } from './read-devices';
import { toKiB } from './units';

/** libvirt's output order of <domain>'s children: new elements are put where libvirt would put them. */
export const DOMAIN_ORDER = [
  'name', 'uuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory', 'blkiotune', 'memtune',
  'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'cputune', 'numatune', 'resource', 'sysinfo', 'bootloader',
  'bootloader_args', 'os', 'idmap', 'features', 'cpu', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'pm',
  'perf', 'devices', 'seclabel', 'keywrap', 'launchSecurity',
] as const;
export const OS_ORDER = ['type', 'firmware', 'loader', 'nvram', 'kernel', 'initrd', 'cmdline', 'dtb', 'acpi', 'boot', 'bootmenu', 'smbios', 'bios'] as const;
export const DEVICE_ORDER = [
  'emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard', 'serial', 'parallel', 'console', 'channel',
  'input', 'tpm', 'graphics', 'sound', 'audio', 'video', 'hostdev', 'redirdev', 'redirfilter', 'hub', 'watchdog', 'memballoon',
  'rng', 'panic', 'shmem', 'memory', 'iommu', 'vsock', 'crypto', 'pstore',
] as const;

export class DomainXml {
  private constructor(
    readonly doc: Document,
    /** Whitespace after the root element (virsh ends with "\n\n"): not part of the DOM, kept for byte-identity. */
    private readonly trailer: string,
  ) {}

  /** Throws AppError('invalid_args') with the line for XML that is not well-formed or not a <domain>. */
  static parse(xml: string): DomainXml {
    let doc: Document;
    try {
      doc = parseXml(xml);
    } catch (e) {
      if (e instanceof XmlSyntaxError) throw new AppError('invalid_args', e.line ? `line ${e.line}: ${e.message}` : e.message);
      throw e;
    }
    if (doc.documentElement!.tagName !== 'domain') throw new AppError('invalid_args', `the root element is <${doc.documentElement!.tagName}>, not <domain>`);
    return new DomainXml(doc, /\s*$/.exec(xml)![0]);
  }

  get root(): Element {
    return this.doc.documentElement!;
  }

  toXml(): string {
    return serializeXml(this.doc).replace(/\s*$/, '') + this.trailer;
  }

  get name(): string {
    return text(child(this.root, 'name'))?.trim() ?? '';
  }

  get uuid(): string | undefined {
    return text(child(this.root, 'uuid'))?.trim().toLowerCase();
  }

  get devices(): Element | undefined {
    return child(this.root, 'devices');
  }

  /** The element a DeviceId ("disk[1]") names, or a not_found error naming it. */
  device(id: string): Element {
    const found = deviceIds(this.devices).find((d) => d.id === id);
    if (!found) throw new AppError('not_found', `no device ${id} in this VM's configuration`);
    return found.el;
  }

  read(): DomainConfig {
    const r = this.root;
    const mem = (tag: string, parent: Element | undefined = r) => {
      const el = child(parent, tag);
      return el ? toKiB(text(el), attr(el, 'unit')) : undefined;
    };
    const maxKiB = mem('memory') ?? 0;
    const memtune = child(r, 'memtune');
    const backing = child(r, 'memoryBacking');
    const vcpuEl = child(r, 'vcpu');
    const max = Number(text(vcpuEl)?.trim() || 1);
    const cpu = child(r, 'cpu');
    const topo = child(cpu, 'topology');
    const os = child(r, 'os');
    const typeEl = child(os, 'type');
    const loader = child(os, 'loader');
    const nvram = child(os, 'nvram');
    const bootmenu = child(os, 'bootmenu');
    const clock = child(r, 'clock');
    const config: DomainConfig = {
      type: attr(r, 'type') ?? '',
      name: this.name,
      uuid: this.uuid ?? '',
      ...defined({ title: text(child(r, 'title')), description: text(child(r, 'description')) }),
      memory: {
        maxKiB,
        currentKiB: mem('currentMemory') ?? maxKiB,
        ...defined({
          hotplugMaxKiB: mem('maxMemory'),
          hardLimitKiB: mem('hard_limit', memtune),
          softLimitKiB: mem('soft_limit', memtune),
          swapHardLimitKiB: mem('swap_hard_limit', memtune),
          minGuaranteeKiB: mem('min_guarantee', memtune),
        }),
        hugepages: !!child(backing, 'hugepages'),
        sharedAccess: attr(child(backing, 'access'), 'mode') === 'shared',
      },
      vcpu: { max, current: intAttr(vcpuEl, 'current') ?? max, ...defined({ placement: attr(vcpuEl, 'placement'), cpuset: attr(vcpuEl, 'cpuset') }) },
      cpu: {
        ...defined({ mode: attr(cpu, 'mode'), model: text(child(cpu, 'model'))?.trim() || undefined, match: attr(cpu, 'match') }),
        ...(topo
          ? { topology: { sockets: intAttr(topo, 'sockets') ?? 1, cores: intAttr(topo, 'cores') ?? 1, threads: intAttr(topo, 'threads') ?? 1, ...defined({ dies: intAttr(topo, 'dies') }) } }
          : {}),
        features: cpu ? elementChildren(cpu, 'feature').map((f) => ({ name: attr(f, 'name') ?? '', ...defined({ policy: attr(f, 'policy') }) })) : [],
      },
      os: {
        ...defined({
          type: text(typeEl)?.trim(),
          arch: attr(typeEl, 'arch'),
          machine: attr(typeEl, 'machine'),
          firmware: attr(os, 'firmware') ?? (loader ? (attr(loader, 'type') === 'pflash' || /OVMF|AAVMF|edk2/i.test(text(loader) ?? '') ? 'efi' : 'bios') : undefined),
          kernel: text(child(os, 'kernel'))?.trim(),
          initrd: text(child(os, 'initrd'))?.trim(),
          cmdline: text(child(os, 'cmdline')),
          dtb: text(child(os, 'dtb'))?.trim(),
          bootMenuTimeoutMs: intAttr(bootmenu, 'timeout'),
        }),
        ...(loader ? { loader: defined({ path: text(loader)?.trim() || undefined, readonly: yesNo(loader, 'readonly'), type: attr(loader, 'type'), secure: yesNo(loader, 'secure') }) } : {}),
        ...(nvram ? { nvram: defined({ path: text(nvram)?.trim() || undefined, template: attr(nvram, 'template') }) } : {}),
        bootDevs: os ? elementChildren(os, 'boot').map((b) => attr(b, 'dev') ?? '') : [],
        bootMenu: attr(bootmenu, 'enable') === 'yes',
      },
      features: elementChildren(child(r, 'features') ?? this.doc.createElement('features')).map((f) => f.tagName),
      clock: {
        ...defined({ offset: attr(clock, 'offset') }),
        timers: clock ? elementChildren(clock, 'timer').map((t) => ({ name: attr(t, 'name') ?? '', ...defined({ present: yesNo(t, 'present'), tickpolicy: attr(t, 'tickpolicy') }) })) : [],
      },
      events: defined({
        onPoweroff: text(child(r, 'on_poweroff'))?.trim(),
        onReboot: text(child(r, 'on_reboot'))?.trim(),
        onCrash: text(child(r, 'on_crash'))?.trim(),
        onLockfailure: text(child(r, 'on_lockfailure'))?.trim(),
      }),
      ...defined({ emulator: text(path(r, 'devices/emulator'))?.trim() }),
      devices: deviceIds(this.devices).map(({ id, el }) => readDevice(el, id)),
    };
    return config;
  }
}

/** Drops undefined values so optional fields are absent, as zod's output types expect. */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
