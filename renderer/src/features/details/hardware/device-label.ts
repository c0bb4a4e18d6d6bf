/** The sidebar's name for each device, like virt-manager's ("Disk vda", "NIC :12:34:56", "Serial 1"). */
import type { Device } from '../../../../../shared/model/details';
import type { Translate } from '../../../i18n/translate';

export function deviceLabel(t: Translate, d: Device): string {
  switch (d.kind) {
    case 'disk':
      return d.device === 'cdrom' ? t('details.dev.cdrom', { target: d.target ?? '?' }) : d.device === 'floppy' ? t('details.dev.floppy', { target: d.target ?? '?' }) : t('details.dev.disk', { target: d.target ?? '?' });
    case 'interface':
      return t('details.dev.nic', { mac: d.mac ? d.mac.slice(-9) : d.type });
    case 'graphics':
      return t('details.dev.graphics', { type: d.type.toUpperCase() });
    case 'serial':
    case 'console':
    case 'parallel':
      return t(`details.dev.${d.kind}`, { n: (d.targetPort ?? 0) + 1 });
    case 'channel':
      return t('details.dev.channel', { name: d.targetName ?? d.type });
    case 'video':
      return t('details.dev.video', { model: (d.model ?? '').toUpperCase() });
    case 'sound':
      return t('details.dev.sound', { model: d.model ?? '' });
    case 'controller':
      return t('details.dev.controller', { type: d.type.toUpperCase(), index: d.index ?? 0 });
    case 'hostdev':
      return t('details.dev.hostdev', { type: d.type.toUpperCase(), address: d.address ?? '' });
    case 'input':
      return t('details.dev.input', { type: d.type, bus: d.bus ?? '' });
    case 'filesystem':
      return t('details.dev.filesystem', { target: d.target ?? '' });
    case 'rng':
    case 'tpm':
    case 'watchdog':
    case 'memballoon':
      return t(`details.dev.${d.kind}`);
    case 'other':
      return d.tag in OTHER_TAGS ? t(`details.dev.other.${d.tag as keyof typeof OTHER_TAGS}`) : d.tag;
  }
}

/** Elements Virtdeck shows but has no form for, with a name in the sidebar (the XML tab edits them). */
const OTHER_TAGS = { audio: 1, redirdev: 1, smartcard: 1, panic: 1, vsock: 1, iommu: 1, shmem: 1, hub: 1, memory: 1, lease: 1, crypto: 1, emulator: 1 } as const;

/** Sidebar order: virt-manager's (disks, NICs, input, graphics, sound, serial…, then the rest). */
const ORDER: Record<string, number> = {
  disk: 1, interface: 2, input: 3, graphics: 4, sound: 5, serial: 6, parallel: 7, console: 8, channel: 9,
  video: 10, controller: 11, filesystem: 12, hostdev: 13, rng: 14, tpm: 15, watchdog: 16, memballoon: 17, other: 18,
};

export function sortDevices(devices: readonly Device[]): Device[] {
  return [...devices].sort((a, b) => (ORDER[a.kind] ?? 99) - (ORDER[b.kind] ?? 99));
}
