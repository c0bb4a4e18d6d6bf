import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outsideChange, startHarness, type Harness } from '../../e2e/support/backend-harness';
import { resetGuest, testHost } from '../../e2e/support/test-host';

/** Names a user may give a VM; each must reach exactly its own VM (libvirt refuses '/'). */
const HOSTILE = ["it's", 'say "hi"', '$(touch virtdeck-pwned)', '`id`', 'a;b|c', 'tab\there', '日本語 ünï', '-leading-dash', 'a#b'];

function domainXml(name: string, uuid: string): string {
  const esc = name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return `<domain type='test'><name>${esc}</name><uuid>${uuid}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`;
}

describe('backend on the test driver (test:///default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('offers the demo host on first start and lists its VM with its state', async () => {
    const hosts = await h.call('hosts.list', {});
    expect(hosts.map((x) => x.config.uri)).toContain('test:///default');
    await h.call('hosts.connect', { hostId: 'demo' });
    const doms = await h.call('domains.list', { hostId: 'demo' });
    expect(doms).toEqual([expect.objectContaining({ name: 'test', state: 'running', persistent: true })]);
  });

  it('force-off and start reach the VM and the list follows', async () => {
    const [vm] = await h.call('domains.list', { hostId: 'demo' });
    const changed = h.next('domains.changed', (p) => p.hostId === 'demo');
    expect(await h.call('domains.action', { hostId: 'demo', uuids: [vm!.uuid], action: 'destroy' })).toEqual([{ uuid: vm!.uuid, ok: true }]);
    await changed;
    expect((await h.call('domains.list', { hostId: 'demo' }))[0]!.state).toBe('shutoff');
    await h.call('domains.action', { hostId: 'demo', uuids: [vm!.uuid], action: 'start' });
    expect((await h.call('domains.list', { hostId: 'demo' }))[0]!.state).toBe('running');
  });

  it("an unknown VM fails with libvirt's own message, the others still run", async () => {
    const [vm] = await h.call('domains.list', { hostId: 'demo' });
    const res = await h.call('domains.action', { hostId: 'demo', uuids: ['00000000-0000-0000-0000-00000000beef', vm!.uuid], action: 'suspend' });
    expect(res[0]).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(res[0]!.error!.message).toMatch(/00000000-0000-0000-0000-00000000beef/);
    expect(res[1]).toEqual({ uuid: vm!.uuid, ok: true });
    await h.call('domains.action', { hostId: 'demo', uuids: [vm!.uuid], action: 'resume' });
  });

  it('every hostile name lists exactly and its actions reach exactly that VM', async () => {
    const host = h.backend.hosts.get('demo');
    const dir = mkdtempSync(join(tmpdir(), 'vd-hostile-'));
    const uuids = HOSTILE.map((_, i) => `6695eb01-f6a4-8304-79aa-0000000000${String(i).padStart(2, '0')}`);
    for (const [i, name] of HOSTILE.entries()) {
      const file = join(dir, `d${i}.xml`);
      writeFileSync(file, domainXml(name, uuids[i]!));
      await host.run(['virsh', 'define', '--file', file]);
    }
    const listed = await h.call('domains.list', { hostId: 'demo' });
    for (const [i, name] of HOSTILE.entries()) expect(listed.find((d) => d.uuid === uuids[i])?.name).toBe(name);
    for (const [i] of HOSTILE.entries()) {
      await h.call('domains.action', { hostId: 'demo', uuids: [uuids[i]!], action: 'start' });
      const now = await h.call('domains.list', { hostId: 'demo' });
      const running = now.filter((d) => uuids.includes(d.uuid) && d.state === 'running').map((d) => d.uuid);
      expect(running).toEqual([uuids[i]]);
      await h.call('domains.action', { hostId: 'demo', uuids: [uuids[i]!], action: 'destroy' });
    }
  });

  it('refuses malformed requests with invalid_args and records every command', async () => {
    expect(await h.backend.handle('domains.action', { hostId: 'demo', uuids: ['not-a-uuid'], action: 'start' })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await h.backend.handle('no.such.request', {})).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await h.backend.handle('hosts.save', { connection: { name: 'x', uri: 'qemu+tls://h/system' } })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    const log = await h.call('activity.list', { hostId: 'demo' });
    const start = log.find((e) => e.argv.includes('start'));
    expect(start).toMatchObject({ outcome: 'ok', argv: ['virsh', '-c', 'test:///default', 'start', '--domain', expect.any(String)] });
    expect(log.some((e) => e.outcome === 'error' && /beef/.test(e.error ?? ''))).toBe(true);
  });
});

describe('backend on the real local host (qemu:///system)', () => {
  let h: Harness;
  const guest = testHost().GUEST_NAME;
  beforeAll(async () => {
    resetGuest(testHost());
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists the test guest, starts it and forces it off', async () => {
    await h.call('hosts.connect', { hostId: 'local-system' });
    const find = async () => (await h.call('domains.list', { hostId: 'local-system' })).find((d) => d.name === guest);
    const vm = await find();
    expect(vm).toMatchObject({ name: guest, state: 'shutoff', persistent: true });
    expect(await h.call('domains.action', { hostId: 'local-system', uuids: [vm!.uuid], action: 'start' })).toEqual([{ uuid: vm!.uuid, ok: true }]);
    expect((await find())!.state).toBe('running');
    // A change made outside Virtdeck arrives (by the event stream, or a tick's resync).
    expect((await outsideChange(h, 'local-system', ['suspend', guest])).ms).toBeLessThan(2000);
    expect((await find())!.state).toBe('paused');
    await h.call('domains.action', { hostId: 'local-system', uuids: [vm!.uuid], action: 'destroy' });
    expect((await find())!.state).toBe('shutoff');
  });

  it('a change the event stream never reports is caught by the next stats tick', async () => {
    const find = async () => (await h.call('domains.list', { hostId: 'local-system' })).find((d) => d.name === guest);
    const vm = await find();
    const started = h.next('domains.changed', (p) => p.cause === 'event', 10_000);
    await h.call('domains.action', { hostId: 'local-system', uuids: [vm!.uuid], action: 'start' });
    await started; // libvirt's own events of that start, which arrive after the action returned
    await new Promise((r) => setTimeout(r, 500));
    // Our own `virsh event --all --loop` (a grandchild of this process, behind its
    // connection-bound wrapper) is frozen: alive, but silent, as when libvirtd stops delivering events.
    const children = (ppid: number) =>
      spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(ppid)], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.trim());
    const wrappers = children(process.pid).filter((l) => l.includes(' event --all --loop'));
    const watcher = wrappers
      .flatMap((w) => children(Number(w.trim().split(/\s+/)[0])))
      .find((l) => /^\s*\d+ virsh .* event --all --loop/.test(l));
    const pid = Number(watcher?.trim().split(/\s+/)[0]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGSTOP');
    try {
      const change = await outsideChange(h, 'local-system', ['suspend', guest]);
      expect(change.cause).toBe('resync');
      expect(change.ms).toBeLessThan(5000); // one tick (1 s) and the refetch, with room for a slow machine
      expect((await find())!.state).toBe('paused');
      const gone = await outsideChange(h, 'local-system', ['destroy', guest]);
      expect(gone.cause).toBe('resync');
      expect((await find())!.state).toBe('shutoff');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });
});
