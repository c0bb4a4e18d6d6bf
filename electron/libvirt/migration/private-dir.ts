/**
 * A fresh 0700 directory on a host for one migration's sensitive files (the relay socket, the
 * destination's known_hosts entry): `mktemp -d` as the SSH user on a remote host, mkdtemp here
 * for a local one. `remove` deletes it with everything in it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';

export const MKTEMP_ARGV = ['mktemp', '-d', '-t', 'virtdeck-relay.XXXXXXXXXX'];

export interface PrivateDir {
  path: string;
  write(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export async function privateDir(host: HostConnection): Promise<PrivateDir> {
  if (!host.uri.remote) {
    const path = await mkdtemp(join(tmpdir(), 'virtdeck-relay.')); // 0700 too
    return {
      path,
      write: async (name, text) => (await writeFile(join(path, name), text, { mode: 0o600 }), join(path, name)),
      remove: () => rm(path, { recursive: true, force: true }),
    };
  }
  // mktemp -d creates the directory 0700, owned by the SSH user, under a name no one can guess.
  const path = (await host.run(MKTEMP_ARGV, { timeoutMs: 30_000 })).stdout.trim();
  if (!/^\/[A-Za-z0-9._/-]+$/.test(path)) throw new AppError('internal', `mktemp on ${host.config.name} answered an unexpected path: ${path}`);
  return {
    path,
    write: async (name, text) => {
      const file = `${path}/${name}`;
      await host.run(['tee', '--', file], { stdin: text, timeoutMs: 30_000 });
      return file;
    },
    remove: async () => {
      if (host.status.state === 'connected') await host.run(['rm', '-rf', '--', path], { allowFailure: true, timeoutMs: 30_000 }).catch(() => undefined);
    },
  };
}
