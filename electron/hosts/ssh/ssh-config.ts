/**
 * The subset of ~/.ssh/config that Virtdeck honours for a host alias: HostName, User,
 * Port, IdentityFile and ProxyJump — so a host that works with `ssh alias` works here.
 *
 * Deliberate limits:
 * - `Include` is NOT followed (the ssh-config package does not do it and we do not
 *   add it); directives in included files are invisible to Virtdeck.
 * - `Match exec` is NEVER run: the config is data, and evaluating it must not spawn
 *   programs. Such blocks are treated as not matching.
 * - `CanonicalizeHostName` is ignored (the package would shell out to `nslookup`).
 */
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig, { LineType, type Line } from 'ssh-config';

export interface ResolvedSshConfig {
  /** HostName from the config, else the alias itself. */
  hostName: string;
  user?: string;
  port?: number;
  /** In config order, `~` and %-tokens expanded. OpenSSH accumulates these across matching blocks. */
  identityFiles: string[];
  /** Raw ProxyJump value (`none` is reported as absent); see {@link parseJumpSpec}. */
  proxyJump?: string;
}

export interface ResolveOptions {
  /** Local home directory for `~` and %d; defaults to os.homedir(). */
  home?: string;
  /** Local user name for %u (and %r when no User is set); defaults to os.userInfo(). */
  localUser?: string;
}

/** Reads ~/.ssh/config, or '' if there is none. */
export function loadSshConfig(home: string): string {
  try {
    return readFileSync(join(home, '.ssh', 'config'), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return '';
    throw e;
  }
}

function isDirective(l: Line): l is Extract<Line, { param: string }> {
  return l.type === LineType.DIRECTIVE;
}

/**
 * Removes what could make `compute()` run programs. `matchExec: false` already makes the
 * package skip `Match exec`; we also drop those blocks so a future default change or
 * option rename cannot turn them back on. CanonicalizeHostName lines go because with
 * CanonicalDomains the package runs `nslookup` regardless of any option.
 */
function defang(config: SSHConfig): void {
  for (let i = config.length - 1; i >= 0; i--) {
    const line = config[i]!;
    if (!isDirective(line)) continue;
    if ('criteria' in line && Object.keys(line.criteria).some((k) => /^!?exec$/i.test(k))) {
      config.splice(i, 1);
      continue;
    }
    if (/^CanonicalizeHostName$/i.test(line.param)) {
      config.splice(i, 1);
      continue;
    }
    if ('config' in line) defang(line.config);
  }
}

function firstString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** ssh_config TOKENS, the commonly used ones. Unknown tokens are left as written. */
function expandTokens(s: string, tokens: Record<string, string>): string {
  return s.replace(/%(.)/g, (all, c: string) => (c === '%' ? '%' : (tokens[c] ?? all)));
}

function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  return p.startsWith('~/') ? join(home, p.slice(2)) : p;
}

/**
 * What `ssh <alias>` would use, from the text of an ssh_config file. First value wins
 * for single-valued options (so put `Host *` defaults last, as OpenSSH expects);
 * IdentityFile accumulates.
 */
export function resolveSshConfig(text: string, alias: string, opts: ResolveOptions = {}): ResolvedSshConfig {
  const home = opts.home ?? homedir();
  const localUser = opts.localUser ?? safeLocalUser();
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch (e) {
    throw new Error(`Cannot parse ssh config: ${(e as Error).message}`);
  }
  defang(config);
  // ignoreCase: directive names are case-insensitive in OpenSSH; keys come back lower-cased.
  const c = config.compute(alias, { ignoreCase: true, matchExec: false });

  const rawHostName = firstString(c.hostname);
  // HostName may use %h for the alias (e.g. `HostName %h.corp.example`).
  const hostName = rawHostName ? expandTokens(rawHostName, { h: alias }) : alias;
  const user = firstString(c.user);
  const portText = firstString(c.port);
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new Error(`Bad Port "${portText}" in ssh config for ${alias}`);
  }
  const tokens: Record<string, string> = {
    h: hostName,
    n: alias,
    p: String(port ?? 22),
    r: user ?? localUser,
    u: localUser,
    d: home,
  };
  const files = c.identityfile === undefined ? [] : ([] as string[]).concat(c.identityfile);
  const identityFiles = files.filter((f) => f.toLowerCase() !== 'none').map((f) => expandTilde(expandTokens(f, tokens), home));

  const result: ResolvedSshConfig = { hostName, identityFiles };
  if (user !== undefined) result.user = user;
  if (port !== undefined) result.port = port;
  const jump = firstString(c.proxyjump);
  if (jump !== undefined && jump.toLowerCase() !== 'none') result.proxyJump = jump;
  return result;
}

function safeLocalUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? '';
  }
}

/**
 * Parses one ProxyJump hop: `host`, `user@host`, `host:port`, `user@host:port`,
 * `[v6addr]:port`, or `ssh://user@host:port`. Only the FIRST hop of a comma-separated
 * chain is returned — Virtdeck supports a single jump host; later hops are ignored.
 */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  let s = (spec.split(',')[0] ?? '').trim();
  if (s.toLowerCase().startsWith('ssh://')) s = s.slice(6).replace(/\/$/, '');
  const at = s.lastIndexOf('@');
  const user = at >= 0 ? s.slice(0, at) : undefined;
  let rest = at >= 0 ? s.slice(at + 1) : s;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new Error(`Bad jump host "${spec}": missing ]`);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw new Error(`Bad jump host "${spec}"`);
    portText = after ? after.slice(1) : undefined;
    rest = rest.slice(1, close);
  } else if (rest.indexOf(':') !== rest.lastIndexOf(':')) {
    // Unbracketed IPv6 literal: no port possible.
  } else if (rest.includes(':')) {
    [rest, portText] = rest.split(':') as [string, string];
  }
  if (!rest || /\s/.test(rest)) throw new Error(`Bad jump host "${spec}": no host name`);
  if (user === '') throw new Error(`Bad jump host "${spec}": empty user name`);
  const out: { user?: string; host: string; port?: number } = { host: rest };
  if (user !== undefined) out.user = user;
  if (portText !== undefined) {
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new Error(`Bad jump host "${spec}": invalid port`);
    out.port = port;
  }
  return out;
}
