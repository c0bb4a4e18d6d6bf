import { AppError } from '../../shared/errors';
import { parseVirshError } from './parse';

/** Turns a command's stderr into a typed error, or undefined when it only carried warnings. */
export function virshFailure(stderr: string): AppError | undefined {
  if (!/^error: /m.test(stderr)) return undefined;
  const parsed = parseVirshError(stderr);
  // No daemon answers: the host dropped away under the command (HostConnection reconnects).
  const code = parsed.kind === 'not_found' ? 'not_found' : parsed.kind === 'permission' ? 'permission' : parsed.kind === 'unreachable' ? 'disconnected' : 'virsh';
  // The hint (what to fix) travels inside the message too: every UI shows the message.
  return new AppError(code, parsed.hint ? `${parsed.message} — ${parsed.hint}` : parsed.message, parsed.hint);
}

/** The command failed because no libvirt daemon answered (see virshFailure): the host is away, not the command wrong. */
export function libvirtUnreachable(e: unknown): e is AppError {
  return e instanceof AppError && e.code === 'disconnected' && parseVirshError(`error: ${e.message}`).kind === 'unreachable';
}
