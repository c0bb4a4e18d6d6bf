/**
 * The New VM integration tests' world: a dir pool in a temp folder (name with a space) holding
 * the provisioned test ISO, a raw copy of it to import, the test kernel and initramfs; the
 * guest's serial console read through `virsh console` in a pty; and cleanup of everything.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn as spawnPty } from 'node-pty';

export const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

export interface NewVmEnv {
  TEST_ISO: string;
  TEST_ISO_KNOWN: string;
  KERNEL: string;
  INITRD: string;
  GUEST_BANNER: string;
  TEST_DOMAIN_PREFIX: string;
}

export function newVmEnv(): NewVmEnv {
  const env = JSON.parse(readFileSync(process.env.VIRTDECK_TEST_ENV ?? '/var/lib/virtdeck-test/env.json', 'utf8')) as Partial<NewVmEnv>;
  if (!env.TEST_ISO || !env.TEST_ISO_KNOWN) throw new Error('env.json has no TEST_ISO: run e2e/host/provision.sh (it builds the New VM test ISO)');
  return env as NewVmEnv;
}

export interface TestPool {
  uuid: string;
  name: string;
  dir: string;
  remove(): void;
}

/** A running dir pool with the test media as volumes: 'test install.iso', 'known.iso', 'disk image.img', 'vmlinuz', 'initrd.img'. */
export function makeTestPool(env: NewVmEnv, tag: string): TestPool {
  const dir = mkdtempSync(join(tmpdir(), 'vd-newvm-'));
  const poolDir = join(dir, 'pool dir');
  spawnSync('mkdir', ['-p', poolDir]);
  copyFileSync(env.TEST_ISO, join(poolDir, 'test install.iso'));
  copyFileSync(env.TEST_ISO_KNOWN, join(poolDir, 'known.iso'));
  copyFileSync(env.TEST_ISO, join(poolDir, 'disk image.img'));
  copyFileSync(env.KERNEL, join(poolDir, 'vmlinuz'));
  copyFileSync(env.INITRD, join(poolDir, 'initrd.img'));
  const name = `vd-test-newvm pool ${tag}`;
  const created = virsh('pool-create-as', '--name', name, '--type', 'dir', '--target', poolDir);
  if (created.status !== 0) throw new Error(created.stderr);
  const uuid = virsh('pool-uuid', '--pool', name).stdout.trim();
  return {
    uuid,
    name,
    dir: poolDir,
    remove: () => {
      virsh('pool-destroy', '--pool', uuid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stops and removes every VM whose name starts with `prefix` (NVRAM and TPM state too). */
export function removeVms(prefix: string): void {
  const names = virsh('list', '--all', '--name').stdout.split('\n').filter((n) => n.startsWith(prefix));
  for (const n of names) {
    const uuid = virsh('domuuid', '--domain', n).stdout.trim();
    virsh('destroy', '--domain', uuid);
    virsh('undefine', '--domain', uuid, '--nvram', '--managed-save', '--snapshots-metadata');
  }
}

export const vmNames = (prefix: string) => virsh('list', '--all', '--name').stdout.split('\n').filter((n) => n.startsWith(prefix));

/**
 * The guest's serial console from now on (`virsh console --force` in a pty, like Virtdeck's own
 * serial tab): `until(text)` resolves with the ms it took once `text` appeared.
 */
export function serialConsole(uuid: string): { until(text: string, timeoutMs: number): Promise<number>; output(): string; close(): void } {
  const started = Date.now();
  let out = '';
  const waiters: (() => void)[] = [];
  const pty = spawnPty('virsh', ['-c', 'qemu:///system', 'console', '--domain', uuid, '--force'], { cols: 200, rows: 50 });
  pty.onData((d) => {
    out += d;
    for (const w of waiters) w();
  });
  return {
    output: () => out,
    until: (text, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (out.includes(text)) {
            clearTimeout(timer);
            resolve(Date.now() - started);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => reject(new Error(`no “${text}” on the serial console within ${timeoutMs} ms; got:\n${out.slice(-2000)}`)), timeoutMs);
        if (!check()) waiters.push(() => void check());
      }),
    close: () => {
      try {
        pty.kill();
      } catch {
        /* already gone */
      }
    },
  };
}
