import { AppError } from '../../shared/errors';
import type { HostConnection } from '../hosts/host-connection';

/**
 * Reads one libvirt object with several virsh commands, where any one may fail: an object
 * Virtdeck cannot fully read is still listed, with `problems` saying what is missing, and
 * `gone` says it was undefined between the calls (then it is left out).
 */
export class PartialRead {
  readonly problems: string[] = [];
  gone = false;

  constructor(private readonly host: HostConnection) {}

  async read<T>(argv: string[], parse: (out: string) => T): Promise<T | undefined> {
    try {
      return parse((await this.host.run(['virsh', ...argv])).stdout);
    } catch (e) {
      const err = AppError.from(e);
      if (err.code === 'not_found') this.gone = true;
      else this.problems.push(`${argv[0]}: ${err.message}`);
      return undefined;
    }
  }
}
