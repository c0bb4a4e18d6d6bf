/**
 * Copies of the test guest for the Tuning (CPU) tests, integration and e2e:
 * - `vd-test-tunecpu-pin`: the plain copy, started for live pinning;
 * - `vd-test-tunecpu-adv` (and `-adv2` for the e2e spec): shut off, with osinfo metadata
 *   (debian12), an IDE disk (a small qcow2 in a private temp dir) and an e1000 NIC, for the advisor.
 * Defined with a root virsh; everything goes in cleanup (domains undefined, the dir removed).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHost } from '../../../../e2e/support/test-host';
import { cloneXmlOf, defineValidated, removeClone, type CloneId } from '../../../libvirt/testing/details-guest';

export const PIN_CLONE: CloneId = { name: 'vd-test-tunecpu-pin', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff7c01', mac: '52:54:00:7c:00:01' };
export const ADV_CLONE: CloneId = { name: 'vd-test-tunecpu-adv', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff7c02', mac: '52:54:00:7c:00:02' };
/** Shut off, hugepage-backed with 64 GiB: more 2 MiB pages than this host could ever free (never started). */
export const HP_CLONE: CloneId = { name: 'vd-test-tunecpu-hp', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff7c04', mac: '52:54:00:7c:00:04' };
export const ADV_E2E_CLONE: CloneId = { name: 'vd-test-tunecpu-adv2', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff7c03', mac: '52:54:00:7c:00:03' };

export const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

const OSINFO = `<metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://debian.org/debian/12"/>
    </libosinfo:libosinfo>
  </metadata>`;

/** The advisor's copy: debian12 metadata, an IDE disk and an e1000 NIC; returns its disk file. */
export function defineAdvisorGuest(th: TestHost, c: CloneId, dir: string): string {
  removeClone(c);
  const disk = join(dir, `${c.name}.qcow2`);
  const img = spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '16M'], { encoding: 'utf8' });
  if (img.status !== 0) throw new Error(`qemu-img: ${img.stderr}`);
  const xml = cloneXmlOf(th, c)
    .replace('</description>', `</description>\n  ${OSINFO}`)
    .replace("<model type='virtio'/>", "<model type='e1000'/>")
    .replace('<devices>', `<devices>\n    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='hda' bus='ide'/></disk>`);
  defineValidated(c.name, xml);
  return disk;
}

export function defineHugepageGuest(th: TestHost): void {
  removeClone(HP_CLONE);
  const xml = cloneXmlOf(th, HP_CLONE)
    .replace(/<memory unit='KiB'>\d+<\/memory>/, "<memory unit='GiB'>64</memory>")
    .replace(/<currentMemory unit='KiB'>\d+<\/currentMemory>/, "<currentMemory unit='GiB'>64</currentMemory>")
    .replace('<vcpu', '<memoryBacking>\n    <hugepages/>\n  </memoryBacking>\n  <vcpu');
  defineValidated(HP_CLONE.name, xml);
}

export interface TuneGuests {
  dir: string;
  cleanup(): void;
}

/** A private dir for disks; cleanup undefines the given copies and removes it. */
export function tuneGuestDir(clones: CloneId[]): TuneGuests {
  const dir = mkdtempSync(join(tmpdir(), 'vd-tunecpu-'));
  chmodSync(dir, 0o755); // QEMU must reach the disk if a copy is started
  return { dir, cleanup: () => (clones.forEach((c) => removeClone(c)), rmSync(dir, { recursive: true, force: true })) };
}

/** The pin copy, defined and started (TCG; it need not finish booting to be pinned). */
export function startPinGuest(th: TestHost): void {
  removeClone(PIN_CLONE);
  defineValidated(PIN_CLONE.name, cloneXmlOf(th, PIN_CLONE));
  const r = virsh('start', '--domain', PIN_CLONE.uuid);
  if (r.status !== 0) throw new Error(`cannot start ${PIN_CLONE.name}: ${r.stderr}`);
}

/** `virsh vcpupin` rows as { vcpu: affinity }. */
export function vcpupinTable(uuid: string, scope: '--config' | '--live'): Record<string, string> {
  const out = virsh('vcpupin', '--domain', uuid, scope).stdout;
  return Object.fromEntries([...out.matchAll(/^\s*(\d+)\s+(\S+)\s*$/gm)].map((m) => [m[1]!, m[2]!]));
}
