/**
 * What the provisioned test host offers (written by e2e/host/provision.sh), and throwaway
 * homes for the code under test so a test starts with an empty known_hosts and config.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const EnvFile = z.object({
  SSH_HOST: z.string(),
  SSH_PORT: z.coerce.number(),
  SSH_USER: z.string(),
  /** Can log in over SSH but is not in group libvirt. */
  SSH_NOGROUP_USER: z.string(),
  SSH_KEY: z.string(),
  SSH_KEY_PASS: z.string(),
  SSH_KEY_PASSPHRASE: z.string(),
  SSH_PASSWORD_FILE: z.string(),
  SSH_HOST_KEY_PUB: z.string(),
  GUEST_NAME: z.string(),
  GUEST_BANNER: z.string(),
});
export type TestHost = z.infer<typeof EnvFile>;

export const TEST_HOST_ENV = process.env.VIRTDECK_TEST_ENV ?? '/var/lib/virtdeck-test/env.json';

export function testHost(): TestHost {
  let text: string;
  try {
    text = readFileSync(TEST_HOST_ENV, 'utf8');
  } catch {
    throw new Error(`${TEST_HOST_ENV} is missing: run 'sudo bash e2e/host/provision.sh' first (npm test does)`);
  }
  return EnvFile.parse(JSON.parse(text));
}

export function sshUri(h: TestHost, path = '/system'): string {
  return `qemu+ssh://${h.SSH_USER}@${h.SSH_HOST}:${h.SSH_PORT}${path}`;
}

export function sshPassword(h: TestHost): string {
  return readFileSync(h.SSH_PASSWORD_FILE, 'utf8').trim();
}

/** A fresh HOME (no ~/.ssh/known_hosts, no config) removed by the returned cleanup. */
export function tempHome(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'virtdeck-home-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Puts the test guest back to shut off (tests must not depend on what ran before them). */
export function resetGuest(h: TestHost): void {
  const virsh = (...args: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8' });
  const state = virsh('domstate', '--domain', h.GUEST_NAME).stdout.trim();
  if (state !== 'shut off') virsh('destroy', '--domain', h.GUEST_NAME);
  virsh('managedsave-remove', '--domain', h.GUEST_NAME);
}
