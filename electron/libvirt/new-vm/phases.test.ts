/**
 * The install phase tracker when another Virtdeck on the same host ended the phase first (two
 * backends on one libvirtd, seen in the tests): no endless tracking, install-only volumes removed.
 */
import { describe, expect, it } from 'vitest';
import type { HostConnection } from '../../hosts/host-connection';
import { buildDomainXml, toFinal, withPhase, type BuildInput } from './domain-build';
import { builtinDefaults } from './os-builtin';
import { InstallPhases } from './phases';

const UUID = '11111111-2222-4333-8444-555555555555';
const POOL = '11111111-2222-4333-8444-666666666666';
const b: BuildInput = {
  name: 'vm', uuid: UUID, domainType: 'qemu', arch: 'x86_64', machine: 'pc', q35: false, firmware: 'bios', secureBoot: false, memoryMiB: 256, vcpus: 1,
  cpuMode: null, os: builtinDefaults('generic-linux')!, disk: null, cdrom: null, kernel: { kernel: '/p/vm.install-kernel', cmdline: '' },
  network: { kind: 'none' }, tpm: false, phase: 'installing', createdVolumes: [{ poolUuid: POOL, name: 'vm.install-kernel', installOnly: true }],
};

function host(state: string, persistent: string, calls: string[]): HostConnection {
  return {
    run: async (argv: readonly string[]) => {
      calls.push(argv.slice(1).join(' '));
      if (argv[1] === 'domstate') return { code: 0, stdout: `${state}\n`, stderr: '' };
      if (argv[1] === 'dumpxml') return { code: 0, stdout: persistent, stderr: '' };
      if (argv[1] === 'vol-delete') return { code: 0, stdout: '', stderr: '' };
      throw new Error(`unexpected ${argv.join(' ')}`);
    },
  } as unknown as HostConnection;
}

describe('install phase ended by another Virtdeck', () => {
  const final = withPhase(toFinal(buildDomainXml(b, 'install')), 'done');

  it('running on a definition that says done: stop tracking, delete the install-only volumes, tell', async () => {
    const calls: string[] = [];
    const events: string[] = [];
    const phases = new InstallPhases(() => host('running', final, calls), { phase: (_h, _u, name, phase, msg) => events.push(`${name} ${phase} ${msg}`) });
    phases.track('h', { uuid: UUID, name: 'vm', phase: 'installing' });
    await phases.check('h');
    expect(calls).toContain(`vol-delete --pool ${POOL} --vol vm.install-kernel`);
    expect(calls.some((c) => c.startsWith('start'))).toBe(false);
    expect(events).toEqual([expect.stringMatching(/^vm done The installation ended: .* Removed the install volumes “vm.install-kernel”\.$/)]);
    // No longer tracked: the next check asks nothing.
    calls.length = 0;
    await phases.check('h');
    expect(calls).toEqual([]);
  });

  it('still installing (its definition says so): keeps tracking, deletes nothing', async () => {
    const calls: string[] = [];
    const installing = toFinal(buildDomainXml(b, 'install'));
    const phases = new InstallPhases(() => host('running', installing, calls), { phase: () => undefined });
    phases.track('h', { uuid: UUID, name: 'vm', phase: 'installing' });
    await phases.check('h');
    expect(calls.some((c) => c.startsWith('vol-delete'))).toBe(false);
  });
});
