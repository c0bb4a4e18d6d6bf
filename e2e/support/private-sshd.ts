/**
 * A second, short-lived sshd on 127.0.0.1 made from the provisioned one's config (same users,
 * PAM and keys), with its own host keys and extra settings, for handshake cases the shared
 * sshd must not be changed for: several host-key types, a short LoginGraceTime.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './until';

const PROVISIONED_CONFIG = '/var/lib/virtdeck-test/ssh/sshd_config';

export type HostKeyType = 'ed25519' | 'ecdsa' | 'rsa';

export interface PrivateSshd {
  port: number;
  /** `<type> <base64>` of each host key, by type. */
  publicKeys: Partial<Record<HostKeyType, string>>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });

export async function startPrivateSshd(opts: { hostKeys: HostKeyType[]; extraConfig?: string[] }): Promise<PrivateSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'vd-sshd-'));
  const publicKeys: PrivateSshd['publicKeys'] = {};
  const keyLines = opts.hostKeys.map((t) => {
    const file = join(dir, `ssh_host_${t}_key`);
    execFileSync('ssh-keygen', ['-q', '-t', t, '-N', '', '-C', '', '-f', file]);
    publicKeys[t] = readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
    return `HostKey ${file}`;
  });
  const port = await freePort();
  const base = readFileSync(PROVISIONED_CONFIG, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(Port|HostKey|PidFile)\s/i.test(l));
  const config = join(dir, 'sshd_config');
  // sshd takes the first value it reads for most keywords: ours come first.
  writeFileSync(config, [`Port ${port}`, ...keyLines, `PidFile ${join(dir, 'sshd.pid')}`, ...(opts.extraConfig ?? []), ...base].join('\n') + '\n');
  let log = '';
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await until(async () => child.exitCode === null && (await accepts(port)), 10_000, `the private sshd on port ${port} (log: ${log})`);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    publicKeys,
    stop: async () => {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
