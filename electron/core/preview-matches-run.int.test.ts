// "Show command" cannot drift from what runs: for lifecycle requests on the demo host
// (test:///default), the lines commands.preview returns are exactly the commands the activity
// log then records when the request itself runs (the recorder sits on the host connection).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';

describe('previewed lifecycle commands are the ones that run (test driver)', () => {
  let h: Harness;
  const HOSTILE = ["vd-sc it's \"q\" $(id)", '--vd-sc-dash'];

  beforeAll(async () => {
    h = await startHarness();
    await h.call('hosts.connect', { hostId: 'demo' });
    // Two more VMs with hostile names, so the selection has one line per VM.
    const dir = mkdtempSync(join(tmpdir(), 'vd-sc-preview-'));
    for (const [i, name] of HOSTILE.entries()) {
      const esc = name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
      const file = join(dir, `d${i}.xml`);
      writeFileSync(file, `<domain type='test'><name>${esc}</name><uuid>00000000-0000-4000-8000-0000000005c${i}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`);
      await h.backend.hosts.get('demo').run(['virsh', 'define', '--file', file]);
      await h.backend.hosts.get('demo').run(['virsh', 'start', '--domain', name]);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => h.close());

  /** The virsh commands the activity log recorded after `afterSeq`, skipping read-only queries the UI's list refresh may run. */
  const ranSince = async (afterSeq: number, verbs: string[]) =>
    (await h.call('activity.list', { afterSeq, hostId: 'demo' })).filter((e) => verbs.includes(e.argv[3] ?? '')).map((e) => e.argv);
  const lastSeq = async () => (await h.call('activity.list', { hostId: 'demo' })).at(-1)?.seq ?? 0;

  it('domains.action on a selection: one line per VM, the same argv that then runs', async () => {
    const vms = await h.call('domains.list', { hostId: 'demo' });
    expect(vms).toHaveLength(3);
    const args = { hostId: 'demo', uuids: vms.map((v) => v.uuid), action: 'suspend' as const };
    const preview = await h.call('commands.preview', { name: 'domains.action', args });
    expect(preview.commands.map((c) => c.argv)).toEqual(vms.map((v) => ['virsh', '-c', 'test:///default', 'suspend', '--domain', v.uuid]));
    const seq = await lastSeq();
    await h.call('domains.action', args);
    expect(await ranSince(seq, ['suspend'])).toEqual(preview.commands.map((c) => c.argv));
    await h.call('domains.action', { ...args, action: 'resume' });
  });

  it('domains.delete: destroy (it runs), undefine with the flags this driver takes', async () => {
    const [vm] = await h.call('domains.list', { hostId: 'demo' });
    const args = { hostId: 'demo', uuid: vm!.uuid, deleteSources: [] };
    const preview = await h.call('commands.preview', { name: 'domains.delete', args });
    const seq = await lastSeq();
    await h.call('domains.delete', args);
    expect(await ranSince(seq, ['destroy', 'undefine'])).toEqual(preview.commands.map((c) => c.argv));
    expect(preview.commands.map((c) => c.argv[3])).toEqual(['destroy', 'undefine']);
  });
});
