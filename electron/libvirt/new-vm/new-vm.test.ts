import { describe, expect, it } from 'vitest';
import type { NewVmSpec } from '../../../shared/model/newvm';
import type { HostConnection } from '../../hosts/host-connection';
import { parsePvd } from './detect';
import { buildDomainXml, readPhase, toFinal, withPhase, type BuildInput } from './domain-build';
import { parseDomCaps } from './host-facts';
import { builtinDefaults } from './os-builtin';
import { OsCatalogues } from './os-data';
import { parseIndex } from './osinfo-index';
import { virtInstallArgv } from './virt-install';

// Lines as `grep -rsHE INDEX_PATTERN /usr/share/osinfo/os` prints them (osinfo-db 20221203, Debian 12).
const INDEX = [
  '/usr/share/osinfo/os/debian.org/debian-11.xml:  <os id="http://debian.org/debian/11">',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:    <short-id>debian11</short-id>',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:    <name>Debian 11</name>',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:    <version>11</version>',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:    <family>linux</family>',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:    <distro>debian</distro>',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:    <derives-from id="http://debian.org/debian/10"/>',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:    <release-date>2021-08-14</release-date>',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:      <name>Debian 11 (Generic)</name>',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:    <media arch="x86_64">',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:        <volume-id>Debian 11.\\d+.\\d+ amd64 n</volume-id>',
  '/usr/share/osinfo/os/debian.org/debian-11.xml:    </media>',
  '/usr/share/osinfo/os/debian.org/debian-10.xml:  <os id="http://debian.org/debian/10">',
  '/usr/share/osinfo/os/debian.org/debian-10.xml:    <short-id>debian10</short-id>',
  '/usr/share/osinfo/os/debian.org/debian-10.xml:    <name>Debian 10</name>',
  '/usr/share/osinfo/os/debian.org/debian-10.xml:    <family>linux</family>',
  '/usr/share/osinfo/os/debian.org/debian-10.xml:    <distro>debian</distro>',
  '/usr/share/osinfo/os/debian.org/debian-10.xml:    <release-date>2019-07-06</release-date>',
].join('\n');

const FILES: Record<string, string> = {
  '/usr/share/osinfo/os/debian.org/debian-11.xml': `<?xml version="1.0"?><libosinfo><os id="http://debian.org/debian/11"><resources arch="all"><minimum><ram>1073741824</ram></minimum><recommended><ram>2147483648</ram><storage>21474836480</storage></recommended></resources><devices><device id="http://pcisig.com/pci/1af4/1050"/></devices></os></libosinfo>`,
  // debian10 lists the virtio devices debian11 inherits through derives-from.
  '/usr/share/osinfo/os/debian.org/debian-10.xml': `<?xml version="1.0"?><libosinfo><os id="http://debian.org/debian/10"><devices><device id="http://pcisig.com/pci/1af4/1001"/><device id="http://pcisig.com/pci/1af4/1000"/><device id="http://pcisig.com/pci/1af4/1005"/></devices></os></libosinfo>`,
};

/** A host that answers cat/grep like Debian 12 with osinfo-db (or without it: `withDb` false). */
function fakeHost(withDb: boolean): HostConnection {
  return {
    id: withDb ? 'with-db' : 'without-db',
    run: async (argv: readonly string[]) => {
      if (!withDb) return { code: argv[0] === 'sh' ? 2 : 1, stdout: '', stderr: 'No such file or directory' };
      if (argv[0] === 'cat' && argv[1] === '/usr/share/osinfo/VERSION') return { code: 0, stdout: '20221203\n', stderr: '' };
      // The index grep runs behind the sh that adds the host user's own osinfo folder.
      if (argv[0] === 'sh' && argv.includes('-rsHE')) return { code: 0, stdout: INDEX, stderr: '' };
      if (argv[0] === 'cat') return { code: 0, stdout: argv.slice(2).map((f) => FILES[f]).join('\n'), stderr: '' };
      throw new Error(`unexpected ${argv.join(' ')}`);
    },
  } as unknown as HostConnection;
}

describe('OS data', () => {
  it('indexes osinfo-db from grep output: first <name> only, ISO rules inside <media>', () => {
    const [d11, d10] = parseIndex(INDEX);
    expect(d11).toMatchObject({ shortIds: ['debian11'], name: 'Debian 11', distro: 'debian', derivesFrom: 'http://debian.org/debian/10', isoRules: [{ arch: 'x86_64', volumeId: 'Debian 11.\\d+.\\d+ amd64 n', publisherId: null }] });
    expect(d10!.shortIds).toEqual(['debian10']);
  });

  it('follows derives-from for devices, takes recommended RAM, and maps debian12 to the newest Debian with a note', async () => {
    const r = await new OsCatalogues().resolve(fakeHost(true), 'debian12');
    expect(r.note).toBe("debian12 is not in this host's osinfo-db (20221203): using debian11 (Debian 11), the newest of its family.");
    expect(r.defaults).toMatchObject({ id: 'debian11', recMemoryMiB: 2048, minMemoryMiB: 1024, diskBus: 'virtio', nicModel: 'virtio', video: 'virtio', virtioRng: true, balloon: false, q35: true });
  });

  it('without osinfo-db on the host: the built-in families, still working defaults, and the list is never empty', async () => {
    const c = new OsCatalogues();
    const list = await c.list(fakeHost(false), false);
    expect(list.source).toBe('builtin');
    expect(list.os.map((o) => o.id)).toEqual(['generic-linux', 'win11', 'win10', 'generic']);
    const r = await c.resolve(fakeHost(false), 'debian12');
    expect(r.defaults.id).toBe('generic-linux');
    expect(r.note).toMatch(/it has no osinfo-db/);
  });
});

describe('media detection', () => {
  it('reads the volume ID and publisher from a primary volume descriptor (ECMA-119 §8.4)', () => {
    const pvd = Buffer.alloc(2048, 0x20);
    pvd[0] = 1;
    pvd.write('CD001', 1, 'latin1');
    pvd.write('Debian 11.0.0 amd64 n', 40, 'latin1');
    pvd.write('Debian', 318, 'latin1');
    expect(parsePvd(pvd)).toEqual({ volumeId: 'Debian 11.0.0 amd64 n', publisher: 'Debian' });
    expect(parsePvd(Buffer.alloc(2048))).toBeNull();
  });
});

const build = (over: Partial<BuildInput> = {}): BuildInput => ({
  name: `a "b" <c> & 'd'`, uuid: '11111111-2222-4333-8444-555555555555', domainType: 'qemu', arch: 'x86_64', machine: 'q35', q35: true,
  firmware: 'bios', secureBoot: false, memoryMiB: 512, vcpus: 2, cpuMode: null, os: builtinDefaults('generic-linux')!,
  disk: { source: { pool: 'default', volume: 'x.qcow2' }, format: 'qcow2' }, cdrom: { source: { file: '/isos/$(id).iso' } }, kernel: null,
  network: { kind: 'network', network: 'default' }, tpm: false, phase: 'installing', createdVolumes: [{ poolUuid: '11111111-2222-4333-8444-666666666666', name: 'x.qcow2' }],
  ...over,
});

describe('domain XML', () => {
  it('install configuration: CD-ROM on virtio-scsi for Linux on q35, boot cdrom then hd, on_reboot destroy; the final one ejects it', () => {
    const xml = buildDomainXml(build(), 'install');
    expect(xml).toContain('<name>a "b" &lt;c&gt; &amp; \'d\'</name>');
    expect(xml).toContain("<target dev='sda' bus='scsi'/>");
    expect(xml).toContain("<source file='/isos/$(id).iso'/>");
    expect(xml).toContain('<on_reboot>destroy</on_reboot>');
    expect(xml).toMatch(/<boot dev='cdrom'\/>\s*<boot dev='hd'\/>/);
    const final = toFinal(xml);
    expect(final).not.toContain('$(id).iso');
    expect(final).toContain('<on_reboot>restart</on_reboot>');
    expect(final).not.toContain("<boot dev='cdrom'/>");
    expect(readPhase(final)).toEqual({ phase: 'installing', volumes: [{ poolUuid: '11111111-2222-4333-8444-666666666666', name: 'x.qcow2' }] });
    expect(readPhase(withPhase(final, 'done'))!.phase).toBe('done');
  });

  it('Windows: SATA, e1000e, Hyper-V enlightenments, localtime with hypervclock; UEFI without Secure Boot says so', () => {
    const xml = buildDomainXml(build({ os: builtinDefaults('win11')!, firmware: 'efi', tpm: true }), 'install');
    expect(xml).toMatch(/<target dev='sda' bus='sata'\/>[\s\S]*<target dev='sdb' bus='sata'\/>/);
    expect(xml).toContain("<model type='e1000e'/>");
    expect(xml).toContain("<hyperv mode='custom'>");
    expect(xml).toContain("<clock offset='localtime'>");
    expect(xml).toContain("<timer name='hypervclock' present='yes'/>");
    expect(xml).toContain("<os firmware='efi'>");
    expect(xml).toContain("<feature enabled='no' name='secure-boot'/>");
    expect(xml).toContain("<tpm model='tpm-crb'>");
  });

  it('an IDE CD-ROM on pc (no AHCI needed)', () => {
    expect(buildDomainXml(build({ machine: 'pc', q35: false, disk: null }), 'install')).toContain("<target dev='hda' bus='ide'/>");
  });
});

describe('domcapabilities', () => {
  it('firmware per machine: pc has OVMF without Secure Boot only (libvirt 9.0, ovmf 2022.11)', () => {
    const pc = parseDomCaps(`<domainCapabilities><os supported='yes'><enum name='firmware'><value>efi</value></enum><loader supported='yes'><value>/usr/share/OVMF/OVMF_CODE_4M.fd</value><enum name='secure'><value>no</value></enum></loader></os><cpu><mode name='host-passthrough' supported='no'/><mode name='maximum' supported='yes'/></cpu></domainCapabilities>`);
    expect(pc).toMatchObject({ firmware: ['bios', 'efi'], secureBootOn: false, secureBootOff: true, cpuModes: ['maximum'] });
  });
});

describe('virt-install line', () => {
  it('doubles commas inside values and keeps hostile names as one argument', () => {
    const spec = { name: '--x, y', source: { kind: 'iso', iso: { type: 'path', path: '/a,b.iso' } }, storage: { kind: 'new', poolUuid: '11111111-2222-4333-8444-666666666666', sizeBytes: 2 * 1024 ** 3, format: 'qcow2', preallocation: 'none' }, network: { kind: 'user' }, autostart: true, customize: false } as unknown as NewVmSpec;
    const argv = virtInstallArgv('qemu:///system', spec, build({ name: '--x, y', cdrom: { source: { file: '/a,b.iso' } } }), 'debian11');
    expect(argv.slice(3, 5)).toEqual(['--name', '--x, y']);
    expect(argv).toContain('path=/a,,b.iso,device=cdrom,bus=scsi');
    expect(argv).toContain('vol=default/x.qcow2,size=2,format=qcow2,bus=virtio');
    expect(argv).toContain('--autostart');
  });
});
