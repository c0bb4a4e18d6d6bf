/**
 * Classifies what virsh printed on stderr for a failed command.
 *
 * virsh prints one "error: …" line per message: usually its own context first, then libvirt's
 * error ("error: failed to get network 'x'" + "error: Network not found: no network with matching
 * name 'x'"). libvirt 9.0 prints only "error: failed to get domain 'x'" for an unknown domain.
 * Lines that do not start with "error: " continue the previous message (XML parse errors show the
 * offending line and a caret). libvirt's own log lines ("2026-…+0000: 1234: error : fn:42 : …")
 * can also reach stderr; they repeat the error and are dropped.
 * Error texts: https://libvirt.org/html/libvirt-virterror.html#virErrorNumber
 * Access control: https://libvirt.org/auth.html, https://libvirt.org/acl.html
 */
/** 'unreachable': no libvirt daemon answers (not running, or restarting): the host, not the command, failed. */
export type VirshErrorKind = 'not_found' | 'permission' | 'invalid' | 'unreachable' | 'other';

export interface VirshError {
  /** The messages without their "error: " prefixes, joined with ": " (continuation lines keep "\n"). */
  message: string;
  kind: VirshErrorKind;
  /** For 'permission': what the user can do about it. */
  hint?: string;
}

const LOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+[+-]\d{4}: \d+: (debug|info|warning|error) : /;

const NOT_FOUND = [
  /\b(Domain|Storage pool|Storage volume|Network|Network port|Node device|Secret|Interface|Network filter(?: binding)?|Domain snapshot|Domain checkpoint) not found\b/,
  /\bno (domain|storage pool|storage vol|network|secret|nodedev) with matching\b/,
  /^failed to get (domain|pool|vol|network|secret|interface|nwfilter|device|snapshot|checkpoint) '/m,
];

const SOCKET_DENIED = /Failed to connect socket to '[^']*': Permission denied/;
const SOCKET_MISSING = /Failed to connect socket to '[^']*': (No such file or directory|Connection refused)/;
/**
 * An interactive virsh whose libvirtd went away: it says so once ("Disconnected from URI due to
 * end of file"), and each later command tries to reconnect first ("Failed to reconnect to the
 * hypervisor"), succeeding by itself once a daemon listens again.
 */
const DAEMON_GONE = /^Disconnected from \S+ due to |^Failed to reconnect to the hypervisor$|client socket is closed/m;
const SSH_DENIED = /Permission denied \((publickey|password|keyboard-interactive)/;
const POLKIT = /\bpolkit\b|authentication unavailable|org\.libvirt\.unix\.manage|not authorized/i;
const READ_ONLY = /read only access prevents|read-only connection/i;
const PERMISSION = /Permission denied|access denied|authentication (unavailable|failed)|operation forbidden/i;

const INVALID = [
  /\binvalid argument\b/,
  /Requested operation is not valid/,
  /\bXML error\b|XML document failed to validate|invalid xmlChar value|\(domain_definition\):\d+:/,
  /doesn't support option|unknown command|command '[^']*' requires|expected syntax|unexpected data/,
  /Option argument is empty|malformed or out of range|Failed to get option|invalid char in name/,
  /\bis already active\b|\bnot paused\b|\bnot running\b|\balready exists\b/,
];

export function parseVirshError(stderr: string): VirshError {
  const messages: string[] = [];
  let anyErrorLine = false;
  for (const line of stderr.split('\n')) {
    if (LOG_LINE.test(line)) continue;
    if (line.startsWith('error: ')) {
      anyErrorLine = true;
      messages.push(line.slice('error: '.length));
    } else if (line.trim() !== '') {
      if (messages.length > 0) messages[messages.length - 1] += `\n${line}`;
      else messages.push(line);
    }
  }
  // the generic wrapper adds nothing when a more precise message follows
  const useful = messages.length > 1 ? messages.filter((m) => m !== 'failed to connect to the hypervisor') : messages;
  const message = (anyErrorLine || useful.length > 0 ? useful.join(': ') : stderr).trim();
  return { message, ...classify(message) };
}

function classify(message: string): { kind: VirshErrorKind; hint?: string } {
  if (SOCKET_DENIED.test(message)) {
    return {
      kind: 'permission',
      hint:
        "Your user may not open libvirt's socket. Add it to the group that owns the socket (usually `libvirt`: " +
        '`sudo usermod -aG libvirt $USER`, then log in again), or set unix_sock_group / unix_sock_rw_perms in ' +
        'libvirtd.conf (virtqemud.conf with modular daemons). https://libvirt.org/auth.html',
    };
  }
  if (SSH_DENIED.test(message)) {
    return { kind: 'permission', hint: 'The SSH server rejected the login: check the user name and key/agent for this host.' };
  }
  if (POLKIT.test(message)) {
    return {
      kind: 'permission',
      hint:
        'polkit refused the org.libvirt.unix.manage action and no agent can ask for a password in this ' +
        'session. Add your user to the `libvirt` group (the default polkit rule allows it), or add a polkit ' +
        'rule granting org.libvirt.unix.manage to your user. https://libvirt.org/auth.html#polkit',
    };
  }
  if (READ_ONLY.test(message)) {
    return { kind: 'permission', hint: 'The connection is read-only (virsh -r); reconnect without read-only mode.' };
  }
  if (PERMISSION.test(message)) {
    return {
      kind: 'permission',
      hint:
        'Access was denied: check the libvirt access-control rules (https://libvirt.org/acl.html) or, for a ' +
        'file, that the libvirt daemon / QEMU user can read and write it.',
    };
  }
  if (NOT_FOUND.some((re) => re.test(message))) return { kind: 'not_found' };
  if (SOCKET_MISSING.test(message) || DAEMON_GONE.test(message)) {
    return {
      kind: 'unreachable',
      hint: 'No libvirt daemon is listening: start it (`sudo systemctl start libvirtd`, or virtqemud.socket with modular daemons).',
    };
  }
  if (INVALID.some((re) => re.test(message))) return { kind: 'invalid' };
  return { kind: 'other' };
}
