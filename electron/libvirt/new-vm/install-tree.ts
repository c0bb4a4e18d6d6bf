/**
 * Network install trees, read as virt-install reads them (virtinst/install/urldetect.py):
 *  - Debian/Ubuntu mirrors: `current/images/MANIFEST` (or `current/legacy-images/`, `daily/`)
 *    names the netboot kernel `netboot/<debian|ubuntu>-installer/<arch>/linux` and `initrd.gz`;
 *    `SHA256SUMS` beside MANIFEST lists them as `<hex>  ./netboot/…`.
 *  - RHEL-style trees (Fedora, CentOS, Rocky…): `.treeinfo` (INI) with `[images-<arch>]`
 *    kernel/initrd paths, `[release]`/`[general]` name and version, and `[checksums]`
 *    (`path = sha256:<hex>`). Format: https://release-engineering.github.io/productmd/treeinfo-1.0.html
 * Everything here is pure: the caller fetches the small files (fetch-to-host.ts).
 */

export interface TreeImage {
  /** Absolute URL. */
  url: string;
  /** Path inside the tree, as the checksum file names it. */
  path: string;
  /** Expected SHA-256 (lowercase hex), null when the tree has no checksum for it. */
  sha256: string | null;
}

export interface TreeLayout {
  family: 'debian' | 'ubuntu' | 'treeinfo';
  /** What the tree says it is ("Debian 12 (bookworm)", "Fedora 39"). */
  osName: string | null;
  /** An osinfo short-id guessed from the tree ("debian12", "fedora39"); the OS catalogue resolves it. */
  osId: string | null;
  kernel: TreeImage;
  initrd: TreeImage;
  /** The checksum file that was used (null: none found). */
  checksumsUrl: string | null;
}

/** The tree URL with exactly one trailing slash, so relative paths resolve inside it. */
export function treeBase(url: string): string {
  return url.replace(/\/*$/, '/');
}

/** Debian's arch names for the host's (virt-install's _find_treearch does the same from the URL first). */
export function debianArch(url: string, hostArch: string): string {
  const fromUrl = /\/installer-([a-z0-9]+)\//i.exec(treeBase(url))?.[1] ?? /\/daily-images\/([a-z0-9]+)\//i.exec(treeBase(url))?.[1];
  if (fromUrl) return fromUrl;
  return ({ x86_64: 'amd64', i686: 'i386', aarch64: 'arm64', ppc64le: 'ppc64el', s390x: 's390x' } as Record<string, string>)[hostArch] ?? hostArch;
}

/** The places virt-install looks for a Debian MANIFEST, in its order; '' when the URL already is the images folder. */
export const DEBIAN_PREFIXES = ['current/images/', 'current/legacy-images/', 'daily/', ''] as const;

const CODENAMES: Record<string, { id: string; name: string }> = {
  buster: { id: 'debian10', name: 'Debian 10 (buster)' },
  bullseye: { id: 'debian11', name: 'Debian 11 (bullseye)' },
  bookworm: { id: 'debian12', name: 'Debian 12 (bookworm)' },
  trixie: { id: 'debian13', name: 'Debian 13 (trixie)' },
  sid: { id: 'debiantesting', name: 'Debian unstable (sid)' },
  focal: { id: 'ubuntu20.04', name: 'Ubuntu 20.04 (focal)' },
  jammy: { id: 'ubuntu22.04', name: 'Ubuntu 22.04 (jammy)' },
  noble: { id: 'ubuntu24.04', name: 'Ubuntu 24.04 (noble)' },
};

/**
 * A Debian/Ubuntu tree from its MANIFEST (text of `<prefix>MANIFEST`): the netboot kernel and
 * initrd must be listed there. null when the MANIFEST is not a Debian installer's.
 */
export function debianLayout(url: string, prefix: string, manifest: string, hostArch: string): TreeLayout | null {
  const family = /ubuntu/i.test(manifest) ? 'ubuntu' : /debian/i.test(manifest) ? 'debian' : null;
  if (!family) return null;
  const arch = debianArch(url, hostArch);
  const dir = `netboot/${family}-installer/${arch}/`;
  const listed = new Set(manifest.split('\n').map((l) => l.split(/\s+--\s+|\s+/)[0]!.trim().replace(/^\.\//, '')));
  if (!listed.has(`${dir}linux`) || !listed.has(`${dir}initrd.gz`)) return null;
  const base = treeBase(url) + prefix;
  const codename = /\/dists\/([a-z]+)[/-]/i.exec(treeBase(url))?.[1]?.toLowerCase();
  const os = codename ? CODENAMES[codename] : undefined;
  const image = (name: string): TreeImage => ({ url: base + dir + name, path: dir + name, sha256: null });
  return {
    family,
    osName: os?.name ?? (prefix === 'daily/' ? `${cap(family)} testing (daily)` : cap(family)),
    osId: os?.id ?? (prefix === 'daily/' && family === 'debian' ? 'debiantesting' : null),
    kernel: image('linux'),
    initrd: image('initrd.gz'),
    checksumsUrl: null,
  };
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** `sha256sum` output (SHA256SUMS): path (without a leading "./" or "*") → lowercase hex. */
export function parseSha256Sums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+?)\s*$/.exec(line);
    if (m) out.set(m[2]!.replace(/^\.\//, ''), m[1]!.toLowerCase());
  }
  return out;
}

/** Fills in the expected checksums from a SHA256SUMS that sits at `sumsPrefix` inside the tree (relative paths are taken from there). */
export function withSha256Sums(layout: TreeLayout, sumsUrl: string, sums: Map<string, string>): TreeLayout {
  const get = (img: TreeImage): TreeImage => ({ ...img, sha256: sums.get(img.path) ?? null });
  return { ...layout, kernel: get(layout.kernel), initrd: get(layout.initrd), checksumsUrl: sumsUrl };
}

/** A minimal INI reader for .treeinfo: section → key → value (keys lowercased; `;`/`#` comments). */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let cur: Map<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      out.set(sec[1]!.trim(), (cur = new Map()));
      continue;
    }
    const eq = line.indexOf('=');
    if (cur && eq > 0) cur.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return out;
}

/** A RHEL-style tree from its .treeinfo; null when it has no kernel/initrd for the arch. */
export function treeinfoLayout(url: string, treeinfo: string, hostArch: string): TreeLayout | null {
  const ini = parseIni(treeinfo);
  const images = ini.get(`images-${hostArch}`);
  const kernel = images?.get('kernel');
  const initrd = images?.get('initrd');
  if (!kernel || !initrd || !safeRelative(kernel) || !safeRelative(initrd)) return null;
  const release = ini.get('release');
  const general = ini.get('general');
  const name = release?.get('name') ?? general?.get('family') ?? null;
  const version = release?.get('version') ?? general?.get('version') ?? null;
  const sums = ini.get('checksums');
  const sha = (p: string) => {
    const v = sums?.get(p.toLowerCase()) ?? '';
    const m = /^sha256:([0-9a-f]{64})$/i.exec(v);
    return m ? m[1]!.toLowerCase() : null;
  };
  const base = treeBase(url);
  return {
    family: 'treeinfo',
    osName: name ? `${name}${version ? ` ${version}` : ''}` : null,
    osId: treeinfoOsId(name, version),
    kernel: { url: base + kernel, path: kernel, sha256: sha(kernel) },
    initrd: { url: base + initrd, path: initrd, sha256: sha(initrd) },
    checksumsUrl: sums ? `${base}.treeinfo` : null,
  };
}

/** virt-install's mapping of treeinfo names to osinfo ids, for the common distributions. */
function treeinfoOsId(name: string | null, version: string | null): string | null {
  if (!name || !version) return null;
  const major = /^(\d+)/.exec(version)?.[1];
  const n = name.toLowerCase();
  if (n.includes('fedora')) return `fedora${major ?? version}`;
  if (n.includes('centos') && n.includes('stream')) return major ? `centos-stream${major}` : null;
  if (n.includes('centos')) return `centos${version}`;
  if (n.includes('rocky')) return `rocky${version}`;
  if (n.includes('alma')) return `almalinux${version}`;
  if (n.includes('red hat') || n.includes('rhel')) return `rhel${version}`;
  return null;
}

/** A path inside the tree: no scheme, no absolute path, no `..` (a hostile .treeinfo must not send us elsewhere). */
function safeRelative(p: string): boolean {
  return !/^[a-z]+:/i.test(p) && !p.startsWith('/') && !p.split('/').includes('..') && !/\s/.test(p);
}

/** The warnings the wizard shows for a tree (nothing blocks: the user decides). */
export function treeWarnings(layout: TreeLayout): string[] {
  const out: string[] = [];
  const plain = /^(http|ftp):/i.test(layout.kernel.url);
  const missing = [layout.kernel, layout.initrd].filter((i) => i.sha256 === null).map((i) => i.path);
  if (missing.length > 0 && plain)
    out.push(`The kernel is fetched over plain ${layout.kernel.url.split(':')[0]} and the tree has no checksum for ${missing.join(' and ')}: anyone on the way could replace it. Prefer an https mirror.`);
  else if (missing.length > 0) out.push(`The tree has no checksum for ${missing.join(' and ')}; it is fetched unverified (over https).`);
  return out;
}
