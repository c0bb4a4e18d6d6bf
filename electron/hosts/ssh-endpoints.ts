import { userInfo } from 'node:os';
import type { ConnectionConfig } from '../../shared/model/host';
import type { SshEndpoint } from './ssh-connect';
import { loadSshConfig, parseJumpSpec, resolveSshConfig } from './ssh/ssh-config';
import type { parseLibvirtUri } from './ssh/libvirt-uri';

type ParsedUri = ReturnType<typeof parseLibvirtUri>;

/**
 * Where to connect: the URI's user/host/port win, then ~/.ssh/config's Host entry (HostName,
 * User, Port, IdentityFile, ProxyJump), then OpenSSH's defaults. The dialog's ProxyJump and
 * key file override the config, as `ssh -J`/`-i` would.
 */
export function resolveEndpoints(config: ConnectionConfig, uri: ParsedUri, homeDir: string): { target: SshEndpoint; jump?: SshEndpoint } {
  const text = loadSshConfig(homeDir);
  const alias = uri.host ?? 'localhost';
  const fromConfig = resolveSshConfig(text, alias);
  const auth = config.ssh?.auth ?? 'agent';
  const explicitKey = config.ssh?.keyFile ?? uri.query.keyfile;
  const target: SshEndpoint = {
    host: fromConfig.hostName || alias,
    port: uri.port ?? fromConfig.port ?? 22,
    user: uri.user ?? fromConfig.user ?? userInfo().username,
    auth,
    keyFiles: explicitKey ? [explicitKey] : fromConfig.identityFiles,
  };
  const jumpSpec = config.ssh?.proxyJump || fromConfig.proxyJump;
  if (!jumpSpec || jumpSpec === 'none') return { target };
  const hop = parseJumpSpec(jumpSpec);
  const hopConfig = resolveSshConfig(text, hop.host);
  return {
    target,
    jump: {
      host: hopConfig.hostName || hop.host,
      port: hop.port ?? hopConfig.port ?? 22,
      user: hop.user ?? hopConfig.user ?? target.user,
      // A jump host is reached with the agent or its own keys; a password prompt is still possible.
      auth: auth === 'password' ? 'password' : 'agent',
      keyFiles: hopConfig.identityFiles.length > 0 ? hopConfig.identityFiles : target.keyFiles,
    },
  };
}
