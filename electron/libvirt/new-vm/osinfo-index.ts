/**
 * osinfo-db as the wizard needs it, parsed from plain text the host gives us (pure functions).
 *
 * The catalogue: one `grep -rHE` over the db's os/ tree returns, per file, the lines we need for
 * the list (id, short-id, first <name>, version, family, distro, dates, derives-from) and the ISO
 * rules (volume-id / publisher-id inside <media arch=…>). That is ~0.7 MB for 800 OSes, read
 * once per host and db version; full files are read only for the OS the user picks (defaults).
 * Format: https://gitlab.com/libosinfo/osinfo-db (data/schema/osinfo.rng.in).
 */
import { child, elementChildren, parseXml, text, type Element } from '../../xml/dom';

export interface IndexedOs {
  id: string;
  file: string;
  shortIds: string[];
  name: string;
  version: string | null;
  family: string;
  distro: string | null;
  vendor: string | null;
  releaseDate: string | null;
  eolDate: string | null;
  derivesFrom: string | null;
  isoRules: { arch: string | null; volumeId: string | null; publisherId: string | null }[];
}

/** The grep pattern whose output parseIndex reads. */
export const INDEX_PATTERN = '<os id=|<short-id>|<name>|<version>|<family>|<distro>|<release-date>|<eol-date>|<derives-from |<volume-id>|<publisher-id>|<media |</media>';

const unescape = (s: string) =>
  s.replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

const inner = (line: string, tag: string): string | null => {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(line);
  return m ? unescape(m[1]!.trim()) : null;
};

/** Parses `grep -rHE INDEX_PATTERN <dir>/os` output ("file:line" per hit). */
export function parseIndex(output: string): IndexedOs[] {
  const out: IndexedOs[] = [];
  let cur: IndexedOs | undefined;
  let mediaArch: string | null | undefined;
  let rule: IndexedOs['isoRules'][number] | undefined;
  for (const raw of output.split('\n')) {
    const sep = raw.indexOf('.xml:');
    if (sep < 0) continue;
    const file = raw.slice(0, sep + 4);
    const line = raw.slice(sep + 5);
    const osId = /<os id="([^"]+)"/.exec(line)?.[1];
    if (osId) {
      cur = { id: unescape(osId), file, shortIds: [], name: '', version: null, family: 'unknown', distro: null, vendor: null, releaseDate: null, eolDate: null, derivesFrom: null, isoRules: [] };
      out.push(cur);
      mediaArch = undefined;
      continue;
    }
    if (!cur || cur.file !== file) continue;
    if (/<media[ >]/.test(line)) {
      mediaArch = /arch="([^"]+)"/.exec(line)?.[1] ?? null;
      rule = undefined;
      continue;
    }
    if (line.includes('</media>')) {
      mediaArch = undefined;
      rule = undefined;
      continue;
    }
    if (mediaArch !== undefined) {
      const vol = inner(line, 'volume-id');
      const pub = inner(line, 'publisher-id');
      if (vol !== null || pub !== null) {
        if (!rule || (vol !== null && rule.volumeId !== null) || (pub !== null && rule.publisherId !== null)) {
          rule = { arch: mediaArch, volumeId: null, publisherId: null };
          cur.isoRules.push(rule);
        }
        if (vol !== null) rule.volumeId = vol;
        if (pub !== null) rule.publisherId = pub;
      }
      continue;
    }
    const shortId = inner(line, 'short-id');
    if (shortId) cur.shortIds.push(shortId);
    const name = inner(line, 'name');
    if (name && !cur.name) cur.name = name; // the first <name>: later ones are variants'
    cur.version ??= inner(line, 'version');
    const family = inner(line, 'family');
    if (family) cur.family = family;
    cur.distro ??= inner(line, 'distro');
    cur.releaseDate ??= inner(line, 'release-date');
    cur.eolDate ??= inner(line, 'eol-date');
    const derives = /<derives-from id="([^"]+)"/.exec(line)?.[1];
    if (derives && !cur.derivesFrom) cur.derivesFrom = unescape(derives);
  }
  return out.filter((o) => o.shortIds.length > 0);
}

/** What one OS file says about resources and devices (own values only; inheritance is the caller's). */
export interface OsFileFacts {
  minRamBytes: number | null;
  recRamBytes: number | null;
  recCpus: number | null;
  minStorageBytes: number | null;
  recStorageBytes: number | null;
  /** Device ids listed under <devices> (not removed ones). */
  devices: string[];
  removedDevices: string[];
}

const num = (s: string | null | undefined) => (s && /^\d+$/.test(s.trim()) ? Number(s.trim()) : null);

/** Resources for x86_64 (or "all") and the device list of one <os> document. */
export function parseOsFile(xml: string, osId: string): OsFileFacts {
  const doc = parseXml(xml);
  const os = elementChildren(doc.documentElement!, 'os').find((o) => o.getAttribute('id') === osId) ?? elementChildren(doc.documentElement!, 'os')[0];
  const facts: OsFileFacts = { minRamBytes: null, recRamBytes: null, recCpus: null, minStorageBytes: null, recStorageBytes: null, devices: [], removedDevices: [] };
  if (!os) return facts;
  const resources = elementChildren(os, 'resources').filter((r) => ['all', 'x86_64'].includes(r.getAttribute('arch') ?? 'all'));
  // x86_64-specific values win over "all".
  resources.sort((a, b) => (a.getAttribute('arch') === 'x86_64' ? 1 : 0) - (b.getAttribute('arch') === 'x86_64' ? 1 : 0));
  for (const r of resources) {
    const min = child(r, 'minimum');
    const rec = child(r, 'recommended');
    facts.minRamBytes = num(text(child(min, 'ram'))) ?? facts.minRamBytes;
    facts.minStorageBytes = num(text(child(min, 'storage'))) ?? facts.minStorageBytes;
    facts.recRamBytes = num(text(child(rec, 'ram'))) ?? facts.recRamBytes;
    facts.recCpus = num(text(child(rec, 'n-cpus'))) ?? facts.recCpus;
    facts.recStorageBytes = num(text(child(rec, 'storage'))) ?? facts.recStorageBytes;
  }
  for (const devs of elementChildren(os, 'devices'))
    for (const d of elementChildren(devs, 'device') as Element[]) {
      const id = d.getAttribute('id');
      if (!id) continue;
      (d.getAttribute('removed') === 'true' ? facts.removedDevices : facts.devices).push(id);
    }
  return facts;
}

/**
 * A volume descriptor field against an osinfo rule: osinfo's rules are regular expressions
 * matched against the whole (space-trimmed) field, as libosinfo does (g_regex_match, anchored by
 * the rules themselves where they need it; most are plain prefixes).
 */
export function ruleMatches(rule: string | null, value: string | null): boolean {
  if (rule === null) return true;
  if (value === null) return false;
  try {
    return new RegExp(`^(?:${rule})`).test(value);
  } catch {
    return false;
  }
}
