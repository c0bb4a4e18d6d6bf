/**
 * The network install and PXE sources in the domain XML and in the fetch steps: PXE boots the
 * network then the disk during the install phase only; the fetched kernel volumes are marked
 * install-only in <metadata> (removed when the phase ends); the host fetch runs as shown.
 */
import { describe, expect, it } from 'vitest';
import { buildDomainXml, readPhase, toFinal, type BuildInput } from './domain-build';
import { downloadArgv, hostFetchSteps, virtdeckFetchSteps, type FetchTarget } from './fetch-to-host';
import { builtinDefaults } from './os-builtin';

const build = (over: Partial<BuildInput> = {}): BuildInput => ({
  name: 'vm', uuid: '11111111-2222-4333-8444-555555555555', domainType: 'qemu', arch: 'x86_64', machine: 'pc', q35: false,
  firmware: 'bios', secureBoot: false, memoryMiB: 512, vcpus: 1, cpuMode: null, os: builtinDefaults('generic-linux')!,
  disk: { source: { pool: 'default', volume: 'x.qcow2' }, format: 'qcow2' }, cdrom: null, kernel: null,
  network: { kind: 'network', network: 'pxe' }, tpm: false, phase: 'installing', createdVolumes: [],
  ...over,
});
const P = '11111111-2222-4333-8444-666666666666';

describe('PXE and network install in the domain XML', () => {
  it('PXE: the install configuration boots the network, then the disk; the final one only the disk', () => {
    const xml = buildDomainXml(build({ pxe: true }), 'install');
    expect(xml).toMatch(/<boot dev='network'\/>\s*<boot dev='hd'\/>/);
    expect(xml).toContain('<on_reboot>destroy</on_reboot>');
    const fin = toFinal(xml);
    expect(fin).not.toContain("dev='network'");
    expect(fin).toContain("<boot dev='hd'/>");
    expect(fin).toContain('<on_reboot>restart</on_reboot>');
  });

  it('the fetched kernel and initrd are install-only volumes in <metadata>, the disk is not', () => {
    const vols = [{ poolUuid: P, name: 'x.qcow2' }, { poolUuid: P, name: 'vm.install-kernel', installOnly: true }];
    const xml = buildDomainXml(build({ kernel: { kernel: '/p/vm.install-kernel', initrd: '/p/vm.install-initrd', cmdline: 'console=ttyS0' }, createdVolumes: vols }), 'install');
    expect(xml).toContain('<kernel>/p/vm.install-kernel</kernel>');
    expect(readPhase(xml)!.volumes).toEqual(vols);
    expect(readPhase(toFinal(xml))!.volumes).toEqual(vols);
  });
});

describe('fetch steps', () => {
  const t = (role: 'kernel' | 'initrd', sha: string | null): FetchTarget => ({ image: { url: `http://m/t/${role}?a=$(id)`, path: role, sha256: sha }, role, poolUuid: P, volume: `vm ${role}` });

  it('by the host: private folder, downloads, sha256sum --check of both, volumes, cleanup', () => {
    const steps = hostFetchSteps('curl', [t('kernel', 'a'.repeat(64)), t('initrd', 'b'.repeat(64))], '/tmp/virtdeck-tree-U');
    expect(steps.map((s) => s.step.argv[0])).toEqual(['rm', 'mkdir', 'curl', 'curl', 'sha256sum', 'vol-create-as', 'vol-upload', 'vol-create-as', 'vol-upload', 'pool-refresh', 'rm']);
    expect(steps[0]!.step.argv).toEqual(['rm', '-rf', '--', '/tmp/virtdeck-tree-U']);
    expect(steps[1]!.step.argv).toEqual(['mkdir', '-m', '700', '--', '/tmp/virtdeck-tree-U']);
    expect(steps[1]!.undo!.argv).toEqual(['rm', '-rf', '--', '/tmp/virtdeck-tree-U']);
    expect(steps[2]!.step.argv).toEqual(downloadArgv('curl', 'http://m/t/kernel?a=$(id)', '/tmp/virtdeck-tree-U/kernel'));
    expect(steps[4]!.step.stdin).toBe(`${'a'.repeat(64)}  /tmp/virtdeck-tree-U/kernel\n${'b'.repeat(64)}  /tmp/virtdeck-tree-U/initrd\n`);
    expect(steps[5]!.step.argv).toEqual(['vol-create-as', '--pool', P, '--name', 'vm kernel', '--capacity', '0', '--allocation', '0', '--format', 'raw']);
    expect(steps[5]!.undo!.argv).toEqual(['vol-delete', '--pool', P, '--vol', 'vm kernel']);
    expect(steps[6]!.step.argv).toEqual(['vol-upload', '--pool', P, '--vol', 'vm kernel', '--file', '/tmp/virtdeck-tree-U/kernel']);
  });

  it('without checksums there is no check step; wget takes the URL after --', () => {
    const steps = hostFetchSteps('wget', [t('kernel', null), t('initrd', null)], '/tmp/d');
    expect(steps.some((s) => s.step.argv[0] === 'sha256sum')).toBe(false);
    expect(steps[2]!.step.argv).toEqual(['wget', '-q', '--timeout=30', '-O', '/tmp/d/kernel', '--', 'http://m/t/kernel?a=$(id)']);
  });

  it('by Virtdeck: the preview shows each upload from its URL', () => {
    const steps = virtdeckFetchSteps([t('kernel', null), t('initrd', null)]);
    expect(steps.map((s) => s.step.argv[0])).toEqual(['vol-create-as', 'vol-upload', 'vol-create-as', 'vol-upload', 'pool-refresh']);
    expect(steps[1]!.step).toMatchObject({ argv: ['vol-upload', '--pool', P, '--vol', 'vm kernel', '--file', '/dev/stdin'], stdinFile: 'http://m/t/kernel?a=$(id)' });
  });
});
