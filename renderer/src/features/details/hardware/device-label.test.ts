import { describe, expect, it } from 'vitest';
import type { Device } from '../../../../../shared/model/details';
import { en } from '../../../i18n/en';
import { makeTranslator } from '../../../i18n/translate';
import { deviceLabel, sortDevices } from './device-label';

const t = makeTranslator(en);
const disk: Device = { id: 'disk[0]', kind: 'disk', type: 'file', device: 'disk', target: 'vda', readonly: false, shareable: false };
const cd: Device = { id: 'disk[1]', kind: 'disk', type: 'file', device: 'cdrom', target: 'sda', readonly: true, shareable: false };
const nic: Device = { id: 'interface[0]', kind: 'interface', type: 'network', mac: '52:54:00:12:34:56' };
const serial: Device = { id: 'serial[0]', kind: 'serial', type: 'pty', targetPort: 0 };

describe('the hardware sidebar', () => {
  it('names devices the way virt-manager does', () => {
    expect(deviceLabel(t, disk)).toBe('Disk vda');
    expect(deviceLabel(t, cd)).toBe('CD-ROM sda');
    expect(deviceLabel(t, nic)).toBe('NIC :12:34:56');
    expect(deviceLabel(t, serial)).toBe('Serial 1');
    expect(deviceLabel(t, { id: 'audio[0]', kind: 'other', tag: 'audio' } as Device)).toBe('Audio backend');
    expect(deviceLabel(t, { id: 'foo[0]', kind: 'other', tag: 'foo' } as Device)).toBe('foo');
  });
  it('lists disks first, then NICs, then the rest', () => {
    expect(sortDevices([serial, nic, disk, cd]).map((d) => d.id)).toEqual(['disk[0]', 'disk[1]', 'interface[0]', 'serial[0]']);
  });
});
