/**
 * libvirt connection URIs (https://libvirt.org/uri.html) as far as Virtdeck uses them:
 * either a local URI run with the local virsh, or `driver+ssh://` where we SSH to the
 * host ourselves and run virsh there against the equivalent *local* URI.
 */
import { AppError } from '../../../shared/errors';

export interface LibvirtUri {
  driver: string;
  /** As written after `+` (ssh, libssh, libssh2, unix); absent for plain `qemu:///…`. */
  transport?: string;
  user?: string;
  /** Without IPv6 brackets. */
  host?: string;
  port?: number;
  path: string;
  /** Percent-decoded; the last occurrence of a repeated name wins. */
  query: Record<string, string>;
  remote: boolean;
  /** The URI to hand to virsh on the machine that runs it (the remote host when `remote`). */
  localUri: string;
}

/** Transports that mean "SSH to the host": we use our own SSH client for all of them. */
const SSH_TRANSPORTS = new Set(['ssh', 'libssh', 'libssh2']);

/**
 * Parameters consumed by libvirt's remote driver itself (see uri.html "Extra
 * parameters"); libvirt strips them before opening the remote side, so do we.
 */
const REMOTE_DRIVER_PARAMS = new Set([
  'name', 'command', 'socket', 'auth', 'netcat', 'keyfile', 'no_verify', 'no_tty', 'pkipath',
  'known_hosts', 'known_hosts_verify', 'sshauth', 'mode', 'proxy', 'tls_priority',
]);

function bad(uri: string, why: string): AppError {
  return new AppError('invalid_args', `Invalid libvirt URI "${uri}": ${why}`);
}

function decode(uri: string, s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw bad(uri, `bad percent-encoding in "${s}"`);
  }
}

// scheme://[userinfo@]host[:port]/path?query#fragment — authority may be empty (local URIs).
const URI_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;

export function parseLibvirtUri(input: string): LibvirtUri {
  const uri = input.trim();
  // The URI ends up on a (remote) command line; control characters have no business there.
  if (/[\u0000-\u001f\u007f]/.test(uri)) throw bad(JSON.stringify(uri).slice(1, -1), 'contains control characters');
  const m = URI_RE.exec(uri);
  if (!m) throw bad(uri, 'expected driver[+transport]://[user@][host][:port]/path, e.g. qemu:///system or qemu+ssh://root@host/system');
  const [, scheme = '', authority = '', rawPath = '', rawQuery] = m;

  const [driver = '', transport, ...extra] = scheme.toLowerCase().split('+');
  if (!/^[a-z][a-z0-9]*$/.test(driver) || extra.length > 0) throw bad(uri, `"${scheme}" is not a libvirt driver[+transport] scheme`);

  let user: string | undefined;
  let hostPort = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (userinfo.includes(':')) throw bad(uri, 'passwords in the URI are not supported; Virtdeck asks for them when needed');
    user = decode(uri, userinfo);
    if (!user) throw bad(uri, 'empty user name before "@"');
    hostPort = authority.slice(at + 1);
  }

  let host: string | undefined;
  let portText: string | undefined;
  const v6 = /^\[([0-9A-Fa-f:.]+(?:%[^\]]+)?)\](?::(.*))?$/.exec(hostPort);
  if (v6) {
    host = v6[1];
    portText = v6[2];
  } else if (hostPort.startsWith('[')) {
    throw bad(uri, 'malformed [IPv6] host');
  } else {
    const colon = hostPort.indexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : undefined;
    if (host && !/^[A-Za-z0-9._%-]+$/.test(host)) throw bad(uri, `"${host}" is not a valid host name`);
    if (host) host = decode(uri, host);
  }
  if (!host) host = undefined;
  let port: number | undefined;
  if (portText !== undefined && portText !== '') {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw bad(uri, `"${portText}" is not a valid port`);
  }

  const path = decode(uri, rawPath);
  if (!path.startsWith('/') || path === '/') {
    throw bad(uri, `no path — say which libvirt instance, e.g. ${driver}${transport ? '+' + transport : ''}://${authority}/system`);
  }

  const query: Record<string, string> = {};
  const keptParams: string[] = [];
  for (const part of (rawQuery ?? '').split(/[&;]/)) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decode(uri, eq >= 0 ? part.slice(0, eq) : part);
    query[name] = decode(uri, eq >= 0 ? part.slice(eq + 1) : '');
    if (!REMOTE_DRIVER_PARAMS.has(name)) keptParams.push(part);
  }

  if (transport === undefined || transport === 'unix') {
    // libvirt treats a host without a transport as TLS, so refuse rather than silently go local.
    if (host || user || port) {
      throw new AppError(
        'unsupported',
        `"${uri}" names a host without a transport, which libvirt would open over TLS. Virtdeck only supports local URIs (${driver}:///…) and SSH (${driver}+ssh://host/…).`,
      );
    }
    return { driver, ...(transport ? { transport } : {}), path, query, remote: false, localUri: uri };
  }

  if (!SSH_TRANSPORTS.has(transport)) {
    throw new AppError(
      'unsupported',
      `Transport "${transport}" in "${uri}" is not supported. Virtdeck only supports local URIs (${driver}:///…) and SSH (${driver}+ssh://[user@]host[:port]/…).`,
    );
  }
  if (!host) throw bad(uri, `an SSH URI needs a host, e.g. ${driver}+${transport}://root@example.com${path}`);

  // libvirt's `name` parameter overrides the URI opened on the remote side.
  const localUri = query.name ? query.name : `${driver}://${rawPath}${keptParams.length ? '?' + keptParams.join('&') : ''}`;
  const out: LibvirtUri = { driver, transport, host, path, query, remote: true, localUri };
  if (user !== undefined) out.user = user;
  if (port !== undefined) out.port = port;
  return out;
}
