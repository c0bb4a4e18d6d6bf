/**
 * Splits virsh output into lines on LF only. CR is deliberately NOT stripped: libvirt accepts CR
 * inside domain names (written as &#13; in the XML), so a trailing CR may be part of a name.
 */
export function splitLines(out: string): string[] {
  return out.split('\n');
}

/** A line that carries nothing (empty or only blanks) — virsh ends most outputs with one. */
export function isBlank(line: string): boolean {
  return line.trim() === '';
}
