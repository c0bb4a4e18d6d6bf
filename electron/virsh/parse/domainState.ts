/**
 * libvirt domain states, from the numeric code (`domstats` state.state) or from virsh's text
 * (`domstate`, `dominfo`, `list`).
 * Codes: https://libvirt.org/html/libvirt-libvirt-domain.html#virDomainState
 * Texts: vshDomainStateToString in tools/virsh-domain-monitor.c (e.g. BLOCKED is shown as "idle").
 */
import type { DomainState } from '../../../shared/model/domain';

const BY_CODE: readonly DomainState[] = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'];

const BY_TEXT: Readonly<Record<string, DomainState>> = {
  'no state': 'nostate',
  running: 'running',
  idle: 'blocked',
  paused: 'paused',
  'in shutdown': 'shutdown',
  'shut off': 'shutoff',
  crashed: 'crashed',
  pmsuspended: 'pmsuspended',
};

/** virDomainState number (0..7) → name. Unknown (newer libvirt) codes map to 'nostate', as virsh does. */
export function domainStateFromCode(n: number): DomainState {
  return BY_CODE[n] ?? 'nostate';
}

/** Whether a virDomainState number is one this libvirt-9.0-era list knows (newer libvirt may add more). */
export function isKnownDomainStateCode(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < BY_CODE.length;
}

/** virsh's state text ("shut off", "idle"…) → name; unknown text maps to 'nostate' like virsh's default. */
export function domainStateFromText(text: string): DomainState {
  return BY_TEXT[text.trim()] ?? 'nostate';
}

export interface DomstateReason {
  state: DomainState;
  /** virsh's words, e.g. "shut off". */
  stateText: string;
  /** virsh's reason words, e.g. "booted", "user", "saved", "shutdown", "unknown". */
  reason: string;
}

/** `domstate --reason` prints "<state> (<reason>)", e.g. "shut off (saved)". */
export function parseDomstateReason(out: string): DomstateReason {
  const m = /^(.+?) \((.*)\)\s*$/.exec(out.trim());
  if (!m) throw new Error(`unexpected 'domstate --reason' output: ${JSON.stringify(out)}`);
  return { state: domainStateFromText(m[1]!), stateText: m[1]!, reason: m[2]! };
}
