import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { parseIfaceXml, parseIpAddrJson, parseNetInfo, parseNetworkXml } from './network';

describe('net-info', () => {
  it('reads state flags and bridge (virsh 9.0, test:///default and qemu:///system)', () => {
    expect(parseNetInfo(fixture('net-test-info.txt'))).toEqual({ name: 'default', uuid: 'dd8fe884-6c02-601e-7551-cca97df1c5df', active: true, persistent: true, autostart: false, bridge: 'virbr0' });
    expect(parseNetInfo(fixture('net-qemu-info.txt'))).toMatchObject({ name: 'vd-capture net', bridge: 'vdcap0', active: true });
  });
});

describe('net-dumpxml', () => {
  it('reads a NAT network with a netmask (virsh 9.0, test:///default)', () => {
    expect(parseNetworkXml(fixture('net-test-dumpxml.txt'))).toEqual({
      name: 'default',
      uuid: 'dd8fe884-6c02-601e-7551-cca97df1c5df',
      forwardMode: 'nat',
      forwardDev: null,
      bridge: 'virbr0',
      domainName: null,
      ips: [{ family: 'ipv4', address: '192.168.122.1', prefix: 24, dhcpRanges: [{ start: '192.168.122.2', end: '192.168.122.254' }], hosts: [] }],
    });
  });

  it('reads an isolated dual-stack network with a static host (virsh 9.0, qemu:///system)', () => {
    const n = parseNetworkXml(fixture('net-qemu-dumpxml-isolated.txt'));
    expect(n).toMatchObject({ forwardMode: 'isolated', domainName: 'lab.test', bridge: 'vdcap0' });
    expect(n.ips).toEqual([
      { family: 'ipv4', address: '10.213.77.1', prefix: 24, dhcpRanges: [{ start: '10.213.77.100', end: '10.213.77.200' }], hosts: [{ mac: '52:54:00:aa:bb:01', name: 'web1', ip: '10.213.77.10' }] },
      { family: 'ipv6', address: 'fd13:77::1', prefix: 64, dhcpRanges: [{ start: 'fd13:77::100', end: 'fd13:77::1ff' }], hosts: [] },
    ]);
  });

  it('treats <forward/> without a mode as NAT', () => {
    expect(parseNetworkXml('<network><name>n</name><forward/></network>').forwardMode).toBe('nat');
  });
});

describe('host interfaces', () => {
  it('reads a bridge from iface-dumpxml (virsh 9.0, qemu:///system, udev backend)', () => {
    expect(parseIfaceXml(fixture('iface-qemu-dumpxml-bridge.txt'))).toEqual({ type: 'bridge', mac: null, addresses: [] });
  });

  it('reads `ip -j -d addr` (iproute2 6.1): kinds, state and addresses', () => {
    const list = parseIpAddrJson(fixture('ip-j-d-addr.json'));
    const lo = list.find((i) => i.name === 'lo')!;
    expect(lo.addresses).toContain('127.0.0.1/8');
    expect(list.find((i) => i.name === 'vdcap0')).toMatchObject({ type: 'bridge' });
    expect(list.find((i) => i.name === 'eth0')).toMatchObject({ type: 'ethernet', active: true });
  });
});
