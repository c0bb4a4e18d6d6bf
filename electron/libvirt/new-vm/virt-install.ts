/**
 * The `virt-install` command line equivalent to the wizard's choices, so users can learn and
 * script from it. Option syntax: https://github.com/virt-manager/virt-manager/blob/main/man/virt-install.rst
 * (comma-separated sub-options; a comma inside a value is written as two commas).
 */
import { joinForPosixShell } from '../../../shared/posix-shell';
import type { NewVmSpec } from '../../../shared/model/newvm';
import { cdromBusFor, diskBusFor, nicModelFor, type BuildInput, type DiskSource } from './domain-build';

const v = (s: string | number) => String(s).replace(/,/g, ',,');
const GiB = 1024 ** 3;

function diskArg(src: DiskSource, extra: string[]): string {
  const where = 'file' in src ? `path=${v(src.file)}` : `vol=${v(src.pool)}/${v(src.volume)}`;
  return [where, ...extra].join(',');
}

/** argv of the equivalent virt-install (≥ 4.0) run; `uri` is the connection's libvirt URI. */
export function virtInstallArgv(uri: string, spec: NewVmSpec, b: BuildInput, osinfoId: string | null): string[] {
  const a = ['virt-install', '--connect', uri, '--name', spec.name, '--uuid', b.uuid];
  a.push('--memory', String(b.memoryMiB), '--vcpus', b.cpuset ? `${b.vcpus},cpuset=${b.cpuset}` : String(b.vcpus));
  // An id this host's osinfo-db lacks would make virt-install fail: the generic entry then.
  a.push('--osinfo', osinfoId ?? 'detect=on,require=off');
  a.push('--virt-type', b.domainType, '--machine', b.machine);
  if (b.cpuMode) a.push('--cpu', b.cpuMode);
  if (b.firmware === 'efi') a.push('--boot', b.secureBoot ? 'uefi,firmware.feature0.name=secure-boot,firmware.feature0.enabled=yes,firmware.feature1.name=enrolled-keys,firmware.feature1.enabled=yes' : 'uefi,firmware.feature0.name=secure-boot,firmware.feature0.enabled=no');
  const src = spec.source;
  if (src.kind === 'iso' && b.cdrom) a.push('--disk', diskArg(b.cdrom.source, ['device=cdrom', `bus=${cdromBusFor(b)}`]));
  if (src.kind === 'kernel' && b.kernel) {
    const parts = [`kernel=${v(b.kernel.kernel)}`];
    if (b.kernel.initrd) parts.push(`initrd=${v(b.kernel.initrd)}`);
    if (b.kernel.cmdline) parts.push(`kernel_args=${v(b.kernel.cmdline)}`);
    a.push('--install', parts.join(','));
  }
  // Cloud images: virt-install makes the seed itself from files the user saves from the plan's seed view.
  if (src.kind === 'cloud') a.push('--import', '--cloud-init', `user-data=user-data,meta-data=meta-data${src.cloudInit.networkConfig ? ',network-config=network-config' : ''}`);
  if (src.kind === 'tree') a.push('--location', src.url, ...(src.cmdline ? ['--extra-args', src.cmdline] : []));
  if (src.kind === 'pxe') a.push('--pxe');
  if (src.kind === 'import' || src.kind === 'manual') a.push(src.kind === 'import' ? '--import' : '--boot', ...(src.kind === 'manual' ? ['hd'] : []));
  const st = spec.storage;
  if (b.disk) {
    const bus = `bus=${diskBusFor(b)}`;
    if (st.kind === 'new' && src.kind !== 'import') {
      const size = st.sizeBytes / GiB;
      a.push('--disk', diskArg(b.disk.source, [`size=${Number(size.toFixed(3))}`, `format=${st.format}`, bus, ...(st.preallocation === 'full' ? ['sparse=no'] : [])]));
    } else a.push('--disk', diskArg(b.disk.source, [`format=${b.disk.format}`, bus]));
  } else if (src.kind !== 'iso') a.push('--disk', 'none');
  const n = spec.network;
  const model = `model=${nicModelFor(b)}`;
  const mac = n.kind !== 'none' && n.mac ? [`mac=${n.mac.toLowerCase()}`] : [];
  if (n.kind === 'network') a.push('--network', [`network=${v(n.network)}`, model, ...mac].join(','));
  else if (n.kind === 'bridge') a.push('--network', [`bridge=${n.bridge}`, model, ...mac].join(','));
  else if (n.kind === 'direct') a.push('--network', [`type=direct,source=${n.dev},source.mode=${n.mode}`, model, ...mac].join(','));
  else if (n.kind === 'user') a.push('--network', ['user', model, ...mac].join(','));
  else a.push('--network', 'none');
  a.push('--graphics', 'vnc,listen=127.0.0.1', '--serial', 'pty', '--console', 'pty,target.type=serial', '--video', b.os.video === 'virtio' ? 'virtio' : b.os.video);
  if (b.os.virtioRng) a.push('--rng', '/dev/urandom');
  if (!b.os.balloon) a.push('--memballoon', 'none');
  if (b.tpm) a.push('--tpm', 'emulator');
  if (b.os.windows) a.push('--features', 'hyperv.relaxed.state=on,hyperv.vapic.state=on', '--clock', 'offset=localtime,hypervclock_present=yes');
  if (spec.autostart) a.push('--autostart');
  a.push('--noautoconsole');
  return a;
}

export const virtInstallLine = (uri: string, spec: NewVmSpec, b: BuildInput, osinfoId: string | null) => joinForPosixShell(virtInstallArgv(uri, spec, b, osinfoId));
