import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NetworkSpec } from '../../shared/model/network';
import { PoolSpec } from '../../shared/model/storage';
import { virshAvailable } from '../virsh/testing/realVirsh';
import { parseNetworkXml } from '../virsh/parse/network';
import { parsePoolXml } from '../virsh/parse/storage';
import { networkXml } from './network-xml';
import { poolXml } from './pool-xml';

const dir = mkdtempSync(join(tmpdir(), 'vd-xmlgen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Defines the XML on a throwaway test:///default (libvirt 9.0) with schema validation; returns virsh's stderr. */
function defineValidated(kind: 'pool' | 'net', xml: string): string {
  const file = join(dir, `${kind}-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('virsh', ['-c', 'test:///default', `${kind}-define`, '--file', file, '--validate'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  return r.status === 0 ? '' : r.stderr;
}

const UUID = '0b5e1c4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const HOSTILE = `it's "x" <&> $(id) --y 日本`;

const pools: PoolSpec[] = [
  { type: 'dir', name: HOSTILE, targetPath: '/var/lib/virtdeck/pool a' },
  { type: 'fs', name: 'fs1', device: '/dev/loop7', format: 'ext4', targetPath: '/mnt/fs1' },
  { type: 'fs', name: 'fs-auto', device: '/dev/sdz1', format: 'auto', targetPath: '/mnt/fs2' },
  { type: 'netfs', name: 'nfs1', host: 'nfs.example.com', sourcePath: '/export/vm images', format: 'nfs', protocolVersion: '4', targetPath: '/mnt/nfs1' },
  { type: 'logical', name: 'lvm1', vgName: 'vg_vms', devices: ['/dev/sdb1', '/dev/sdc1'] },
  { type: 'disk', name: 'disk1', device: '/dev/sdb', format: 'gpt' },
  { type: 'iscsi', name: 'iscsi1', host: '192.0.2.10', port: 3260, target: 'iqn.2013-06.com.example:iscsi-pool', initiator: 'iqn.2013-06.com.example:client' },
  { type: 'rbd', name: 'ceph1', monitors: [{ host: 'mon1.example', port: 6789 }, { host: 'mon2.example' }], cephPool: 'libvirt-pool', auth: { username: 'libvirt', secretUuid: '2ec115d7-3a88-3ceb-bc12-0ac909a6fd87' } },
  { type: 'gluster', name: 'gluster1', host: 'gluster.example', volume: 'gv0', dir: '/vms' },
];

describe.skipIf(!virshAvailable)('generated pool XML passes libvirt 9.0 schema validation (pool-define --validate, test:///default)', () => {
  it.each(pools.map((p) => [p.type, p] as const))('%s', (_type, spec) => {
    const parsed = PoolSpec.parse(spec);
    const xml = poolXml(parsed, UUID);
    expect(defineValidated('pool', xml)).toBe('');
    const back = parsePoolXml(xml);
    expect(back).toMatchObject({ type: spec.type, name: spec.name, uuid: UUID });
  });

  it('a wrong type-specific field is refused by the schema, with libvirt\'s message', () => {
    const bad = poolXml(PoolSpec.parse(pools[0]!), UUID).replace('<target>', '<target><bogus/>');
    expect(defineValidated('pool', bad)).toMatch(/failed to validate against schema/);
  });
});

const nets: NetworkSpec[] = [
  {
    name: HOSTILE,
    mode: 'nat',
    ipv4: { address: '192.168.150.1', prefix: 24, dhcp: { start: '192.168.150.100', end: '192.168.150.200' }, hosts: [{ mac: '52:54:00:12:34:56', name: 'web1', ip: '192.168.150.10' }] },
    ipv6: { address: 'fd00:150::1', prefix: 64, dhcp: { start: 'fd00:150::100', end: 'fd00:150::1ff' } },
    domainName: 'lab.example',
  },
  { name: 'routed', mode: 'route', forwardDev: 'eth0', bridgeName: 'virbr9', ipv4: { address: '10.9.0.1', prefix: 24, hosts: [] } },
  { name: 'isolated', mode: 'isolated', ipv4: { address: '10.10.0.1', prefix: 24, dhcp: { start: '10.10.0.2', end: '10.10.0.254' }, hosts: [] } },
  { name: 'open', mode: 'open', ipv4: { address: '10.11.0.1', prefix: 24, hosts: [] } },
  { name: 'lan', mode: 'bridge', bridgeName: 'br0' },
];

describe.skipIf(!virshAvailable)('generated network XML passes libvirt 9.0 schema validation (net-define --validate, test:///default)', () => {
  it.each(nets.map((n) => [n.mode, n] as const))('%s', (mode, spec) => {
    const xml = networkXml(NetworkSpec.parse(spec), UUID);
    expect(defineValidated('net', xml)).toBe('');
    const back = parseNetworkXml(xml);
    expect(back).toMatchObject({ name: spec.name, uuid: UUID, forwardMode: mode });
    expect(back.ips.length).toBe((spec.ipv4 ? 1 : 0) + (spec.ipv6 ? 1 : 0));
  });

  it('the form refuses an existing-bridge network without a bridge or with addresses', () => {
    expect(NetworkSpec.safeParse({ name: 'x', mode: 'bridge' }).success).toBe(false);
    expect(NetworkSpec.safeParse({ name: 'x', mode: 'bridge', bridgeName: 'br0', ipv4: { address: '10.0.0.1', prefix: 24 } }).success).toBe(false);
    expect(NetworkSpec.safeParse({ name: 'a/b', mode: 'isolated' }).success).toBe(false);
  });
});
