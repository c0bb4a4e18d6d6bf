/**
 * The OS families Virtdeck knows without osinfo-db: the wizard must never fail for lack of it
 * (virt-install ≥ 4 does; cockpit shows an empty list). Values follow osinfo's own entries for
 * linux2022, win10 and win11, and virt-install's defaults for unknown guests.
 */
import type { OsDefaults, OsEntry } from '../../../shared/model/newvm';

const GiB = 1024 ** 3;

export const BUILTIN_DEFAULTS: readonly OsDefaults[] = [
  {
    id: 'generic-linux', name: 'Linux (modern, generic)', family: 'linux', minMemoryMiB: 512, recMemoryMiB: 2048, recVcpus: 2,
    recStorageBytes: 20 * GiB, diskBus: 'virtio', nicModel: 'virtio', video: 'virtio', virtioRng: true, balloon: true, q35: true, windows: false, source: 'builtin',
  },
  {
    id: 'win11', name: 'Microsoft Windows 11', family: 'winnt', minMemoryMiB: 4096, recMemoryMiB: 4096, recVcpus: 2,
    recStorageBytes: 64 * GiB, diskBus: 'sata', nicModel: 'e1000e', video: 'qxl', virtioRng: false, balloon: false, q35: true, windows: true, source: 'builtin',
  },
  {
    id: 'win10', name: 'Microsoft Windows 10', family: 'winnt', minMemoryMiB: 1024, recMemoryMiB: 2048, recVcpus: 2,
    recStorageBytes: 40 * GiB, diskBus: 'sata', nicModel: 'e1000e', video: 'qxl', virtioRng: false, balloon: false, q35: true, windows: true, source: 'builtin',
  },
  {
    id: 'generic', name: 'Other or older OS', family: 'unknown', minMemoryMiB: null, recMemoryMiB: 1024, recVcpus: 1,
    recStorageBytes: 10 * GiB, diskBus: 'ide', nicModel: 'e1000', video: 'vga', virtioRng: false, balloon: false, q35: false, windows: false, source: 'builtin',
  },
];

export const builtinEntries = (): OsEntry[] =>
  BUILTIN_DEFAULTS.map((d) => ({ id: d.id, name: d.name, version: null, family: d.family, vendor: null, releaseDate: null, eol: false }));

export const builtinDefaults = (id: string | null): OsDefaults | undefined => BUILTIN_DEFAULTS.find((d) => d.id === id);
