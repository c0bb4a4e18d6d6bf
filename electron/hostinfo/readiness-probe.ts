/**
 * Everything Virtdeck's readiness checks read from the host, in ONE read-only command: a
 * constant sh script (no data in it, no arguments) printing each finding after an "@@name" line.
 * Reads of /proc, /sys and /dev only; nothing is loaded, written or changed.
 */
export const PROBE_SCRIPT = [
  "echo @@flags; grep -m1 -E '^flags' /proc/cpuinfo",
  'echo @@kvm; if [ -e /dev/kvm ]; then echo exists; if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then echo usable; fi; fi',
  'echo @@modules; for m in /sys/module/kvm*; do [ -d "$m" ] && echo "${m##*/}"; done',
  'echo @@nested; for m in kvm_intel kvm_amd; do p=/sys/module/$m/parameters/nested; [ -r "$p" ] && echo "$m $(cat "$p")"; done',
  "echo @@iommu; ls /sys/kernel/iommu_groups 2>/dev/null | wc -l; ls /sys/firmware/acpi/tables 2>/dev/null | grep -E '^(DMAR|IVRS)$'",
  'echo @@cmdline; cat /proc/cmdline',
  'echo @@dev; for d in /dev/vhost-net /dev/net/tun; do [ -c "$d" ] && echo "$d"; done',
  'echo @@cgroups; cat /proc/cgroups; [ -r /sys/fs/cgroup/cgroup.controllers ] && echo "v2 $(cat /sys/fs/cgroup/cgroup.controllers)"',
  "echo @@huge; grep -E '^(HugePages_Total|Hugepagesize)' /proc/meminfo; cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null",
  'echo @@ksm; cat /sys/kernel/mm/ksm/run 2>/dev/null',
  'exit 0',
].join('\n');

export interface ProbeFindings {
  flags: Set<string>;
  kvm: { exists: boolean; usable: boolean };
  modules: string[];
  /** kvm_intel / kvm_amd → its `nested` parameter (Y, N, 1, 0). */
  nested: Map<string, string>;
  iommuGroups: number;
  acpiIommuTables: string[];
  cmdline: string;
  devices: Set<string>;
  /** Enabled cgroup controllers; `v2` when the host runs the unified hierarchy only. */
  cgroups: { v2: boolean; enabled: Set<string> };
  hugepages: { total: number; sizeKiB: number; thp: string | null };
  ksmRun: string | null;
}

function sections(out: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('@@')) m.set(line.slice(2).trim(), (cur = []));
    else if (cur && line.trim()) cur.push(line.trim());
  }
  return m;
}

export function parseProbe(out: string): ProbeFindings {
  const s = sections(out);
  const get = (k: string) => s.get(k) ?? [];
  const flagsLine = get('flags')[0] ?? '';
  const cg = get('cgroups');
  const v2Line = cg.find((l) => l.startsWith('v2 '));
  const enabled = new Set<string>(
    v2Line
      ? v2Line.slice(3).split(/\s+/)
      : cg.filter((l) => !l.startsWith('#')).map((l) => l.split(/\s+/)).filter((f) => f[3] === '1').map((f) => f[0]!),
  );
  const huge = get('huge');
  const num = (re: RegExp) => Number(re.exec(huge.join('\n'))?.[1] ?? 0);
  const [groups, ...tables] = get('iommu');
  return {
    flags: new Set(flagsLine.replace(/^flags\s*:/, '').trim().split(/\s+/).filter(Boolean)),
    kvm: { exists: get('kvm').includes('exists'), usable: get('kvm').includes('usable') },
    modules: get('modules'),
    nested: new Map(get('nested').map((l) => l.split(/\s+/) as [string, string])),
    iommuGroups: Number(groups ?? 0) || 0,
    acpiIommuTables: tables,
    cmdline: get('cmdline')[0] ?? '',
    devices: new Set(get('dev')),
    cgroups: { v2: !!v2Line, enabled },
    hugepages: { total: num(/HugePages_Total:\s+(\d+)/), sizeKiB: num(/Hugepagesize:\s+(\d+)/), thp: /\[(\w+)\]/.exec(huge.find((l) => l.includes('[')) ?? '')?.[1] ?? null },
    ksmRun: get('ksm')[0] ?? null,
  };
}

/** What `virsh domcapabilities` says about KVM, UEFI, Secure Boot and the TPM emulator. */
export interface DomCaps {
  domainType: string | null;
  efi: boolean;
  loaders: string[];
  secureBoot: boolean;
  tpmEmulator: boolean;
}
