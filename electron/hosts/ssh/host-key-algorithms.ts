import type { ServerHostKeyAlgorithm } from 'ssh2';

/**
 * Host-key algorithm preference, as OpenSSH orders it: algorithms for key types already in
 * known_hosts for this host come first, so a server with several host keys shows the one we
 * know instead of a new type we would have to ask (or refuse) about.
 */

/** The ssh2 host-key algorithms that verify each known_hosts key type (ssh-dss is left off, as OpenSSH does). */
const ALGORITHMS_FOR_TYPE: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * ssh2's `algorithms.serverHostKey` for a host whose known key types are `knownTypes` (file
 * order): those algorithms moved to the front of ssh2's defaults; undefined when nothing is known.
 */
export function preferKnownHostKeys(
  knownTypes: readonly string[],
): { remove: ServerHostKeyAlgorithm[]; prepend: ServerHostKeyAlgorithm[]; append: ServerHostKeyAlgorithm[] } | undefined {
  const first = [...new Set(knownTypes.flatMap((t) => ALGORITHMS_FOR_TYPE[t] ?? []))];
  // ssh2 applies the keys in order: remove, then prepend (prepend alone skips listed algorithms).
  return first.length > 0 ? { remove: first, prepend: first, append: [] } : undefined;
}
