// Pool and network event streams over SSH: plain virsh acts OUTSIDE the app, and the app's
// `pool-event`/`net-event` watchers (on the host's one SSH connection) turn that into
// storage.changed / networks.changed invalidations. Nothing polls storage or networks, so every
// invalidation seen here came through a watcher.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import { startHarness, type Harness, connectOverSsh } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';

const virsh = (...a: string[]) => {
  const r = spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`virsh ${a.join(' ')}: ${r.stderr}`);
};
const quiet = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a]);
const POOL = `vd-test-sc pool 'ev' "x": y`;
const NET = 'vd-test-sc-ev net';

describe('pool and network events over SSH invalidate the views (no polling)', () => {
  const th = testHost();
  let h: Harness;
  let id: string;
  let work = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vd-sc-events-'));
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    id = await connectOverSsh(h, th);
  });
  afterAll(() => {
    h?.close();
    quiet('pool-destroy', POOL);
    quiet('pool-undefine', POOL);
    quiet('net-destroy', NET);
    quiet('net-undefine', NET);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runs `act` and resolves with the ms until `name` arrives for our host. */
  const timed = async (name: Extract<EventName, 'storage.changed' | 'networks.changed'>, act: () => void, timeoutMs = 20_000) => {
    const arrived = h.next(name, (p) => p.hostId === id, timeoutMs);
    act(); // spawnSync: the event loop (and so the event) waits until the outside virsh returned
    const t0 = Date.now();
    await arrived;
    return Date.now() - t0;
  };

  /**
   * The watchers start right after connecting; an event before they registered is simply not
   * seen. So the first action is repeated until one arrives (a loaded machine can be slow).
   */
  const untilWatching = async (name: 'storage.changed' | 'networks.changed', on: () => void, off: () => void) => {
    for (let i = 0; ; i++) {
      try {
        return await timed(name, on, 4000);
      } catch (e) {
        if (i >= 7) throw e;
        off();
      }
    }
  };

  it('a pool defined, started, stopped and undefined with plain virsh', async () => {
    const xml = join(work, 'pool.xml');
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
    writeFileSync(xml, `<pool type='dir'><name>${esc(POOL)}</name><target><path>${join(work, 'pool')}</path></target></pool>`);
    const delays = [
      await untilWatching('storage.changed', () => virsh('pool-define', '--file', xml), () => quiet('pool-undefine', POOL)),
      await timed('storage.changed', () => virsh('pool-build', '--pool', POOL)), // "Created"
      await timed('storage.changed', () => virsh('pool-start', '--pool', POOL)),
    ];
    expect((await h.call('storage.pools.list', { hostId: id })).find((p) => p.name === POOL)?.state).toBe('running');
    delays.push(await timed('storage.changed', () => virsh('pool-destroy', '--pool', POOL)));
    delays.push(await timed('storage.changed', () => virsh('pool-undefine', '--pool', POOL)));
    expect((await h.call('storage.pools.list', { hostId: id })).some((p) => p.name === POOL)).toBe(false);
    console.log(`pool event → storage.changed after the outside virsh returned, ms: ${delays.join(', ')}`);
  });

  it('a network defined, started, stopped and undefined with plain virsh', async () => {
    const xml = join(work, 'net.xml');
    writeFileSync(xml, `<network><name>${NET}</name><bridge name='vdscev0'/><ip address='10.79.1.1' prefix='24'/></network>`);
    const delays = [
      await untilWatching('networks.changed', () => virsh('net-define', '--file', xml), () => quiet('net-undefine', NET)),
      await timed('networks.changed', () => virsh('net-start', '--network', NET)),
    ];
    expect((await h.call('networks.list', { hostId: id })).find((n) => n.name === NET)?.active).toBe(true);
    delays.push(await timed('networks.changed', () => virsh('net-destroy', '--network', NET)));
    delays.push(await timed('networks.changed', () => virsh('net-undefine', '--network', NET)));
    console.log(`network event → networks.changed, ms: ${delays.join(', ')}`);
  });
});
