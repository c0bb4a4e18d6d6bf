/**
 * The Readiness tab's verdicts. Fixtures from the Debian 12 test machine (libvirt 9.0, QEMU 7.2):
 * the probe script's output (readiness-probe.txt), `virsh -c qemu:///system domcapabilities`
 * and `virt-host-validate qemu`. That machine's CPU shows no vmx/svm, yet a software KVM
 * (kvm_pvm) provides /dev/kvm.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, parseDomCaps } from './readiness';
import { parseProbe } from './readiness-probe';
import { parseHostValidate } from './validate-parse';

const fx = (f: string) => readFileSync(join(__dirname, 'fixtures', f), 'utf8');
const probe = fx('readiness-probe.txt');
const caps = parseDomCaps(fx('domcapabilities.xml'));
const verdicts = (checks: ReturnType<typeof evaluate>) => Object.fromEntries(checks.map((c) => [c.id, c.verdict]));

describe('host readiness', () => {
  it('reads UEFI, Secure Boot and the TPM emulator from domcapabilities', () => {
    expect(caps).toEqual({ domainType: 'kvm', efi: true, loaders: ['/usr/share/OVMF/OVMF_CODE_4M.fd'], secureBoot: false, tpmEmulator: true });
  });

  it('gives the test machine its verdicts: no vmx/svm is a FAIL, the software KVM a WARN', () => {
    const checks = evaluate(parseProbe(probe), caps, true);
    expect(verdicts(checks)).toEqual({
      'cpu-virt': 'fail',
      'cpu-64bit': 'pass',
      kvm: 'warn',
      nested: 'warn',
      iommu: 'warn',
      'vhost-net': 'warn',
      tun: 'pass',
      cgroups: 'pass',
      uefi: 'pass',
      'secure-boot': 'warn',
      tpm: 'pass',
      hugepages: 'pass',
      ksm: 'warn',
    });
    expect(checks.find((c) => c.id === 'kvm')).toMatchObject({ reason: 'kvmWithoutHw', detail: expect.stringContaining('kvm_pvm') });
    expect(checks.find((c) => c.id === 'iommu')).toMatchObject({ reason: 'iommuFirmware', detail: 'no ACPI DMAR/IVRS table; 0 IOMMU groups' });
    expect(checks.find((c) => c.id === 'cgroups')?.detail).toBe('cgroup v1: cpu, cpuacct, cpuset, memory, devices, blkio');
  });

  it('fails KVM with its explanation when /dev/kvm is missing, and when libvirt does not offer kvm', () => {
    const noKvm = parseProbe(probe.replace('exists\nusable\n', '').replace('kvm\nkvm_pvm\n', ''));
    expect(evaluate(noKvm, { ...caps, domainType: 'qemu' }, true).find((c) => c.id === 'kvm')).toEqual({
      id: 'kvm',
      verdict: 'fail',
      detail: '/dev/kvm is missing; no kvm module loaded',
      reason: 'noDevKvm',
    });
    expect(evaluate(parseProbe(probe), { ...caps, domainType: 'qemu' }, true).find((c) => c.id === 'kvm')?.reason).toBe('kvmNotForLibvirt');
    // A session connection: the user's own access to /dev/kvm is what counts.
    expect(evaluate(parseProbe(probe.replace('usable\n', '')), caps, false).find((c) => c.id === 'kvm')?.reason).toBe('kvmNoAccess');
  });

  it('passes hardware virtualization, nesting and IOMMU on a host that has them; cgroup v2 names', () => {
    const good = parseProbe(
      probe
        .replace(/^flags\t\t: /m, 'flags\t\t: vmx ')
        .replace('@@nested\n', '@@nested\nkvm_intel Y\n')
        .replace('@@iommu\n0\n', '@@iommu\n14\nDMAR\n')
        .replace('@@cgroups\n', '@@cgroups\nv2 cpuset cpu io memory hugetlb pids\n'),
    );
    const v = verdicts(evaluate(good, caps, true));
    expect([v['cpu-virt'], v.kvm, v.nested, v.iommu, v.cgroups]).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });

  it("parses virt-host-validate's verdicts with their notes", () => {
    const lines = parseHostValidate(fx('virt-host-validate.txt'));
    expect(lines[0]).toEqual({
      check: 'for hardware virtualization',
      verdict: 'fail',
      note: 'Host not compatible with KVM; HW virtualization CPU features not found. Only emulated CPUs are available; performance will be significantly limited',
    });
    expect(lines.find((l) => l.check.includes('/dev/vhost-net'))?.verdict).toBe('warn');
    expect(lines.filter((l) => l.check.includes('cgroup')).every((l) => l.verdict === 'pass')).toBe(true);
  });
});
