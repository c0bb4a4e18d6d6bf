import { joinForPosixShell, quoteForPosixShell } from '../posix-shell';
import { z } from 'zod';
import { HostId } from '../model/host';
import { ObjectUuid } from '../model/storage';
import { type EventTable, type RequestTable } from './common';

/**
 * Every request that changes something on a host: each can show its virsh commands first.
 *
 * The plan API (generic: one request for all of them) is `commands.preview`:
 *   api.request('commands.preview', { name: 'domains.action', args: { hostId, uuids, action: 'destroy' } })
 *   → { hostName, remote, commands: [{ argv: ['virsh', '-c', URI, 'destroy', '--domain', UUID] }, …] }
 * `args` is exactly the payload the request itself takes (validated by its own schema); the
 * result has one CommandLine per step, in run order (one per VM for a multi-selection). In the
 * renderer, `<CommandPreview request=… args=… />` (features/activity) renders it as a "Show
 * command" disclosure (shell-quoted, stdin XML as a heredoc); `ActionDialog` wraps a form with it.
 *
 * Making another request previewable (e.g. a hardware edit): add its name here, then a planner
 * for it in electron/core/handlers/commands.ts (a missing one is a compile error) that returns
 * the `Step[]` (electron/libvirt/plan.ts: virsh argv after `-c URI`, optional `stdin` text for
 * `define --file /dev/stdin`) built by THE SAME function the handler then runs (runSteps), so the
 * preview cannot drift from what runs.
 */
export const PreviewableRequest = z.enum([
  'domains.action',
  'domains.saveToFile',
  'domains.restoreFromFile',
  'domains.delete',
  'storage.pools.define',
  'storage.pools.action',
  'storage.pools.defineXml',
  'storage.volumes.create',
  'storage.volumes.clone',
  'storage.volumes.resize',
  'storage.volumes.wipe',
  'storage.volumes.delete',
  'storage.volumes.upload',
  'storage.volumes.download',
  'storage.volumes.uploadFromBrowser',
  'storage.volumes.downloadToBrowser',
  'networks.define',
  'networks.action',
  'networks.defineXml',
  'details.edit',
  'details.addDevice',
  'details.removeDevice',
  'details.changeMedia',
  'newvm.create',
  'newvm.createPxeNetwork',
  'hostpage.nodedevAction',
  'snapshots.create',
  'snapshots.revert',
  'snapshots.delete',
  'snapshots.describe',
  'tuning.ksm.set',
  'tuning.ksmtuned.config',
  'tuning.hugepages.allocate',
  'tuning.pin',
  'tuning.setMemtune',
  'tuning.applyFix',
  'clones.create',
  'templates.set',
  'snapshots.convertDisk',
  'backups.create',
  'backups.restoreAsNew',
  'backups.restoreOver',
  'backups.delete',
  'backups.finish',
]);
export type PreviewableRequest = z.infer<typeof PreviewableRequest>;

/** One command as it runs on the host: argv, and what is fed to it or taken from it. */
export const CommandLine = z.object({
  argv: z.array(z.string()),
  /** Text on stdin (XML for define --validate): shown as a heredoc. */
  stdin: z.string().optional(),
  /** A file of this computer streamed to stdin (vol-upload). */
  stdinFile: z.string().optional(),
  /** A file of this computer that stdout is written to (vol-download). */
  stdoutFile: z.string().optional(),
});
export type CommandLine = z.infer<typeof CommandLine>;

export const CommandPreview = z.object({
  /** The connection's name and whether the commands run on a remote host (over SSH). */
  hostName: z.string(),
  remote: z.boolean(),
  commands: z.array(CommandLine),
});
export type CommandPreview = z.infer<typeof CommandPreview>;

export const XmlKind = z.enum(['pool', 'network']);
export type XmlKind = z.infer<typeof XmlKind>;

export const XmlVersion = z.object({ at: z.number(), name: z.string(), xml: z.string() });
export type XmlVersion = z.infer<typeof XmlVersion>;

export const commandRequests = {
  /**
   * The exact commands `name` would run with these `args` (validated by that request's own
   * schema), built by the same code that runs them. Read-only queries it needs to decide (is the
   * VM running? is the volume smaller?) do run.
   */
  'commands.preview': { args: z.object({ name: PreviewableRequest, args: z.unknown() }).strict(), result: CommandPreview },
  /** Earlier versions of a pool's or network's XML, newest first, kept each time Virtdeck redefined it. */
  'xml.history': { args: z.object({ hostId: HostId, kind: XmlKind, uuid: ObjectUuid }).strict(), result: z.array(XmlVersion) },
} as const satisfies RequestTable;

export const commandEvents = {} as const satisfies EventTable;

/**
 * A command as a user would type it in a shell: quoted argv, stdin text as a quoted heredoc
 * (no expansion inside), files as redirections. Pasting it runs the same command.
 */
export function commandText(cmd: CommandLine): string {
  let line = joinForPosixShell(cmd.argv);
  if (cmd.stdinFile !== undefined) line += ` < ${quoteForPosixShell(cmd.stdinFile)}`;
  if (cmd.stdoutFile !== undefined) line += ` > ${quoteForPosixShell(cmd.stdoutFile)}`;
  if (cmd.stdin === undefined) return line;
  const body = cmd.stdin.endsWith('\n') ? cmd.stdin : `${cmd.stdin}\n`;
  const lines = new Set(body.split('\n'));
  let tag = 'EOF';
  for (let i = 1; lines.has(tag); i++) tag = `EOF_${i}`;
  return `${line} <<'${tag}'\n${body}${tag}`;
}
