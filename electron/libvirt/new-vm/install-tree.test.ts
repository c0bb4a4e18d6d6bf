/**
 * Reading install trees as virt-install does: Debian's MANIFEST + SHA256SUMS and RHEL-style
 * .treeinfo (productmd 1.2 layout, as in RHEL 8 BaseOS trees), and the http warning.
 */
import { describe, expect, it } from 'vitest';
import { debianArch, debianLayout, parseIni, parseSha256Sums, treeinfoLayout, treeWarnings, withSha256Sums } from './install-tree';

const URL = 'http://deb.debian.org/debian/dists/bookworm/main/installer-amd64/';
// Excerpt of Debian 12's installer-amd64/current/images/MANIFEST ("path -- description").
const MANIFEST = [
  'cdrom/debian-cd_info.tar.gz -- isolinux config files for CD',
  'cdrom/gtk/initrd.gz -- initrd for use with isolinux to build a CD (graphical)',
  'netboot/debian-installer/amd64/initrd.gz -- initrd for use with pxelinux.0',
  'netboot/debian-installer/amd64/linux -- kernel for use with pxelinux.0',
  'netboot/netboot.tar.gz -- tarball of PXE boot files',
].join('\n');
const K = 'a'.repeat(64);
const I = 'B'.repeat(64);

describe('Debian/Ubuntu trees (MANIFEST)', () => {
  it('finds the netboot kernel and initrd listed in MANIFEST and names the release from the URL', () => {
    const l = debianLayout(URL, 'current/images/', MANIFEST, 'x86_64')!;
    expect(l).toMatchObject({ family: 'debian', osId: 'debian12', osName: 'Debian 12 (bookworm)' });
    expect(l.kernel).toEqual({ url: `${URL}current/images/netboot/debian-installer/amd64/linux`, path: 'netboot/debian-installer/amd64/linux', sha256: null });
    expect(l.initrd.url).toBe(`${URL}current/images/netboot/debian-installer/amd64/initrd.gz`);
  });

  it('refuses a MANIFEST that is not a Debian installer’s, or lacks the netboot files for the arch', () => {
    expect(debianLayout(URL, 'current/images/', 'some/file -- something else', 'x86_64')).toBeNull();
    expect(debianLayout('http://m/debian/dists/bookworm/main/installer-arm64/', 'current/images/', MANIFEST, 'aarch64')).toBeNull();
  });

  it('takes the arch from the URL first (virt-install’s _find_treearch), else from the host', () => {
    expect(debianArch('http://m/debian/dists/sid/main/installer-i386', 'x86_64')).toBe('i386');
    expect(debianArch('https://d-i.debian.org/daily-images/arm64/', 'x86_64')).toBe('arm64');
    expect(debianArch('http://mirror/tree/', 'aarch64')).toBe('arm64');
  });

  it('reads SHA256SUMS ("./" and binary "*" forms) and attaches the sums to kernel and initrd', () => {
    const sums = parseSha256Sums(`${K}  ./netboot/debian-installer/amd64/linux\n${I} *./netboot/debian-installer/amd64/initrd.gz\nnot a line\n`);
    expect(sums.get('netboot/debian-installer/amd64/initrd.gz')).toBe('b'.repeat(64));
    const l = withSha256Sums(debianLayout(URL, 'current/images/', MANIFEST, 'x86_64')!, `${URL}current/images/SHA256SUMS`, sums);
    expect([l.kernel.sha256, l.initrd.sha256]).toEqual([K, 'b'.repeat(64)]);
    expect(treeWarnings(l)).toEqual([]);
  });

  it('warns about a kernel over plain http without checksums, less loudly over https', () => {
    const l = debianLayout(URL, 'current/images/', MANIFEST, 'x86_64')!;
    expect(treeWarnings(l)[0]).toMatch(/plain http .* no checksum for netboot\/debian-installer\/amd64\/linux and .*initrd\.gz/);
    const s = debianLayout(URL.replace('http:', 'https:'), 'current/images/', MANIFEST, 'x86_64')!;
    expect(treeWarnings(s)[0]).toMatch(/unverified \(over https\)/);
  });
});

// RHEL 8 BaseOS kickstart tree's .treeinfo (productmd 1.2), with a [checksums] section as composes have.
const TREEINFO = `[checksums]
images/efiboot.img = sha256:${'1'.repeat(64)}
images/pxeboot/initrd.img = sha256:${'2'.repeat(64)}
images/pxeboot/vmlinuz = sha256:${'3'.repeat(64)}

[general]
; WARNING.0 = This section provides compatibility with pre-productmd treeinfos.
arch = x86_64
family = Red Hat Enterprise Linux
name = Red Hat Enterprise Linux 8.2
version = 8.2

[header]
type = productmd.treeinfo
version = 1.2

[images-x86_64]
efiboot.img = images/efiboot.img
initrd = images/pxeboot/initrd.img
kernel = images/pxeboot/vmlinuz

[release]
name = Red Hat Enterprise Linux
short = RHEL
version = 8.2
`;

describe('RHEL-style trees (.treeinfo)', () => {
  it('finds kernel, initrd and their sha256 checksums, and the OS', () => {
    const l = treeinfoLayout('https://mirror/rhel8/BaseOS/x86_64/os', TREEINFO, 'x86_64')!;
    expect(l).toMatchObject({ family: 'treeinfo', osName: 'Red Hat Enterprise Linux 8.2', osId: 'rhel8.2', checksumsUrl: 'https://mirror/rhel8/BaseOS/x86_64/os/.treeinfo' });
    expect(l.kernel).toEqual({ url: 'https://mirror/rhel8/BaseOS/x86_64/os/images/pxeboot/vmlinuz', path: 'images/pxeboot/vmlinuz', sha256: '3'.repeat(64) });
    expect(l.initrd.sha256).toBe('2'.repeat(64));
  });

  it('has nothing for another arch, and refuses paths leaving the tree', () => {
    expect(treeinfoLayout('https://m/os/', TREEINFO, 'aarch64')).toBeNull();
    expect(treeinfoLayout('https://m/os/', TREEINFO.replace('kernel = images/pxeboot/vmlinuz', 'kernel = ../../etc/passwd'), 'x86_64')).toBeNull();
    expect(treeinfoLayout('https://m/os/', TREEINFO.replace('kernel = images/pxeboot/vmlinuz', 'kernel = http://evil/vmlinuz'), 'x86_64')).toBeNull();
  });

  it('maps Fedora and CentOS Stream names to osinfo ids', () => {
    const fedora = '[release]\nname = Fedora\nversion = 39\n[images-x86_64]\nkernel = images/pxeboot/vmlinuz\ninitrd = images/pxeboot/initrd.img\n';
    expect(treeinfoLayout('https://m/f/', fedora, 'x86_64')).toMatchObject({ osId: 'fedora39', osName: 'Fedora 39' });
    expect(treeinfoLayout('https://m/c/', fedora.replace('Fedora', 'CentOS Stream').replace('39', '9'), 'x86_64')!.osId).toBe('centos-stream9');
    expect(parseIni('[a]\nKey = v = w\n# c\n').get('a')!.get('key')).toBe('v = w');
  });
});
