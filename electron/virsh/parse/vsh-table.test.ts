import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { decodeVshCell, displayWidth, parseDhcpLeases, parseDomblklist, parseDomifaddr, parseDomiflist, parseIfaceList, parseVolList } from './vsh-table';

describe('volume names and paths from vol-list', () => {
  it('keeps hostile names whole: blanks, quotes, $(…), leading dashes, escapes, CJK (virsh 9.0, test:///default, `vol-list --pool default-pool`)', () => {
    const rows = parseVolList(fixture('storage-test-vol-list-hostile.txt'));
    expect(rows).toEqual([
      { name: '--double', path: '/default-pool/--double' },
      { name: 'a   b', path: '/default-pool/a   b' },
      { name: 'back\\x41slash', path: '/default-pool/back\\x41slash' },
      { name: 'disk 1.qcow2', path: '/default-pool/disk 1.qcow2' },
      { name: `it's "q" $(id)`, path: `/default-pool/it's "q" $(id)` },
      { name: 'tab\there', path: '/default-pool/tab\there' },
      // trailing blanks of a name cannot be told from padding; the path keeps them (vol-dumpxml has the exact name)
      { name: 'trail', path: '/default-pool/trail ' },
      { name: '日本語 ünï.img', path: '/default-pool/日本語 ünï.img' },
    ]);
  });

  it('reads paths with blanks on a real dir pool (virsh 9.0, qemu:///system, `vol-list --pool`)', () => {
    const rows = parseVolList(fixture('storage-qemu-vol-list.txt'));
    expect(rows.map((r) => r.name)).toEqual(['base.qcow2', 'overlay.qcow2']);
    expect(rows[0]!.path).toMatch(/\/pool dir\/base\.qcow2$/);
  });

  it('accepts the one-shot form with a header, and an empty pool', () => {
    const out = ' Name   Path\n------------------------------\n a b    /p/a b\n x      /p/x\n\n';
    expect(parseVolList(out)).toEqual([{ name: 'a b', path: '/p/a b' }, { name: 'x', path: '/p/x' }]);
    expect(parseVolList('')).toEqual([]);
  });

  it('prefers the column where every path starts with "/" when a name holds three blanks', () => {
    expect(parseVolList(' a   b   /p/a   b\n')).toEqual([{ name: 'a   b', path: '/p/a   b' }]);
  });
});

describe('vshTable cells', () => {
  it('undo \\xNN escapes, including an escaped backslash and UTF-8 bytes', () => {
    expect(decodeVshCell('tab\\x09here')).toBe('tab\there');
    expect(decodeVshCell('back\\x5cx41slash')).toBe('back\\x41slash');
    expect(decodeVshCell('\\xe2\\x80\\x8b')).toBe('\u200b');
    expect(decodeVshCell('plain')).toBe('plain');
  });

  it('measure terminal columns like glib: CJK 2, combining marks 0', () => {
    expect(displayWidth('日本語 ünï.img')).toBe(14);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('abc')).toBe(3);
  });
});

describe('DHCP leases', () => {
  const expected = [
    { expiry: '2100-01-01 00:00:00', mac: '52:54:00:aa:bb:cc', protocol: 'ipv4', address: '10.213.77.123', prefix: 24, hostname: 'guest-one', clientId: '01:52:54:00:aa:bb:cc' },
    { expiry: '2100-01-01 00:00:00', mac: '52:54:00:aa:bb:cc', protocol: 'ipv6', address: 'fd13:77::150', prefix: 64, hostname: 'guest-one', clientId: '00:04:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99' },
    { expiry: '2100-01-01 00:00:00', mac: '52:54:00:aa:bb:dd', protocol: 'ipv4', address: '10.213.77.124', prefix: 24, hostname: null, clientId: null },
  ];
  it('reads IPv4 and IPv6 leases, "-" as none (virsh 9.0, qemu:///system, `net-dhcp-leases`, interactive and one-shot)', () => {
    expect(parseDhcpLeases(fixture('net-qemu-dhcp-leases.txt'))).toEqual(expected);
    expect(parseDhcpLeases(fixture('net-qemu-dhcp-leases-oneshot.txt'))).toEqual(expected);
  });
});

describe('domiflist', () => {
  it('keeps a network name with blanks and quotes whole (virsh 9.0, test:///default, `domiflist`)', () => {
    expect(parseDomiflist(fixture('net-test-domiflist-hostile.txt'))).toEqual([
      { device: 'testnet0', type: 'network', source: 'lab "net" 1', model: 'virtio', mac: '52:54:00:00:00:a1' },
      { device: 'testnet1', type: 'bridge', source: 'br0', model: null, mac: '52:54:00:00:00:a2' },
    ]);
  });

  it('reads an off VM with user networking (virsh 9.0, qemu:///system, `domiflist vd-test-guest`)', () => {
    expect(parseDomiflist(fixture('net-qemu-domiflist-user.txt'))).toEqual([{ device: null, type: 'user', source: null, model: 'virtio', mac: '52:54:00:56:44:01' }]);
  });
});

describe('iface-list', () => {
  it('reads name, state and MAC (virsh 9.0, `iface-list --all` on test:///default and qemu:///system)', () => {
    expect(parseIfaceList(fixture('iface-test-list.txt'))).toEqual([{ name: 'eth1', active: true, mac: 'aa:bb:cc:dd:ee:ff' }]);
    const sys = parseIfaceList(fixture('iface-qemu-list.txt'));
    expect(sys.map((i) => i.name)).toEqual(['eth0', 'ifb0', 'ifb1', 'lo', 'vdcap0']);
    expect(sys[0]).toEqual({ name: 'eth0', active: true, mac: '02:fc:00:00:00:01' });
  });
});

describe('cells that need decoding, rows that look like a header (virsh 9.0, test:///…/host.xml, capture-tables.mjs)', () => {
  const disks = [
    // a TAB in the source attribute reaches virsh as a blank (attribute normalisation), not as \x09
    { type: 'file', device: 'disk', target: 'vda', source: '/img/tab here.qcow2' },
    // DEL is escaped; a C1 control comes out as "\xff\xff" (libvirt prints the signed byte), which cannot be undone
    { type: 'file', device: 'disk', target: 'vdb', source: '/img/del\x7fc1\ufffd\ufffdx.qcow2' },
    { type: 'file', device: 'disk', target: 'vdc', source: '/img/back\\x41slash  two.img' },
    { type: 'file', device: 'disk', target: 'vdd', source: '/img/日本語 ünï.img' },
    { type: 'file', device: 'disk', target: 'vde', source: '-dash' },
    { type: 'file', device: 'cdrom', target: 'sda', source: '' },
  ];
  it('domblklist --details decodes \\xNN in the source, one-shot and -q', () => {
    expect(parseDomblklist(fixture('tables-test-domblklist-details-escapes.txt'))).toEqual(disks);
    expect(parseDomblklist(fixture('tables-test-domblklist-details-escapes-q.txt'))).toEqual(disks);
  });

  it('vol-list keeps volumes called "Name backup.qcow2", "Name", "Path" and "-------": only the header line above the dashes is a header', () => {
    const vols = [
      { name: '-------', path: '/p/-------' },
      { name: 'Name', path: '/p/Name' },
      { name: 'Name backup.qcow2', path: '/p/Name backup.qcow2' },
      { name: 'Path', path: '/p/Path' },
    ];
    expect(parseVolList(fixture('tables-test-vol-list-header-words.txt'))).toEqual(vols);
    expect(parseVolList(fixture('tables-test-vol-list-header-words-q.txt'))).toEqual(vols);
  });

  it('domifaddr keeps an interface called "Name" when there is no header (-q)', () => {
    expect(parseDomifaddr(' Name       52:54:00:aa:bb:cc    ipv4         10.0.0.5/24\n').map((a) => a.name)).toEqual(['Name']);
  });
});

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
