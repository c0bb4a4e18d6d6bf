/**
 * The NoCloud seed: its texts checked (locally, then by the host's own `cloud-init schema` where
 * it has cloud-init) and written into an ISO image labelled "cidata".
 * https://cloudinit.readthedocs.io/en/22.4/topics/datasources/nocloud.html
 */
import type { CloudInit } from '../../../../shared/model/cloud-init';
import type { HostConnection } from '../../../hosts/host-connection';
import { PLACEHOLDER_HASH, sha512Crypt } from './crypt';
import { buildIso } from './iso9660';
import { seedTexts, userDataProblems, type SeedTexts } from './user-data';

export const SEED_LABEL = 'cidata';

export function seedIso(t: SeedTexts, date = new Date()): Uint8Array {
  const enc = new TextEncoder();
  const files = [
    { name: 'user-data', data: enc.encode(t.userData) },
    { name: 'meta-data', data: enc.encode(t.metaData) },
    ...(t.networkConfig !== null ? [{ name: 'network-config', data: enc.encode(t.networkConfig) }] : []),
  ];
  return buildIso(files, { volumeId: SEED_LABEL, date });
}

export interface PlannedSeed {
  /** With the password hash replaced by a placeholder of the same length: shown, and schema-checked. */
  shown: SeedTexts;
  /** Builds the real image (hashing the password now, with a fresh salt); same size as `bytes`. */
  build(): Uint8Array;
  bytes: number;
  problems: string[];
  /** The host where `cloud-init schema` checked it; null when it has no cloud-init. */
  schemaChecked: string | null;
}

/** Plans a seed: local checks first; the host's schema check only when they pass. */
export async function planSeed(host: HostConnection, ci: CloudInit, vm: { name: string; uuid: string }): Promise<PlannedSeed> {
  const problems = userDataProblems(ci);
  const hashed = ci.password !== undefined && ci.userName !== undefined;
  const shown: SeedTexts = problems.length > 0 ? { userData: ci.userData ?? '', metaData: '', networkConfig: ci.networkConfig ?? null } : seedTexts(ci, vm, hashed ? PLACEHOLDER_HASH : null);
  let schemaChecked: string | null = null;
  if (problems.length === 0) {
    const s = await schemaCheck(host, shown.userData);
    schemaChecked = s.checked ? host.config.name : null;
    problems.push(...s.problems);
  }
  const date = new Date();
  return {
    shown,
    problems,
    schemaChecked,
    bytes: problems.length > 0 ? 0 : seedIso(shown, date).length,
    build: () => seedIso(seedTexts(ci, vm, hashed ? sha512Crypt(ci.password!) : null), date),
  };
}

/**
 * `cloud-init schema --config-file /dev/stdin` on the host (22.4: exit 1 and "Cloud config schema
 * errors: …" on stderr for bad user-data; exit 127 when there is no cloud-init). The text goes on
 * stdin, never on a command line. Answers are cached per host and text: the plan is recomputed on
 * every change of the wizard and the check starts Python (about a second).
 */
export async function schemaCheck(host: HostConnection, userData: string): Promise<{ checked: boolean; problems: string[] }> {
  const key = `${host.config.name}\0${userData}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const r = await host.run(['cloud-init', 'schema', '--config-file', '/dev/stdin'], { stdin: userData, allowFailure: true, timeoutMs: 60_000 });
  let out: { checked: boolean; problems: string[] };
  if (r.code === 127 || /command not found|No such file/.test(r.stderr) && r.code !== 1) out = { checked: false, problems: [] };
  else if (r.code === 0) out = { checked: true, problems: [] };
  else {
    const text = `${r.stderr}\n${r.stdout}`.replace(/\/dev\/stdin/g, 'user-data');
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && l !== 'Error:' && !/^Cloud config schema deprecations:\s*$/.test(l));
    out = { checked: true, problems: [`The host’s cloud-init refuses the user-data: ${lines.join(' ') || `exit ${r.code}`}`] };
  }
  cache.set(key, out);
  if (cache.size > 100) cache.delete(cache.keys().next().value!);
  return out;
}
const cache = new Map<string, { checked: boolean; problems: string[] }>();
