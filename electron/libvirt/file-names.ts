/**
 * Names of files Virtdeck makes in pools (volumes of clones, backups, converted disks, snapshot
 * overlays and memory files), from untrusted VM and snapshot names.
 */

/**
 * A name as a file-name part: letters, digits, '.', '_' and '-' only, and no leading '.' or '-'
 * (a hidden file, or one a program reads as an option).
 */
export const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[.-]/, '_');

/**
 * The one "name nobody has yet" rule for things Virtdeck names itself (volumes of clones and
 * converted disks, backup ids): `STEM.EXT` if it is free, else `STEM-N.EXT` for the first free N.
 * libvirt refuses an existing volume name ("storage volume … exists already"), and the user's
 * files must never be overwritten, so a name is fresh or not used at all.
 */

/** `first`: the first number tried (a clone's second disk copy is `-2`: the unnumbered one is the first). */
export function freshName(stem: string, taken: ReadonlySet<string>, opts: { ext?: string; first?: number } = {}): string {
  const ext = opts.ext ?? '';
  if (!taken.has(`${stem}${ext}`)) return `${stem}${ext}`;
  for (let i = opts.first ?? 1; ; i++) if (!taken.has(`${stem}-${i}${ext}`)) return `${stem}-${i}${ext}`;
}
