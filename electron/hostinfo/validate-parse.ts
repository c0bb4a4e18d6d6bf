import type { ValidateLine } from '../../shared/model/hostinfo';

/**
 * `virt-host-validate qemu` lines ("  QEMU: Checking for X   : PASS", "… : WARN (note)"),
 * https://libvirt.org/manpages/virt-host-validate.html. Colours (on a terminal) are dropped.
 */
export function parseHostValidate(out: string): ValidateLine[] {
  const lines: ValidateLine[] = [];
  // eslint-disable-next-line no-control-regex
  for (const raw of out.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const m = /^\s*\w+:\s*Checking\s+(.*?)\s*:\s*(PASS|WARN|FAIL)(?:\s+\((.*)\))?\s*$/.exec(raw);
    if (m) lines.push({ check: m[1]!, verdict: m[2]!.toLowerCase() as ValidateLine['verdict'], note: m[3] ?? null });
  }
  return lines;
}
