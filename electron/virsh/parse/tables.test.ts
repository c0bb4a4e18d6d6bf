import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomblklist, parseDomifaddr } from './tables';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('parseDomblklist', () => {
  it('reads one-shot output with its header (virsh 9.0, test:///default, `domblklist --details test`)', () => {
    expect(parseDomblklist(fixture('test-domblklist-details.txt'))).toEqual([{ type: 'file', device: 'disk', target: 'vda', source: '/guest/diskimage1' }]);
  });

  it('reads interactive -q output: sources with spaces, and an empty CD-ROM (virsh 9.0, test driver)', () => {
    expect(parseDomblklist(fixture('test-domblklist-details-q.txt'))).toEqual([
      { type: 'file', device: 'disk', target: 'vda', source: '/var/lib/images/disk 1.qcow2' },
      { type: 'block', device: 'disk', target: 'vdb', source: '/dev/vg0/lv data' },
      { type: 'file', device: 'cdrom', target: 'sda', source: '' },
    ]);
  });
});

describe('parseDomifaddr', () => {
  it('reads addresses with their prefix (virsh 9.0, test:///default, `domifaddr --domain test`)', () => {
    const expected = [{ name: 'testnet0', mac: 'aa:bb:cc:dd:ee:ff', protocol: 'ipv4', address: '192.168.122.3', prefix: 24 }];
    expect(parseDomifaddr(fixture('test-domifaddr.txt'))).toEqual(expected);
    expect(parseDomifaddr(fixture('test-domifaddr-q.txt'))).toEqual(expected);
  });

  it('carries the interface name onto continuation lines', () => {
    const out = ' vnet0      52:54:00:aa:bb:cc    ipv4         192.168.122.50/24\n -          -                    ipv6         fe80::5054:ff:feaa:bbcc/64\n';
    expect(parseDomifaddr(out).map((a) => [a.name, a.mac, a.address])).toEqual([
      ['vnet0', '52:54:00:aa:bb:cc', '192.168.122.50'],
      ['vnet0', '52:54:00:aa:bb:cc', 'fe80::5054:ff:feaa:bbcc'],
    ]);
  });
});
