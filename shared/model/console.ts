import { z } from 'zod';
import { DomainState } from './domain';

/** Backend-issued console ids (random, url-safe). */
export const ConsoleId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export type ConsoleId = z.infer<typeof ConsoleId>;

export const ConsoleKind = z.enum(['vnc', 'serial']);
export type ConsoleKind = z.infer<typeof ConsoleKind>;

/** `virsh console --devname` names come from the live XML aliases (serial0, console1…). */
export const SerialDevname = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);

/**
 * Where QEMU serves the VM's display, as seen from the host (https://libvirt.org/formatdomain.html#graphical-framebuffers):
 * a TCP listen address/port, or a unix socket (`<listen type='socket'/>`).
 */
export const VncEndpoint = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tcp'), host: z.string(), port: z.number().int().min(1).max(65535) }),
  z.object({ kind: z.literal('unix'), path: z.string() }),
]);
export type VncEndpoint = z.infer<typeof VncEndpoint>;

/** What the VM's graphics look like to the console: the UI picks its message from `status`. */
export const GraphicsStatus = z.enum([
  'vnc', // a VNC display is up (`endpoint` set)
  'off', // the VM is not running (Start button)
  'none', // no <graphics> device at all
  'spice', // SPICE only: noVNC cannot show it (offer the switch to VNC)
  'other', // some other type (sdl, rdp, egl-headless…) we cannot show
]);
export type GraphicsStatus = z.infer<typeof GraphicsStatus>;

export const ConsoleInfo = z.object({
  name: z.string(),
  state: DomainState,
  status: GraphicsStatus,
  endpoint: VncEndpoint.optional(),
  /** `virsh domdisplay`, the cross-check of the XML (null when it has none). */
  display: z.string().nullable(),
  /** The persistent config already has VNC while the running VM still shows SPICE: effective after the next start. */
  vncAfterRestart: z.boolean(),
  /** A previous graphics configuration was kept by switchToVnc and can be restored. */
  canUndoSwitch: z.boolean(),
  /** Serial/console devices (`--devname` values), first is the default. */
  serials: z.array(z.string()),
  /** The display has a VNC password set (noVNC will ask for it). */
  passwordRequired: z.boolean(),
});
export type ConsoleInfo = z.infer<typeof ConsoleInfo>;

/** Why a console's byte channel ended. */
export const ClosedReason = z.enum([
  'vm-stopped', // QEMU went away: a VNC console waits for the next start and says so with consoles.vncRestart
  'detached', // virsh console ended (Ctrl+] or another client took it over with --force)
  'closed', // the user closed it
  'host-disconnected',
  'error',
]);
export type ClosedReason = z.infer<typeof ClosedReason>;

export const ConsoleOpened = z.object({
  consoleId: ConsoleId,
  /** One-time ticket for the byte channel (browser mode: /api/console?ticket=…; desktop: a MessagePort). */
  ticket: z.string(),
  /** A remembered VNC password for this VM (only in the desktop app's encrypted store). */
  password: z.string().optional(),
});
export type ConsoleOpened = z.infer<typeof ConsoleOpened>;

/**
 * Control messages on the byte channel (text frames / plain objects); data itself is binary.
 * The renderer acknowledges what it has consumed, so the backend stops reading the guest when
 * too much is in flight (Tabby-style flow control).
 */
export const ChannelFromClient = z.discriminatedUnion('t', [z.object({ t: z.literal('ack'), bytes: z.number().int().min(0).max(64 * 1024 * 1024) })]);
export type ChannelFromClient = z.infer<typeof ChannelFromClient>;
export const ChannelFromServer = z.discriminatedUnion('t', [
  z.object({ t: z.literal('open') }),
  z.object({ t: z.literal('closed'), reason: ClosedReason, message: z.string().optional() }),
]);
export type ChannelFromServer = z.infer<typeof ChannelFromServer>;

/** Close code for a ticket that is unknown, used or expired. */
export const BAD_TICKET_CLOSE = 4403;
