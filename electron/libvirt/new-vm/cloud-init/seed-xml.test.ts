/** The seed drive in the domain XML: first boot only, removed (not just ejected) by the final configuration. */
import { describe, expect, it } from 'vitest';
import { buildDomainXml, readPhase, SEED_ALIAS, toFinal, type BuildInput } from '../domain-build';
import { builtinDefaults } from '../os-builtin';

const POOL = '11111111-2222-4333-8444-666666666666';
const build = (q35: boolean): BuildInput => ({
  name: 'c', uuid: '11111111-2222-4333-8444-555555555555', domainType: 'qemu', arch: 'x86_64', machine: q35 ? 'q35' : 'pc', q35,
  firmware: 'bios', secureBoot: false, memoryMiB: 256, vcpus: 1, cpuMode: null, os: builtinDefaults('generic-linux')!,
  disk: { source: { pool: 'p', volume: 'c.qcow2' }, format: 'qcow2' }, cdrom: { source: { pool: 'p', volume: 'c-cidata.iso' }, seed: true }, kernel: null,
  network: { kind: 'none' }, tpm: false, phase: 'installing',
  createdVolumes: [{ poolUuid: POOL, name: 'c.qcow2' }, { poolUuid: POOL, name: 'c-cidata.iso', installOnly: true }],
});

describe('cloud-init seed drive', () => {
  it('pc: IDE CD-ROM with the seed alias, boots the disk (the seed is not bootable), on_reboot destroy', () => {
    const xml = buildDomainXml(build(false), 'install');
    expect(xml).toMatch(/<disk type='volume' device='cdrom'>[\s\S]*<source pool='p' volume='c-cidata.iso'\/>[\s\S]*<target dev='hda' bus='ide'\/>[\s\S]*<alias name='ua-virtdeck-cidata'\/>/);
    expect(xml).not.toContain("<boot dev='cdrom'/>");
    expect(xml).toContain("<boot dev='hd'/>");
    expect(xml).toContain('<on_reboot>destroy</on_reboot>');
    expect(readPhase(xml)!.volumes).toEqual([{ poolUuid: POOL, name: 'c.qcow2' }, { poolUuid: POOL, name: 'c-cidata.iso', installOnly: true }]);
  });

  it('q35: virtio-scsi (the test kernel has no AHCI); the final configuration has no seed drive at all', () => {
    const xml = buildDomainXml(build(true), 'install');
    expect(xml).toContain("<target dev='sda' bus='scsi'/>");
    const final = toFinal(xml);
    expect(final).not.toContain(SEED_ALIAS);
    expect(final).not.toContain("device='cdrom'");
    expect(final).toContain("<source pool='p' volume='c.qcow2'/>");
    expect(final).toContain('<on_reboot>restart</on_reboot>');
    // The metadata still names the seed volume: the phase tracker deletes it when the first boot ends.
    expect(readPhase(final)!.volumes[1]).toEqual({ poolUuid: POOL, name: 'c-cidata.iso', installOnly: true });
  });
});
