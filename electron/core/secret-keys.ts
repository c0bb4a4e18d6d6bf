/**
 * Names of the entries in the secret store. SSH passwords belong to a login (user@host:port),
 * not to a saved connection: a ProxyJump hop and its target are two logins with two passwords,
 * and two connections to the same login share one.
 */
import { loginLabel, type SshLogin } from '../hosts/ssh-auth';
import type { SecretStore } from './adapters';

export function sshPasswordKey(login: SshLogin): string {
  return `ssh-password:${loginLabel(login)}`;
}

/** The old name: one password per saved connection, whichever login it was typed for. */
export function legacySshPasswordKey(connectionId: string): string {
  return `ssh:${connectionId}:password`;
}

/**
 * Moves a password saved under the old per-connection name to its login. The old name held
 * the first password asked while connecting: the jump host's when there is one (the hop is
 * reached first, and with password auth it always asked), else the target's. An entry already
 * saved for that login wins over the old one.
 */
export async function migrateSshPassword(store: SecretStore, connectionId: string, firstLogin: SshLogin): Promise<void> {
  const legacy = legacySshPasswordKey(connectionId);
  const old = await store.get(legacy);
  if (old === undefined) return;
  const key = sshPasswordKey(firstLogin);
  if ((await store.get(key)) === undefined) await store.set(key, old);
  await store.delete(legacy);
}
