/**
 * The long-lived virsh session against the real local libvirtd, for what the test driver cannot
 * show reliably: a job command (managedsave) in the middle of a pipeline. On the test driver
 * virsh 9's job watcher can miss a job that ends at once and hang for good (README); a real
 * guest's save takes long enough that it never does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetGuest, testHost } from '../../e2e/support/test-host';
import { virshArgv } from '../hosts/host-connection';
import { LocalTransport } from '../hosts/transport/local-transport';
import { VirshSession } from './session';

describe('the long-lived virsh session on qemu:///system', () => {
  const th = testHost();
  const transport = new LocalTransport();
  let session: VirshSession;
  beforeAll(() => {
    resetGuest(th);
    session = new VirshSession(() => transport.spawn(virshArgv('qemu:///system', '-q')));
  });
  afterAll(() => {
    session.close();
    resetGuest(th);
  });

  it('a save job in the middle of a pipeline: every command gets its own result, in order, and Start restores the save', async () => {
    await session.run(['start', '--domain', th.GUEST_NAME]);
    const results = await Promise.all([
      session.run(['managedsave', '--domain', th.GUEST_NAME]),
      session.run(['domstate', '--domain', th.GUEST_NAME]),
      session.run(['start', '--domain', th.GUEST_NAME]),
      session.run(['domstate', '--domain', th.GUEST_NAME]),
    ]);
    // -q keeps virsh quiet on success; the second start restored the saved image.
    expect(results.map((r) => r.stdout.trim())).toEqual(['', 'shut off', '', 'running']);
    expect((await session.run(['list', '--all', '--name', '--with-managed-save'])).stdout).not.toContain(th.GUEST_NAME);
  });
});
