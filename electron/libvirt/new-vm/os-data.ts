/**
 * The OS data module (the wizard's, and later the tuning advisor's): the host's osinfo-db read
 * lazily over the host's command runner, cached per host and db version, with the built-in
 * families when the host has no db. Everything is read with argv commands (`cat`, `grep`), never
 * a shell, so it works the same locally and over SSH with nothing installed but libvirt.
 */
import type { OsDefaults, OsEntry } from '../../../shared/model/newvm';
import type { HostConnection } from '../../hosts/host-connection';
import { readOnHost } from './media';
import { builtinDefaults, builtinEntries } from './os-builtin';
import { INDEX_PATTERN, parseIndex, parseOsFile, type IndexedOs, type OsFileFacts } from './osinfo-index';

/**
 * System db, then the admin's overrides, then the host user's own
 * ($XDG_CONFIG_HOME/osinfo, else ~/.config/osinfo): later entries with the same id win, as in
 * libosinfo. The user's folder is only known on the host, so a constant sh script names it
 * after the other folders, which arrive as "$@".
 */
const DB_DIRS = ['/usr/share/osinfo', '/etc/osinfo'];
const WITH_USER_DB = 'exec grep "$@" "${XDG_CONFIG_HOME:-$HOME/.config}/osinfo/os"';
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

// osinfo device ids (https://gitlab.com/libosinfo/osinfo-db/-/tree/main/data/device): legacy and virtio 1.0 PCI ids.
const DEV = {
  virtioBlk: ['http://pcisig.com/pci/1af4/1001', 'http://pcisig.com/pci/1af4/1042'],
  virtioNet: ['http://pcisig.com/pci/1af4/1000', 'http://pcisig.com/pci/1af4/1041'],
  virtioRng: ['http://pcisig.com/pci/1af4/1005', 'http://pcisig.com/pci/1af4/1044'],
  balloon: ['http://pcisig.com/pci/1af4/1002', 'http://pcisig.com/pci/1af4/1045'],
  virtioGpu: ['http://pcisig.com/pci/1af4/1050'],
  qxl: ['http://pcisig.com/pci/1b36/0100'],
  e1000e: ['http://pcisig.com/pci/8086/10d3'],
  q35: ['http://qemu.org/chipset/x86/q35'],
};

export interface Catalogue {
  source: 'osinfo' | 'builtin';
  dbVersion: string | null;
  entries: IndexedOs[];
  byShortId: Map<string, IndexedOs>;
  byId: Map<string, IndexedOs>;
}

export interface ResolvedOs {
  defaults: OsDefaults;
  /** Said to the user when the asked id was replaced. */
  note: string | null;
  /** The osinfo short-id virt-install --osinfo accepts on this host, or null (detect=on,require=off). */
  osinfoId: string | null;
}

const isEol = (o: IndexedOs, today: string) => o.eolDate !== null && o.eolDate <= today;
const newestFirst = (a: IndexedOs, b: IndexedOs) => (b.releaseDate ?? '').localeCompare(a.releaseDate ?? '') || (b.version ?? '').localeCompare(a.version ?? '', undefined, { numeric: true });

export class OsCatalogues {
  private readonly cache = new Map<string, { version: string | null; catalogue: Promise<Catalogue> }>();
  private readonly files = new Map<string, Promise<OsFileFacts>>();

  /** The host's catalogue; re-read only when the db's VERSION changed. */
  async catalogue(host: HostConnection): Promise<Catalogue> {
    const v = await readOnHost(host, ['cat', `${DB_DIRS[0]}/VERSION`]);
    const version = v.code === 0 ? v.stdout.trim() || null : null;
    const hit = this.cache.get(host.id);
    if (hit && hit.version === version) return hit.catalogue;
    const catalogue = this.load(host, version);
    this.cache.set(host.id, { version, catalogue });
    catalogue.catch(() => this.cache.delete(host.id));
    return catalogue;
  }

  private async load(host: HostConnection, version: string | null): Promise<Catalogue> {
    const empty: Catalogue = { source: 'builtin', dbVersion: null, entries: [], byShortId: new Map(), byId: new Map() };
    if (version === null) return empty;
    // -s: /etc/osinfo and the user's folder usually do not exist. Exit 2 with output still means "read what exists".
    const res = await readOnHost(host, ['sh', '-c', WITH_USER_DB, 'sh', '-rsHE', INDEX_PATTERN, '--include=*.xml', ...DB_DIRS.map((d) => `${d}/os`)], 60_000);
    const entries = parseIndex(res.stdout);
    if (entries.length === 0) return empty;
    const byId = new Map(entries.map((e) => [e.id, e]));
    const byShortId = new Map<string, IndexedOs>();
    for (const e of byId.values()) for (const s of e.shortIds) byShortId.set(s, e);
    return { source: 'osinfo', dbVersion: version, entries: [...byId.values()], byShortId, byId };
  }

  /** The list the wizard shows: newest first, EOL hidden unless asked, built-in families last. */
  async list(host: HostConnection, includeEol: boolean): Promise<{ source: Catalogue['source']; dbVersion: string | null; os: OsEntry[] }> {
    const c = await this.catalogue(host);
    const today = new Date().toISOString().slice(0, 10);
    const os = c.entries
      .filter((e) => includeEol || !isEol(e, today))
      .sort(newestFirst)
      .map((e) => ({ id: e.shortIds[0]!, name: e.name || e.shortIds[0]!, version: e.version, family: e.family, vendor: e.vendor, releaseDate: e.releaseDate, eol: isEol(e, today) }));
    return { source: c.source, dbVersion: c.dbVersion, os: [...os, ...builtinEntries().filter((b) => !c.byShortId.has(b.id))] };
  }

  /**
   * Defaults for `osId`. An id the db lacks (debian12 on Debian 12's own db) becomes the newest
   * entry of the same distro, else linux2022, else the built-in family — and the note says so.
   */
  async resolve(host: HostConnection, osId: string | null): Promise<ResolvedOs> {
    const c = await this.catalogue(host);
    // The db's own win10/win11 win over the built-in families of the same id.
    const builtin = builtinDefaults(osId);
    if (builtin && !(osId !== null && c.byShortId.has(osId))) return { defaults: builtin, note: null, osinfoId: null };
    const generic = builtinDefaults('generic-linux')!;
    if (osId === null) {
      const linux = c.byShortId.get('linux2022');
      return linux ? { ...(await this.fromDb(host, c, linux)), note: null } : { defaults: generic, note: null, osinfoId: null };
    }
    const exact = c.byShortId.get(osId);
    if (exact) return { ...(await this.fromDb(host, c, exact)), note: null };
    const where = c.source === 'osinfo' ? `this host's osinfo-db (${c.dbVersion})` : 'this host (it has no osinfo-db)';
    const distro = /^[a-z]+/i.exec(osId)?.[0]?.toLowerCase();
    const sameDistro = c.entries.filter((e) => distro && (e.distro === distro || e.shortIds.some((s) => s.startsWith(distro) && /\d/.test(s.slice(distro.length, distro.length + 1))))).sort(newestFirst)[0];
    const fallback = sameDistro ?? c.byShortId.get('linux2022');
    if (fallback) {
      const r = await this.fromDb(host, c, fallback);
      return { ...r, note: `${osId} is not in ${where}: using ${fallback.shortIds[0]} (${fallback.name}), the ${sameDistro ? 'newest of its family' : 'generic modern Linux'}.` };
    }
    return { defaults: generic, note: `${osId} is not in ${where}: using Virtdeck's generic modern Linux defaults.`, osinfoId: null };
  }

  private async fromDb(host: HostConnection, c: Catalogue, os: IndexedOs): Promise<Omit<ResolvedOs, 'note'>> {
    // Follow derives-from: own values first, then each ancestor's (osinfo's inheritance).
    const chain: IndexedOs[] = [];
    for (let o: IndexedOs | undefined = os; o && chain.length < 16 && !chain.includes(o); o = o.derivesFrom ? c.byId.get(o.derivesFrom) : undefined) chain.push(o);
    const facts = await this.chainFacts(host, c, chain);
    const first = <K extends keyof OsFileFacts>(k: K) => facts.map((f) => f[k]).find((v) => v !== null) as OsFileFacts[K] | undefined;
    const removed = new Set(facts.flatMap((f) => f.removedDevices));
    const devices = new Set(facts.flatMap((f) => f.devices).filter((d) => !removed.has(d)));
    const has = (ids: string[]) => ids.some((i) => devices.has(i));
    const windows = os.family === 'winnt' || os.family === 'win9x';
    const minRam = first('minRamBytes') ?? null;
    const recRam = first('recRamBytes') ?? null;
    // virtinst: the recommended value, else twice the minimum.
    const recMemoryMiB = Math.max(256, Math.round((recRam ?? (minRam !== null ? 2 * minRam : 2 * GiB)) / MiB));
    const modernLinux = os.family === 'linux' && has(DEV.virtioBlk);
    // osinfo lists q35 for OSes known to work on it; virtio-capable Linux works there too, and
    // Windows from 8 on (Windows 11 needs UEFI with Secure Boot, which only q35 offers).
    const q35 = has(DEV.q35) || modernLinux || (windows && (os.releaseDate ?? '') >= '2012');
    return {
      osinfoId: os.shortIds[0]!,
      defaults: {
        id: os.shortIds[0]!,
        name: os.name,
        family: os.family,
        minMemoryMiB: minRam !== null ? Math.round(minRam / MiB) : null,
        recMemoryMiB,
        recVcpus: first('recCpus') ?? (windows || modernLinux ? 2 : 1),
        recStorageBytes: first('recStorageBytes') ?? first('minStorageBytes') ?? 20 * GiB,
        diskBus: has(DEV.virtioBlk) ? 'virtio' : q35 ? 'sata' : 'ide',
        nicModel: has(DEV.virtioNet) ? 'virtio' : has(DEV.e1000e) ? 'e1000e' : 'e1000',
        video: has(DEV.virtioGpu) ? 'virtio' : has(DEV.qxl) ? 'qxl' : 'vga',
        virtioRng: has(DEV.virtioRng),
        balloon: has(DEV.balloon),
        q35,
        windows,
        source: 'osinfo',
      },
    };
  }

  /** The facts of a derives-from chain: files not cached yet are read with ONE `cat` (one channel over SSH). */
  private async chainFacts(host: HostConnection, c: Catalogue, chain: IndexedOs[]): Promise<OsFileFacts[]> {
    const key = (o: IndexedOs) => `${host.id}\0${c.dbVersion}\0${o.file}`;
    const missing = [...new Set(chain.filter((o) => !this.files.has(key(o))))];
    if (missing.length > 0) {
      const read = readOnHost(host, ['cat', '--', ...missing.map((o) => o.file)]).then((r) => {
        if (r.code !== 0) throw new Error(`osinfo-db: cat failed: ${r.stderr.trim()}`);
        return splitDocuments(r.stdout);
      });
      missing.forEach((o, i) => {
        const p = read.then((docs) => {
          if (docs.length !== missing.length) throw new Error(`osinfo-db: expected ${missing.length} documents from cat, got ${docs.length}`);
          return parseOsFile(docs[i]!, o.id);
        });
        this.files.set(key(o), p);
        p.catch(() => this.files.delete(key(o)));
      });
    }
    return Promise.all(chain.map((o) => this.files.get(key(o))!));
  }
}

/** Concatenated osinfo files, split at each XML declaration (every db file starts with one). */
function splitDocuments(text: string): string[] {
  return text.split(/(?=<\?xml[\s?])/).filter((d) => d.trim().length > 0);
}
