import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandText } from '../../shared/api/commands';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';

/** Names users may type; each must reach exactly its own pool, volume or network (libvirt refuses '/'). */
const HOSTILE = ['disk 1.qcow2', "it's", 'say "hi"', '$(touch virtdeck-pwned)', '`id`', '-leading-dash', '--double', '日本語 ünï', 'a;b|c', 'a   b'];

describe('storage and networks on the test driver (test:///default): hostile names round-trip', () => {
  let h: Harness;
  const host = 'demo';
  let poolUuid: string;
  beforeAll(async () => {
    h = await startHarness();
    await h.call('hosts.connect', { hostId: host });
    poolUuid = (await h.call('storage.pools.list', { hostId: host })).find((p) => p.name === 'default-pool')!.uuid;
  });
  afterAll(() => h.close());

  it('lists the default pool with exact byte sizes and a capacity', async () => {
    const [pool] = await h.call('storage.pools.list', { hostId: host });
    expect(pool).toMatchObject({ name: 'default-pool', type: 'dir', state: 'running', persistent: true, autostart: false, capacity: '107374182400', targetPath: '/default-pool' });
  });

  it('creates, lists, clones and deletes volumes whose names are hostile', async () => {
    for (const name of HOSTILE) {
      await h.call('storage.volumes.create', { hostId: host, poolUuid, spec: { name, format: 'qcow2', capacity: 2 * 1024 * 1024 } });
    }
    let vols = await h.call('storage.volumes.list', { hostId: host, poolUuid });
    expect(vols.map((v) => v.name).sort()).toEqual([...HOSTILE].sort());
    for (const v of vols) expect(v).toMatchObject({ format: 'qcow2', capacity: String(2 * 1024 * 1024), path: `/default-pool/${v.name}`, usedBy: [] });
    await h.call('storage.volumes.clone', { hostId: host, poolUuid, name: '--double', newName: "clone of it's" });
    vols = await h.call('storage.volumes.list', { hostId: host, poolUuid });
    expect(vols.find((v) => v.name === "clone of it's")).toMatchObject({ capacity: String(2 * 1024 * 1024) });
    for (const name of [...HOSTILE, "clone of it's"]) await h.call('storage.volumes.delete', { hostId: host, poolUuid, name });
    expect(await h.call('storage.volumes.list', { hostId: host, poolUuid })).toEqual([]);
  });

  it('refuses to delete a volume a VM uses unless confirmed, and says which VM', async () => {
    const name = 'used disk.img';
    await h.call('storage.volumes.create', { hostId: host, poolUuid, spec: { name, format: 'raw', capacity: 1024 * 1024 } });
    const xml = `<domain type='test'><name>vm "user"</name><uuid>11111111-2222-4333-8444-000000000001</uuid><memory>65536</memory><os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='/default-pool/${name}'/><target dev='vdb'/></disk></devices></domain>`;
    await h.backend.hosts.get(host).run(['virsh', 'define', '--file', '/dev/stdin'], { stdin: xml });
    const [vol] = (await h.call('storage.volumes.list', { hostId: host, poolUuid })).filter((v) => v.name === name);
    expect(vol!.usedBy).toEqual([{ uuid: '11111111-2222-4333-8444-000000000001', name: 'vm "user"', target: 'vdb' }]);
    await expect(h.call('storage.volumes.delete', { hostId: host, poolUuid, name })).rejects.toMatchObject({ code: 'invalid_args', message: expect.stringContaining('vm "user"') });
    await h.call('storage.volumes.delete', { hostId: host, poolUuid, name, confirmInUse: true });
    expect((await h.call('storage.volumes.list', { hostId: host, poolUuid })).map((v) => v.name)).not.toContain(name);
  });

  it('defines, starts, stops, autostarts and undefines pools with hostile names, by UUID', async () => {
    for (const [i, name] of HOSTILE.entries()) {
      const { uuid } = await h.call('storage.pools.define', { hostId: host, spec: { type: 'dir', name, targetPath: `/vd-pools/p${i}` }, start: true, autostart: true });
      const me = async () => (await h.call('storage.pools.list', { hostId: host })).find((p) => p.uuid === uuid);
      expect(await me()).toMatchObject({ name, state: 'running', autostart: true, targetPath: `/vd-pools/p${i}` });
      await h.call('storage.pools.action', { hostId: host, uuid, action: 'stop' });
      expect(await me()).toMatchObject({ state: 'inactive', capacity: null });
      await h.call('storage.pools.action', { hostId: host, uuid, action: 'noautostart' });
      await h.call('storage.pools.action', { hostId: host, uuid, action: 'undefine' });
      expect(await me()).toBeUndefined();
    }
    expect((await h.call('storage.pools.list', { hostId: host })).map((p) => p.name)).toEqual(['default-pool']);
  });

  it('defines, starts, stops and undefines networks with hostile names; XML edits keep the previous version', async () => {
    for (const [i, name] of HOSTILE.entries()) {
      const { uuid } = await h.call('networks.define', { hostId: host, spec: { name, mode: 'isolated', ipv4: { address: `10.55.${i}.1`, prefix: 24, dhcp: { start: `10.55.${i}.10`, end: `10.55.${i}.20` } } } });
      const me = async () => (await h.call('networks.list', { hostId: host })).find((n) => n.uuid === uuid);
      expect(await me()).toMatchObject({ name, active: true, forwardMode: 'isolated', ips: [{ family: 'ipv4', address: `10.55.${i}.1`, prefix: 24 }] });
      await h.call('networks.action', { hostId: host, uuid, action: 'stop' });
      expect((await me())!.active).toBe(false);
      if (i === 0) {
        const { xml } = await h.call('networks.xml', { hostId: host, uuid });
        const edited = xml.replace('10.55.0.20', '10.55.0.30');
        await h.call('networks.defineXml', { hostId: host, uuid, xml: edited });
        expect((await me())!.ips[0]!.dhcpRanges).toEqual([{ start: '10.55.0.10', end: '10.55.0.30' }]);
        const hist = await h.call('xml.history', { hostId: host, kind: 'network', uuid });
        expect(hist[0]).toMatchObject({ name, xml });
        await expect(h.call('networks.defineXml', { hostId: host, uuid, xml: edited.replace(uuid, randomUUID()) })).rejects.toMatchObject({ code: 'invalid_args' });
        await expect(h.call('networks.defineXml', { hostId: host, uuid, xml: edited.replace('</network>', '') })).rejects.toMatchObject({ message: expect.stringMatching(/not well-formed/) });
      }
      await h.call('networks.action', { hostId: host, uuid, action: 'undefine' });
      expect(await me()).toBeUndefined();
    }
  });

  it('previews exactly the commands an action then runs (the activity log records the same argv and stdin)', async () => {
    const uuid = randomUUID();
    const args = { hostId: host, uuid, spec: { type: 'dir' as const, name: "it's $(x)", targetPath: '/vd/p q' }, start: true, autostart: false };
    const pv = await h.call('commands.preview', { name: 'storage.pools.define', args });
    expect(pv.commands.map((c) => c.argv.slice(3, 5))).toEqual([
      ['pool-define', '--file'],
      ['pool-start', '--pool'],
    ]);
    expect(commandText(pv.commands[0]!)).toMatch(/^virsh -c test:\/\/\/default pool-define --file \/dev\/stdin --validate <<'EOF'\n<pool type='dir'>\n/);
    const before = (await h.call('activity.list', { hostId: host })).at(-1)!.seq;
    await h.call('storage.pools.define', args);
    const ran = (await h.call('activity.list', { hostId: host, afterSeq: before })).filter((e) => e.argv[3] === 'pool-define' || e.argv[3] === 'pool-start');
    // test:/// runs XML through a temp file in its one process; the rest is identical.
    expect(ran.map((e) => e.argv.slice(0, 4))).toEqual(pv.commands.map((c) => c.argv.slice(0, 4)));
    expect(ran[1]!.argv).toEqual(pv.commands[1]!.argv);
    await h.call('storage.pools.action', { hostId: host, uuid, action: 'stop' });
    await h.call('storage.pools.action', { hostId: host, uuid, action: 'undefine' });
    const life = await h.call('commands.preview', { name: 'domains.action', args: { hostId: host, uuids: [uuid], action: 'managedsave' } });
    expect(life.commands).toEqual([{ argv: ['virsh', '-c', 'test:///default', 'managedsave', '--domain', uuid] }]);
    await expect(h.call('commands.preview', { name: 'storage.volumes.create', args: { hostId: host } })).rejects.toMatchObject({ code: 'invalid_args' });
  });

  it('uploads and downloads are refused on the test driver with a clear reason', async () => {
    // Browser mode (this harness) never takes a file of the server's machine: there is no handle to give.
    await expect(h.call('app.chooseFile', { mode: 'open', title: 'x' })).rejects.toMatchObject({ code: 'unsupported' });
    await expect(h.call('storage.volumes.upload', { hostId: host, poolUuid, name: 'x', file: 'A'.repeat(24) })).rejects.toMatchObject({ code: 'unsupported' });
    // The desktop app, with a file really chosen, is refused by the test driver itself.
    const desk = await startHarness({ mode: 'desktop' });
    try {
      await desk.call('hosts.connect', { hostId: host });
      const file = await desk.chooseFile('open', '/etc/hostname');
      await expect(desk.call('storage.volumes.upload', { hostId: host, poolUuid, name: 'x', file })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/test/i) });
    } finally {
      desk.close();
    }
  });

  it('lists host interfaces from libvirt', async () => {
    expect(await h.call('networks.interfaces', { hostId: host })).toEqual({ source: 'libvirt', interfaces: [{ name: 'eth1', type: 'ethernet', active: true, mac: 'aa:bb:cc:dd:ee:ff', addresses: expect.any(Array) }] });
  });
});
