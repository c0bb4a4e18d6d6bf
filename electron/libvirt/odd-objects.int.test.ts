import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Domain } from '../../shared/model/domain';
import { Network } from '../../shared/model/network';
import { Pool, Volume } from '../../shared/model/storage';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';

/** The host file the e2e spec also uses: every pool type, 2^64−1 sizes, header-like names (see its comment). */
const URI = `test://${join(__dirname, '..', '..', 'e2e', 'support', 'every-kind-host.xml')}`;
const TYPES = ['dir', 'disk', 'fs', 'gluster', 'iscsi', 'iscsi-direct', 'logical', 'mpath', 'netfs', 'rbd', 'scsi', 'sheepdog', 'vstorage', 'zfs'];

describe('a host with odd objects (test driver host file): the backend lists every one, each valid on its own', () => {
  let h: Harness;
  let id: string;
  beforeAll(async () => {
    h = await startHarness();
    id = (await h.call('hosts.save', { connection: { name: 'odd', uri: URI, autoconnect: false } })).config.id;
    await h.call('hosts.connect', { hostId: id });
  });
  afterAll(() => h.close());

  it('pools of every type, the overflowing SCSI pool exact and noted', async () => {
    const pools = await h.call('storage.pools.list', { hostId: id });
    for (const p of pools) Pool.parse(p); // strict: nothing for the renderer to salvage
    expect(pools.filter((p) => p.name.startsWith('pool-')).map((p) => p.type).sort()).toEqual(TYPES);
    const scsi = pools.find((p) => p.name === 'pool-scsi')!;
    expect(scsi).toMatchObject({ state: 'running', capacity: '107374182400', allocation: '107374182401', available: '18446744073709551615' });
    expect(scsi.problems).toEqual([expect.stringContaining('more than the capacity')]);
    expect(pools.filter((p) => p.problems).map((p) => p.name)).toEqual(['pool-scsi']);
  });

  it('volumes named like a table header, and of 2^63−1 bytes', async () => {
    const scsi = (await h.call('storage.pools.list', { hostId: id })).find((p) => p.name === 'pool-scsi')!;
    const vols = await h.call('storage.volumes.list', { hostId: id, poolUuid: scsi.uuid });
    for (const v of vols) Volume.parse(v);
    expect(vols.map((v) => [v.name, v.capacity])).toEqual([
      ['Name', '1024'],
      ['Name backup.qcow2', '9223372036854775807'],
      ['unit0:0:0:0', '18446744073709551'],
    ]);
    expect(vols.find((v) => v.name === 'Name backup.qcow2')!.usedBy).toEqual([{ uuid: '00000000-0000-4000-8002-000000000001', name: 'vm-shutoff', target: 'vda' }]);
  });

  it('domains in other run states, networks of other forward modes', async () => {
    const doms = await h.call('domains.list', { hostId: id });
    for (const d of doms) Domain.parse(d);
    expect(Object.fromEntries(doms.map((d) => [d.name, d.state]))).toEqual({ 'vm-running': 'running', 'vm-shutoff': 'shutoff', 'vm-crashed': 'crashed', 'vm-pmsuspended': 'pmsuspended' });
    const nets = await h.call('networks.list', { hostId: id });
    for (const n of nets) Network.parse(n);
    expect(nets.map((n) => [n.name, n.forwardMode])).toEqual([['net open "q"', 'open'], ['net-isolated', 'isolated'], ['net-passthrough', 'passthrough']]);
    expect(nets.find((n) => n.name === 'net open "q"')!.ips[0]).toMatchObject({ address: '10.99.0.1', prefix: 24 });
  });
});
