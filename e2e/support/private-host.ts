/**
 * The private libvirt host (e2e/host/private-host.sh): a second, independent libvirtd, virtlogd
 * and sshd (127.0.0.2:2223) on this machine, in a mount namespace of its own. Tests call
 * startPrivateHost() in beforeAll and stopPrivateHost() in afterAll.
 *
 * This process runs the script's `run` step as its own child, which becomes the host's
 * supervisor: so this process reaps it, and after stopPrivateHost() none of the host's
 * processes is left, not even as a zombie (PID 1 on the test machines reaps nothing).
 * `empty: true` starts the empty-state instance instead: no config copy, no sshd, every libvirt
 * folder an empty tmpfs, set up by provision.sh's host steps alone.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { TestHost } from './test-host';
import { until } from './until';

/** Beside this file; from the repository root when bundled (npm run bench runs dist/bench/*.cjs). */
export const PRIVATE_HOST_SCRIPT = [join(__dirname, '..', 'host', 'private-host.sh'), join(process.cwd(), 'e2e', 'host', 'private-host.sh')].find((p) => existsSync(p)) ?? join(__dirname, '..', 'host', 'private-host.sh');
/** Where the script keeps each instance (its PH_DIR: under provision.sh's STATE_DIR). */
const INSTANCE_DIR = { private: '/var/lib/virtdeck-test/private-host', empty: '/var/lib/virtdeck-test/empty-host' };

const HostFile = z.object({
  INSTANCE: z.enum(['private', 'empty']),
  SSH_HOST: z.string(),
  /** 0 for the empty-state instance, which has no sshd. */
  SSH_PORT: z.number(),
  SSH_USER: z.string(),
  SSH_NOGROUP_USER: z.string(),
  SSH_KEY: z.string(),
  SSH_KNOWN_HOSTS: z.string(),
  SSH_HOST_KEY_PUB: z.string(),
  /** The URI inside its namespace (and over its sshd): qemu:///system. */
  LIBVIRT_URI: z.string(),
  HOST_UUID: z.string(),
  MIGRATION_ADDRESS: z.string(),
  SUPERVISOR_PID: z.number(),
  LIBVIRTD_PID: z.number(),
  VIRTLOGD_PID: z.number(),
  SSHD_PID: z.number(),
  /** /proc/SUPERVISOR/root: its view of the file system, e.g. ROOT + /var/log/libvirt/qemu/... */
  ROOT: z.string(),
  STATE_DIR: z.string(),
});

export type PrivateHost = z.infer<typeof HostFile> & {
  /** Milliseconds from spawning the script to the host being ready. */
  startMs: number;
  child: ChildProcess;
  exited: Promise<number | null>;
};

const flags = (empty: boolean) => (empty ? ['--empty'] : []);
const script = (empty: boolean, ...args: string[]) =>
  spawnSync('bash', [PRIVATE_HOST_SCRIPT, ...flags(empty), ...args], { encoding: 'utf8', timeout: 90_000 });

const ppidOf = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
};

/**
 * Makes the instance ours to start. One that another live test process started (its parent)
 * is waited for; one whose parent is gone (an aborted run: its supervisor is PID 1's now) or
 * that was started from a shell with `start` is stopped, like any leftover processes.
 */
async function claim(empty: boolean, dir: string): Promise<void> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const file = join(dir, 'run', 'supervisor.pid');
    const sup = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
    const parent = sup && pidAlive(sup) ? ppidOf(sup) : undefined;
    if (parent === undefined || parent === 1 || !pidAlive(parent)) {
      const r = script(empty, 'stop');
      if (r.status !== 0) throw new Error(`private-host.sh stop failed: ${r.stderr}`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`the private host (${dir}) stays in use by process ${parent}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Starts it, once no other test process uses it (see claim). */
export async function startPrivateHost(opts: { empty?: boolean } = {}): Promise<PrivateHost> {
  const empty = opts.empty ?? false;
  const dir = INSTANCE_DIR[empty ? 'empty' : 'private'];
  const readJson = () => {
    try {
      return HostFile.parse(JSON.parse(readFileSync(join(dir, 'private-host.json'), 'utf8')));
    } catch {
      return undefined;
    }
  };
  for (let attempt = 1; ; attempt++) {
    await claim(empty, dir);
    const t0 = Date.now();
    const child = spawn('bash', [PRIVATE_HOST_SCRIPT, ...flags(empty), 'run'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let code: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve((code = c))));
    const mine = () => existsSync(join(dir, 'run', 'ready')) && readJson()?.SUPERVISOR_PID === child.pid;
    await until(() => code !== undefined || mine(), 45_000, 'the private host to start');
    if (code === undefined && mine()) return { ...readJson()!, startMs: Date.now() - t0, child, exited };
    // Another test process started it between our claim and our start: wait for it again.
    if (code !== undefined && /already running/.test(stderr) && attempt < 5) continue;
    child.kill('SIGTERM');
    const log = existsSync(join(dir, 'supervisor.log')) ? readFileSync(join(dir, 'supervisor.log'), 'utf8').split('\n').slice(-30).join('\n') : '';
    throw new Error(`the private host did not start (exit ${code}): ${stderr}\n${log}`);
  }
}

/** Stops it and waits until this process has reaped its supervisor. */
export async function stopPrivateHost(h: PrivateHost): Promise<void> {
  const r = script(h.INSTANCE === 'empty', 'stop');
  if (r.status !== 0) throw new Error(`private-host.sh stop failed: ${r.stderr}`);
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  if ((await Promise.race([h.exited, timeout])) === 'timeout') throw new Error(`supervisor ${h.SUPERVISOR_PID} did not exit`);
}

/** Runs a command inside its mount namespace (as root): sees its /run/libvirt and folders. */
export function inPrivateHost(h: PrivateHost, cmd: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync('nsenter', ['-t', String(h.SUPERVISOR_PID), '-m', '--', cmd, ...args], { encoding: 'utf8', timeout: 60_000 });
}

/** virsh against its libvirtd, as root inside its namespace. */
export const privateVirsh = (h: PrivateHost, ...args: string[]) => inPrivateHost(h, 'virsh', '-c', h.LIBVIRT_URI, ...args);

/** A command over its sshd as the test user (key login, its host key checked). */
export function privateSsh(h: PrivateHost, command: string, input?: string): SpawnSyncReturns<string> {
  return spawnSync(
    'ssh',
    ['-p', String(h.SSH_PORT), '-i', h.SSH_KEY, '-o', `UserKnownHostsFile=${h.SSH_KNOWN_HOSTS}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
      '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none', '-o', 'ConnectTimeout=10', `${h.SSH_USER}@${h.SSH_HOST}`, command],
    { encoding: 'utf8', input, timeout: 60_000 },
  );
}

/** Its file `path` (e.g. a guest's serial log), read from outside its namespace. */
export const privateHostPath = (h: PrivateHost, path: string) => `${h.ROOT}${path}`;

export interface GuestId {
  name: string;
  uuid: string;
  mac: string;
}

/** The provisioned test guest's XML (guest/domain.xml) as `g`: own name, UUID, MAC, serial log. */
export function guestXmlAs(th: TestHost, g: GuestId): string {
  const env = JSON.parse(readFileSync(process.env.VIRTDECK_TEST_ENV ?? '/var/lib/virtdeck-test/env.json', 'utf8')) as { STATE_DIR: string; GUEST_UUID: string };
  const xml = readFileSync(join(env.STATE_DIR, 'guest', 'domain.xml'), 'utf8');
  const mac = /<mac address='([0-9a-f:]+)'\/>/.exec(xml)?.[1];
  if (!mac || !xml.includes(`<uuid>${env.GUEST_UUID}</uuid>`)) throw new Error('unexpected guest/domain.xml');
  return xml
    .replace(`<name>${th.GUEST_NAME}</name>`, `<name>${g.name}</name>`)
    .replace(`<uuid>${env.GUEST_UUID}</uuid>`, `<uuid>${g.uuid}</uuid>`)
    .replace(`<mac address='${mac}'/>`, `<mac address='${g.mac}'/>`)
    .replaceAll(`${th.GUEST_NAME}-serial.log`, `${g.name}-serial.log`);
}

/** Live processes: alive and not a zombie (what provision.sh's pid_alive means). */
export function pidAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * A local libvirt URI for its libvirtd, usable from outside its namespace (as root): its socket
 * through the supervisor's view of the file system (libvirt URIs take `?socket=`,
 * https://libvirt.org/uri.html). A daemon restarted by restartDaemons() listens there again.
 */
export const privateLocalUri = (h: PrivateHost) => `qemu:///system?socket=${h.ROOT}/run/libvirt/libvirt-sock`;

/** The live processes below `pid`, at any depth, with their command names. */
export function descendantsOf(pid: number): Array<{ pid: number; comm: string }> {
  const kids = new Map<number, Array<{ pid: number; comm: string }>>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      const list = kids.get(Number(ppid)) ?? [];
      list.push({ pid: Number(e), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
      kids.set(Number(ppid), list);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: Array<{ pid: number; comm: string }> = [];
  const queue = [pid];
  while (queue.length) for (const k of kids.get(queue.shift()!) ?? []) (out.push(k), queue.push(k.pid));
  return out;
}

/**
 * Ends one of its daemons, as a crash or an admin would: libvirtd with SIGTERM (guests keep
 * running), sshd with SIGKILL together with every SSH session it serves (the connections drop;
 * what runs in them is left to end by itself). Waits until they are gone.
 */
export async function stopDaemon(h: PrivateHost, daemon: 'libvirtd' | 'sshd'): Promise<void> {
  const pid = daemon === 'libvirtd' ? h.LIBVIRTD_PID : h.SSHD_PID;
  if (!pidAlive(pid)) throw new Error(`${daemon} (${pid}) of the private host is not running`);
  const victims = daemon === 'libvirtd' ? [pid] : [pid, ...descendantsOf(pid).filter((p) => p.comm === 'sshd').map((p) => p.pid)];
  for (const p of victims) process.kill(p, daemon === 'libvirtd' ? 'SIGTERM' : 'SIGKILL');
  await until(() => victims.every((p) => !pidAlive(p)), 15_000, `${daemon} of the private host to stop`);
}

/**
 * Starts again whatever daemon of it is not running (SIGUSR1 to its supervisor, which starts it
 * as its own child and waits until it answers) and returns the host with the new pids.
 */
export async function restartDaemons(h: PrivateHost): Promise<PrivateHost> {
  const file = join(h.STATE_DIR, 'run', 'restarts');
  const count = () => (existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0);
  const before = count();
  process.kill(h.SUPERVISOR_PID, 'SIGUSR1');
  await until(() => count() > before, 30_000, 'the private host to restart its daemons');
  return { ...h, ...HostFile.parse(JSON.parse(readFileSync(join(h.STATE_DIR, 'private-host.json'), 'utf8'))) };
}
