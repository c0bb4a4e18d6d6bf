/**
 * Is this host ready to run VMs? Virtdeck's own checks from one probe command
 * (readiness-probe.ts) and `virsh domcapabilities` (https://libvirt.org/formatdomaincaps.html),
 * with `virt-host-validate qemu`'s verdicts beside them when it is installed. All read-only,
 * all three at once.
 */
import type { Readiness, ReadinessCheck, ReadinessId } from '../../shared/model/hostinfo';
import type { HostConnection } from '../hosts/host-connection';
import type { Element } from '@xmldom/xmldom';
import { attr, child, elementChildren, parseXml, path, text } from '../xml/dom';
import { parseProbe, PROBE_SCRIPT, type DomCaps, type ProbeFindings } from './readiness-probe';
import { parseHostValidate } from './validate-parse';

export function parseDomCaps(xml: string): DomCaps {
  const root = parseXml(xml).documentElement!;
  const os = child(root, 'os');
  const values = (el: Element | undefined, name: string) =>
    elementChildren(el, 'enum').filter((e) => attr(e, 'name') === name).flatMap((e) => elementChildren(e, 'value').map((v) => text(v)?.trim() ?? ''));
  const loader = child(os, 'loader');
  const tpm = path(root, 'devices/tpm');
  return {
    domainType: text(child(root, 'domain'))?.trim() ?? null,
    efi: values(os, 'firmware').includes('efi') || elementChildren(loader, 'value').length > 0,
    loaders: elementChildren(loader, 'value').map((v) => text(v)?.trim() ?? ''),
    secureBoot: values(loader, 'secure').includes('yes'),
    tpmEmulator: attr(tpm, 'supported') === 'yes' && values(tpm, 'backendModel').includes('emulator'),
  };
}

/** Controllers libvirt's QEMU driver places guests in (v1 names; v2 has io for blkio, devices by BPF). */
const CGROUPS_V1 = ['cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'blkio'];
const CGROUPS_V2 = ['cpu', 'cpuset', 'memory', 'io'];

/** The checklist from what the probe and domcapabilities found. `system`: a qemu:///system-like URI. */
export function evaluate(p: ProbeFindings, caps: DomCaps, system: boolean): ReadinessCheck[] {
  const c = (id: ReadinessId, verdict: ReadinessCheck['verdict'], detail: string, reason: string | null = null): ReadinessCheck => ({ id, verdict, detail, reason });
  const hw = p.flags.has('vmx') ? 'vmx' : p.flags.has('svm') ? 'svm' : null;
  const checks: ReadinessCheck[] = [];
  checks.push(hw ? c('cpu-virt', 'pass', `/proc/cpuinfo: ${hw}`) : c('cpu-virt', 'fail', '/proc/cpuinfo: neither vmx nor svm', 'noHwVirt'));
  checks.push(p.flags.has('lm') ? c('cpu-64bit', 'pass', '/proc/cpuinfo: lm') : c('cpu-64bit', 'fail', '/proc/cpuinfo: no lm flag', 'no64bit'));

  const mods = p.modules.length ? `modules: ${p.modules.join(', ')}` : 'no kvm module loaded';
  if (!p.kvm.exists) checks.push(c('kvm', 'fail', `/dev/kvm is missing; ${mods}`, 'noDevKvm'));
  else if (system && caps.domainType !== 'kvm') checks.push(c('kvm', 'fail', `libvirt offers ${caps.domainType ?? 'no'} domains, not kvm; ${mods}`, 'kvmNotForLibvirt'));
  else if (!system && !p.kvm.usable) checks.push(c('kvm', 'fail', `/dev/kvm exists but this user cannot open it; ${mods}`, 'kvmNoAccess'));
  // A /dev/kvm without vmx/svm comes from a software KVM (e.g. the kvm_pvm module): it works with limits.
  else if (!hw) checks.push(c('kvm', 'warn', `${system ? 'libvirt offers kvm domains' : '/dev/kvm is usable'}, but the CPU shows no vmx/svm; ${mods}`, 'kvmWithoutHw'));
  else checks.push(c('kvm', 'pass', `${system ? 'libvirt offers kvm domains' : '/dev/kvm is usable'}; ${mods}`));

  const nested = [...p.nested.entries()];
  if (nested.length === 0) checks.push(c('nested', 'warn', 'no kvm_intel or kvm_amd module', 'nestedNoModule'));
  else {
    const on = nested.filter(([, v]) => v === 'Y' || v === '1');
    const detail = nested.map(([m, v]) => `${m} nested=${v}`).join(', ');
    checks.push(on.length ? c('nested', 'pass', detail) : c('nested', 'warn', detail, 'nestedOff'));
  }

  const tables = p.acpiIommuTables.length ? `ACPI ${p.acpiIommuTables.join(', ')}` : 'no ACPI DMAR/IVRS table';
  const iommuDetail = `${tables}; ${p.iommuGroups} IOMMU groups`;
  if (p.iommuGroups > 0) checks.push(c('iommu', 'pass', iommuDetail));
  else checks.push(c('iommu', 'warn', iommuDetail, p.acpiIommuTables.length ? 'iommuCmdline' : 'iommuFirmware'));

  checks.push(p.devices.has('/dev/vhost-net') ? c('vhost-net', 'pass', '/dev/vhost-net') : c('vhost-net', 'warn', '/dev/vhost-net is missing', 'vhostNet'));
  checks.push(p.devices.has('/dev/net/tun') ? c('tun', 'pass', '/dev/net/tun') : c('tun', 'fail', '/dev/net/tun is missing', 'tun'));

  const want = p.cgroups.v2 ? CGROUPS_V2 : CGROUPS_V1;
  const missing = want.filter((x) => !p.cgroups.enabled.has(x));
  const cgDetail = `cgroup ${p.cgroups.v2 ? 'v2' : 'v1'}: ${want.filter((x) => p.cgroups.enabled.has(x)).join(', ') || 'none'}${missing.length ? `; missing ${missing.join(', ')}` : ''}`;
  checks.push(missing.length ? c('cgroups', 'warn', cgDetail, 'cgroups') : c('cgroups', 'pass', cgDetail));

  checks.push(caps.efi ? c('uefi', 'pass', caps.loaders.join(', ') || 'efi firmware') : c('uefi', 'warn', 'domcapabilities lists no UEFI firmware', 'uefi'));
  checks.push(caps.secureBoot ? c('secure-boot', 'pass', 'a secure-boot loader is available') : c('secure-boot', 'warn', 'domcapabilities: loader secure=no only', 'secureBoot'));
  checks.push(caps.tpmEmulator ? c('tpm', 'pass', 'TPM backend emulator (swtpm)') : c('tpm', 'warn', 'no TPM emulator backend in domcapabilities', 'tpm'));

  const { total, sizeKiB, thp } = p.hugepages;
  const hpDetail = `${total} reserved × ${sizeKiB} KiB; transparent hugepages: ${thp ?? 'unknown'}`;
  checks.push(total > 0 || (thp !== null && thp !== 'never') ? c('hugepages', 'pass', hpDetail) : c('hugepages', 'warn', hpDetail, 'hugepages'));
  checks.push(p.ksmRun === '1' ? c('ksm', 'pass', 'KSM is merging pages') : c('ksm', 'warn', p.ksmRun === null ? 'no KSM in this kernel' : `KSM run=${p.ksmRun}`, 'ksm'));
  return checks;
}

export async function hostReadiness(host: HostConnection): Promise<Readiness> {
  const t0 = Date.now();
  const [probe, caps, validate] = await Promise.all([
    host.run(['sh', '-c', PROBE_SCRIPT]),
    host.run(['virsh', 'domcapabilities']),
    // Exit 1 means some check failed; 127 means it is not installed.
    host.run(['virt-host-validate', 'qemu'], { allowFailure: true }),
  ]);
  const system = host.uri.path === '/system';
  return {
    checks: evaluate(parseProbe(probe.stdout), parseDomCaps(caps.stdout), system),
    validate: validate.code === 127 ? null : parseHostValidate(validate.stdout + validate.stderr),
    tookMs: Date.now() - t0,
  };
}
