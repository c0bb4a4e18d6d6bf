/**
 * A small SSH server inside the test process (ssh2's Server) for login flows the provisioned
 * sshd cannot show: a jump host with its own password, a keyboard-interactive one-time code.
 * It forwards direct-tcpip channels (ProxyJump) but runs no commands.
 */
import { connect as netConnect, type AddressInfo } from 'node:net';
import { Server, utils, type AuthContext } from 'ssh2';

export interface FakeSshdOptions {
  /** user → password. */
  passwords: Record<string, string>;
  /** After a correct password, also ask this keyboard-interactive question; `code` is the right answer. */
  oneTimeCode?: { prompt: string; code: string };
}

export interface FakeSshd {
  port: number;
  /** Every password offered, in order, with the user it was offered for. */
  offered: Array<{ user: string; password: string }>;
  close(): Promise<void>;
}

export async function startFakeSshd(opts: FakeSshdOptions): Promise<FakeSshd> {
  const hostKey = utils.generateKeyPairSync('ed25519').private;
  const offered: FakeSshd['offered'] = [];
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    let passwordOk = false;
    client.on('error', () => {});
    client.on('authentication', (ctx: AuthContext) => {
      const right = opts.passwords[ctx.username];
      if (ctx.method === 'password') {
        offered.push({ user: ctx.username, password: ctx.password });
        passwordOk = right !== undefined && ctx.password === right;
        if (passwordOk && !opts.oneTimeCode) return ctx.accept();
        return ctx.reject(passwordOk ? ['keyboard-interactive'] : ['password', 'keyboard-interactive'], passwordOk);
      }
      if (ctx.method === 'keyboard-interactive' && passwordOk && opts.oneTimeCode) {
        const { prompt, code } = opts.oneTimeCode;
        return ctx.prompt([{ prompt, echo: false }], (answers) => (answers[0] === code ? ctx.accept() : ctx.reject()));
      }
      ctx.reject(['password', 'keyboard-interactive']);
    });
    client.on('ready', () => {
      client.on('tcpip', (accept, _reject, info) => {
        const out = netConnect(info.destPort, info.destIP);
        const channel = accept();
        out.on('error', () => channel.close());
        channel.on('error', () => out.destroy());
        channel.pipe(out).pipe(channel);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    offered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
