import { z } from 'zod';
import { HostId } from '../model/host';
import { DomainUuid } from '../model/domain';
import { ClosedReason, ConsoleId, ConsoleInfo, ConsoleOpened, SerialDevname } from '../model/console';
import type { EventTable, RequestTable } from './common';

const onVm = z.object({ hostId: HostId, uuid: DomainUuid }).strict();

export const consoleRequests = {
  /** Graphics and serial devices of a VM from its live XML, cross-checked with `virsh domdisplay`. */
  'consoles.vncInfo': { args: onVm, result: ConsoleInfo },
  /** A VNC console: returns a ticket for its byte channel. `consoleId` reopens an existing one (after a restart). */
  'consoles.openVnc': { args: onVm.extend({ consoleId: ConsoleId.optional() }).strict(), result: ConsoleOpened },
  /** `virsh console UUID --force [--devname X]` in a pty; the guest's bytes flow over the ticket's channel. */
  'consoles.openSerial': {
    args: onVm.extend({ devname: SerialDevname.optional(), rows: z.number().int().min(2).max(1000), cols: z.number().int().min(2).max(1000) }).strict(),
    result: ConsoleOpened,
  },
  /** The pty follows the terminal's size (the guest itself never learns it over a serial line). */
  'consoles.serialResize': {
    args: z.object({ consoleId: ConsoleId, rows: z.number().int().min(2).max(1000), cols: z.number().int().min(2).max(1000) }).strict(),
    result: z.null(),
  },
  /** Closes a console: detaches `virsh console` (so others can attach) or drops the VNC tunnel. */
  'consoles.close': { args: z.object({ consoleId: ConsoleId }).strict(), result: z.null() },
  /** Replaces SPICE by VNC in the persistent XML (effective after the next start); the old XML is kept for undo. */
  'consoles.switchToVnc': { args: onVm, result: ConsoleInfo },
  'consoles.undoSwitchToVnc': { args: onVm, result: ConsoleInfo },
  /** Remember (or forget, with null) this VM's VNC password in the secret store; refused in browser mode. */
  'consoles.rememberVncPassword': { args: onVm.extend({ password: z.string().max(256).nullable() }).strict(), result: z.null() },
} as const satisfies RequestTable;

export const consoleEvents = {
  /** A console's channel ended; VNC consoles of a stopped VM stay registered and wait for a restart. */
  'consoles.closed': z.object({ consoleId: ConsoleId, reason: ClosedReason, message: z.string().optional() }),
  /** The VM of a waiting VNC console runs again with a display: reopen with consoles.openVnc({consoleId}). */
  'consoles.vncRestart': z.object({ consoleId: ConsoleId }),
} as const satisfies EventTable;
