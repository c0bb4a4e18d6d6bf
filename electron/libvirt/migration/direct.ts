/**
 * Path 4, for hosts that already trust each other: the source's libvirtd logs in to the
 * destination itself over libssh (https://libvirt.org/uri.html#libssh-transport), with
 *   - `known_hosts=`: a file holding ONLY the destination's key as Virtdeck verified it (copied
 *     from Virtdeck's known_hosts into a 0700 directory on the source, deleted afterwards), and
 *     `known_hosts_verify=normal`, so an unknown or changed key is refused;
 *   - `keyfile=`: a private key the user names, on the source (root's libvirtd reads it);
 *   - `sshauth=privkey`: no agent. Virtdeck never forwards the user's ssh-agent (ssh2 1.17
 *     cannot scope forwarding to one channel; it would stay on for the whole connection).
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import { entryMatchesHost, hostPattern, knownHostsLine, parseKnownHosts } from '../../hosts/ssh/known-hosts';
import { privateDir } from './private-dir';

/** URI query values: everything but unreserved characters and '/' percent-encoded (libvirt unescapes them). */
const q = (s: string) => encodeURIComponent(s).replace(/%2F/g, '/');

export function directUri(t: { host: string; port: number; user: string }, keyFile: string, knownHosts: string): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `qemu+libssh://${encodeURIComponent(t.user)}@${host}:${t.port}/system?keyfile=${q(keyFile)}&known_hosts=${q(knownHosts)}&known_hosts_verify=normal&sshauth=privkey`;
}

/** The destination's verified key(s), as known_hosts lines for its host pattern. */
export async function verifiedKeyLines(dest: HostConnection): Promise<{ target: { host: string; port: number; user: string }; text: string }> {
  const t = dest.sshTarget();
  if (!t) throw new AppError('unsupported', `${dest.config.name} is not reached over a direct SSH connection: the direct path needs one (its key and address).`);
  const text = await readFile(t.knownHostsPath, 'utf8').catch(() => '');
  const name = hostPattern(t.host.toLowerCase(), t.port);
  const lines = parseKnownHosts(text).filter((e) => e.marker === undefined && entryMatchesHost(e, name)).map((e) => knownHostsLine(t.host, t.port, e.keyType, e.key));
  if (lines.length === 0) throw new AppError('not_found', `Virtdeck has no verified host key for ${name} in ${t.knownHostsPath}.`);
  return { target: t, text: `${lines.join('\n')}\n` };
}

export async function prepareDirect(source: HostConnection, dest: HostConnection, keyFile: string): Promise<{ destUri: string; close(): Promise<void> }> {
  const { target, text } = await verifiedKeyLines(dest);
  const dir = await privateDir(source);
  try {
    const file = await dir.write('known_hosts', text);
    return { destUri: directUri(target, keyFile, file), close: () => dir.remove() };
  } catch (e) {
    await dir.remove();
    throw e;
  }
}
