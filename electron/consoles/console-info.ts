import { AppError } from '../../shared/errors';
import type { ConsoleInfo } from '../../shared/model/console';
import type { HostConnection } from '../hosts/host-connection';
import { parseDomstateReason } from '../virsh/parse';
import { parseDomdisplay, parseGraphics } from './graphics-xml';

/**
 * A VM's consoles as the host sees them now. The live XML (dumpxml without --inactive) has the
 * port QEMU actually got from autoport; `virsh domdisplay` is the cross-check, and the only
 * source when the XML has no usable listen address.
 */
export async function consoleInfo(host: HostConnection, uuid: string, canUndoSwitch: boolean): Promise<ConsoleInfo> {
  const [nameOut, stateOut, liveXml] = await Promise.all([
    host.run(['virsh', 'domname', '--domain', uuid]),
    host.run(['virsh', 'domstate', '--domain', uuid, '--reason']),
    host.run(['virsh', 'dumpxml', '--domain', uuid]),
  ]);
  const state = parseDomstateReason(stateOut.stdout).state;
  const live = parseGraphics(liveXml.stdout);
  const running = state === 'running' || state === 'paused' || state === 'blocked' || state === 'pmsuspended';
  let display: string | null = null;
  let endpoint = live.endpoint;
  if (running && live.status === 'vnc') {
    display = await host
      .run(['virsh', 'domdisplay', '--domain', uuid])
      .then((o) => o.stdout.trim() || null)
      .catch(() => null);
    endpoint ??= display ? parseDomdisplay(display) : undefined;
  }
  // A SPICE VM whose persistent config already says VNC: it shows VNC after the next start.
  let vncAfterRestart = false;
  if (live.status !== 'vnc' && running) {
    const inactive = await host.run(['virsh', 'dumpxml', '--domain', uuid, '--inactive']);
    vncAfterRestart = parseGraphics(inactive.stdout).status === 'vnc';
  }
  return {
    name: nameOut.stdout.trim(),
    state,
    status: live.status === 'vnc' && (!running || !endpoint) ? 'off' : live.status,
    ...(running && endpoint ? { endpoint } : {}),
    display,
    vncAfterRestart,
    canUndoSwitch,
    serials: live.serials.length ? live.serials : [],
    passwordRequired: live.passwordRequired,
  };
}

/** The endpoint of a running VNC display, or an error that says what the UI should show. */
export function requireVnc(info: ConsoleInfo) {
  if (info.status === 'vnc' && info.endpoint) return info.endpoint;
  const why: Record<string, string> = {
    off: `${info.name} is not running.`,
    none: `${info.name} has no graphical display.`,
    spice: `${info.name} uses SPICE graphics, which this console cannot show.`,
    other: `${info.name} has a graphical display this console cannot show.`,
  };
  throw new AppError('unsupported', why[info.status] ?? `${info.name} has no VNC display.`);
}
