import { loginLabel, type AskScope, type SshLogin } from '../hosts/ssh-auth';
import type { SshAsk } from '../hosts/ssh-connect';
import type { SecretStore } from './adapters';
import type { Prompter } from './prompter';
import { sshPasswordKey } from './secret-keys';

/**
 * What the SSH layer asks a person, and the passwords it may reuse: typed this session (memory)
 * or remembered (secret store), both per login (user@host:port), never per connection.
 */
export class SshPrompts {
  /** Passwords typed this session, so a reconnect after a drop needs nobody at the keyboard. */
  private readonly typed = new Map<string, string>();

  constructor(private readonly deps: { prompter: Prompter; secrets: SecretStore }) {}

  /** The asker for one saved connection (its id travels with each prompt for the UI). */
  forConnection(hostId: string): SshAsk {
    const { prompter, secrets } = this.deps;
    return {
      hostKey: async (scope, keyType, fingerprint) =>
        (await prompter.ask({ kind: 'hostKey', hostId, host: scope.host, port: scope.port, keyType, fingerprint }, scope.signal)).accept,
      secret: async (scope: AskScope, purpose, message, echo = false) => {
        const key = sshPasswordKey(scope);
        if (purpose === 'password') {
          const known = this.typed.get(loginLabel(scope)) ?? (await secrets.get(key));
          if (known !== undefined) return known;
        }
        const a = await prompter.ask({ kind: 'secret', hostId, purpose, message, echo, canRemember: secrets.persistent && purpose === 'password' }, scope.signal);
        // AuthAsk's contract: a cancelled, expired or withdrawn question is undefined, not a throw.
        if (!a.accept || a.value === undefined) return undefined;
        if (purpose === 'password') {
          this.typed.set(loginLabel(scope), a.value);
          if (a.remember && secrets.persistent) await secrets.set(key, a.value);
        }
        return a.value;
      },
      forgetPassword: (login) => this.forget(login),
    };
  }

  async forget(login: SshLogin): Promise<void> {
    this.typed.delete(loginLabel(login));
    await this.deps.secrets.delete(sshPasswordKey(login));
  }
}
