/**
 * ksmtuned (Debian package `ksmtuned`, /usr/sbin/ksmtuned, config /etc/ksmtuned.conf): a shell
 * loop that turns KSM on when the memory committed to QEMU gets near the host's total. Its
 * script reads the config (sourced shell: KEY=value lines), then every KSM_MONITOR_INTERVAL s:
 *   thres = max(total × KSM_THRES_COEF / 100, KSM_THRES_CONST)            (KiB)
 *   committed = Σ RSS of `pgrep -f '^qemu-system.*-enable-kvm'`           (KiB)
 *   committed + thres < total and free > thres → KSM off; otherwise on, with pages_to_scan
 *   raised by KSM_NPAGES_BOOST when free < thres, else changed by KSM_NPAGES_DECAY.
 * (free = MemFree + Buffers + Cached.) The same computation runs here on live figures.
 */
import type { KsmtunedKey, KsmtunedState } from '../../../shared/model/tuning-memory';
import { KSMTUNED_CONF, meminfo, type HostFiles } from './host-files';

/** The script's built-in defaults (ksmtuned 4.20150326). */
export const KSMTUNED_DEFAULTS: Record<KsmtunedKey, number> = {
  KSM_MONITOR_INTERVAL: 60,
  KSM_SLEEP_MSEC: 10,
  KSM_NPAGES_BOOST: 300,
  KSM_NPAGES_DECAY: -50,
  KSM_NPAGES_MIN: 64,
  KSM_NPAGES_MAX: 1250,
  KSM_THRES_COEF: 20,
  KSM_THRES_CONST: 2048,
};
const KEYS = Object.keys(KSMTUNED_DEFAULTS) as KsmtunedKey[];

export interface Proc {
  pid: number;
  rssKiB: number;
  comm: string;
  args: string;
}

/** `ps -e -o pid=,rss=,comm=,args=` (comm is at most 15 characters, without spaces for these programs). */
export const PS_ARGV = ['ps', '-e', '-o', 'pid=,rss=,comm=,args='];
export function parsePs(out: string): Proc[] {
  const procs: Proc[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (m) procs.push({ pid: Number(m[1]), rssKiB: Number(m[2]), comm: m[3]!, args: m[4]! });
  }
  return procs;
}

/** Active `KEY=value` lines (the last one wins, as when the shell sources the file). */
export function parseKsmtunedConf(lines: readonly string[]): Map<KsmtunedKey, number> {
  const m = new Map<KsmtunedKey, number>();
  for (const l of lines) {
    const r = /^\s*(KSM_[A-Z_]+)=["']?(-?\d+)["']?\s*(#.*)?$/.exec(l);
    if (r && (KEYS as string[]).includes(r[1]!)) m.set(r[1] as KsmtunedKey, Number(r[2]));
  }
  return m;
}

/**
 * The config with `values` set (number) or commented out (null → the default applies). The
 * first line for a key (active or `# KEY=` commented) is replaced; later active lines for it are
 * commented out; a key with no line is appended. Comments and other lines stay as they are.
 */
export function renderKsmtunedConf(text: string, values: Partial<Record<KsmtunedKey, number | null>>): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  for (const key of KEYS) {
    if (!(key in values)) continue;
    const v = values[key];
    const line = v === null || v === undefined ? `# ${key}=${KSMTUNED_DEFAULTS[key]}` : `${key}=${v}`;
    const re = new RegExp(`^\\s*(#\\s*)?${key}=`);
    let done = false;
    for (let i = 0; i < lines.length; i++) {
      if (!re.test(lines[i]!)) continue;
      const active = !/^\s*#/.test(lines[i]!);
      if (!done) (lines[i] = line), (done = true);
      else if (active) lines[i] = `# ${lines[i]}`;
    }
    if (!done) lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

/** ksmtuned's matching of QEMU processes: `pgrep -f '^qemu-system.*-enable-kvm'` (the full command line). */
const COUNTED = /^qemu-system.*-enable-kvm/;

export function ksmtunedState(files: HostFiles, procs: readonly Proc[], installed: boolean): KsmtunedState {
  const conf = files.get(KSMTUNED_CONF);
  const set = parseKsmtunedConf(conf ?? []);
  const val = (k: KsmtunedKey) => set.get(k) ?? KSMTUNED_DEFAULTS[k];
  const mem = meminfo(files);
  const total = mem.get('MemTotal') ?? 0;
  const free = (mem.get('MemFree') ?? 0) + (mem.get('Buffers') ?? 0) + (mem.get('Cached') ?? 0);
  const coef = val('KSM_THRES_COEF');
  const constKiB = val('KSM_THRES_CONST');
  // The script's integer arithmetic ($[total * COEF / 100]).
  const thres = Math.max(Math.trunc((total * coef) / 100), constKiB);
  const qemu = procs.filter((p) => /^qemu-system/.test(p.args) || p.comm.startsWith('qemu-system'));
  const counted = procs.filter((p) => COUNTED.test(p.args));
  const committed = counted.reduce((s, p) => s + p.rssKiB, 0);
  const wouldMerge = !(committed + thres < total && free > thres);
  return {
    installed: installed || conf !== undefined,
    // A killed ksmtuned whose parent reaps nothing stays as a zombie ("[ksmtuned] <defunct>"): not running.
    running: procs.some((p) => p.comm === 'ksmtuned' && !p.args.includes('<defunct>')),
    configPath: KSMTUNED_CONF,
    configExists: conf !== undefined,
    settings: KEYS.map((key) => ({ key, value: set.get(key) ?? null, defaultValue: KSMTUNED_DEFAULTS[key] })),
    formula: {
      totalKiB: total,
      freeKiB: free,
      coef,
      constKiB,
      thresKiB: thres,
      committedKiB: committed,
      countedProcesses: counted.length,
      qemuProcesses: qemu.length,
      qemuRssKiB: qemu.reduce((s, p) => s + p.rssKiB, 0),
      wouldMerge,
      wouldBoost: wouldMerge && free < thres,
    },
  };
}
