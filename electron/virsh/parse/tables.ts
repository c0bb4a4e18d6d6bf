import { isBlank, splitLines } from './lines';

/**
 * Column tables from `domblklist --details` and `domifaddr`. Interactive `virsh -q` prints
 * them without the header and dashes; one-shot virsh prints both, so both forms are accepted.
 */
function dataLines(out: string, headerFirstWord: string): string[] {
  return splitLines(out).filter((l) => !isBlank(l) && !/^-+$/.test(l.trim()) && l.trim().split(/\s+/)[0] !== headerFirstWord);
}

export interface BlockDevice {
  type: string; // file, block, network, volume…
  device: string; // disk, cdrom, floppy, lun
  target: string; // vda, sda…
  /** Source path or volume; '-' (no media) becomes ''. May contain spaces. */
  source: string;
}

/** `domblklist --details DOMAIN`: the source is the rest of the line after three columns. */
export function parseDomblklist(out: string): BlockDevice[] {
  return dataLines(out, 'Type').map((line) => {
    const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`unexpected domblklist line: ${JSON.stringify(line)}`);
    const source = m[4]!.replace(/\s+$/, '');
    return { type: m[1]!, device: m[2]!, target: m[3]!, source: source === '-' ? '' : source };
  });
}

export interface InterfaceAddress {
  name: string;
  mac: string;
  protocol: string; // ipv4 | ipv6
  /** Address without its /prefix. */
  address: string;
  prefix: number | null;
}

/** `domifaddr DOMAIN`: continuation lines repeat '-' for the interface name and MAC. */
export function parseDomifaddr(out: string): InterfaceAddress[] {
  const result: InterfaceAddress[] = [];
  let last = { name: '', mac: '' };
  for (const line of dataLines(out, 'Name')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4) continue;
    const [name, mac, protocol, addr] = cols as [string, string, string, string];
    if (name !== '-') last = { name, mac };
    const [address, prefix] = addr.split('/');
    result.push({ name: last.name, mac: mac === '-' ? last.mac : mac, protocol, address: address!, prefix: prefix ? Number(prefix) : null });
  }
  return result;
}
