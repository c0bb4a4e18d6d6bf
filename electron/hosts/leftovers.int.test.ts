/**
 * Nothing the app starts on a host may outlive it: not after a clean disconnect (ssh.int.test),
 * and not when the app is killed outright (SIGKILL: no chance to close a channel or signal).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesWithEnv } from '../../e2e/support/processes';
import { sshUri, testHost } from '../../e2e/support/test-host';
import { until } from '../../e2e/support/until';
import { seedHome, startWebApp } from '../../e2e/support/web-app';
import { CONNECTION_ENV } from './command-runner';

const th = testHost();

describe('a killed app', () => {
  it('leaves no process on the host, locally or over SSH, within 5 s of SIGKILL', async () => {
    const app = await startWebApp([], {
      // Two saved connections that connect at start: this computer's libvirt, and the same over SSH.
      prepareHome: (home) =>
        seedHome(
          home,
          [
            { id: 'local', name: 'local', uri: 'qemu:///system', autoconnect: true },
            { id: 'ssh', name: 'ssh', uri: sshUri(th), ssh: { auth: 'key', keyFile: th.SSH_KEY }, autoconnect: true },
          ],
          `[${th.SSH_HOST}]:${th.SSH_PORT} ${readFileSync(th.SSH_HOST_KEY_PUB, 'utf8').split(' ').slice(0, 2).join(' ')}\n`,
        ),
    });
    try {
      const idFile = join(app.home, '.config', 'virtdeck', 'instance-id');
      await until(() => existsSync(idFile), 10_000, 'the instance id');
      const mark = `${CONNECTION_ENV}=virtdeck-bound:${readFileSync(idFile, 'utf8').trim()}:`;
      // Each connection: the virsh session and three event watchers (each behind its wrapper).
      const virshOf = (conn: string) => processesWithEnv(`${mark}${conn}`).filter((p) => p.cmdline.startsWith('virsh '));
      await until(() => virshOf('local').length >= 4 && virshOf('ssh').length >= 4, 30_000, `4 virsh per connection:\n${app.output()}`);
      // Over SSH they run as the test user, children of sshd: not of the app.
      expect(virshOf('ssh').every((p) => p.uid !== 0)).toBe(true);
      const exited = new Promise((r) => app.child.once('exit', r));
      app.child.kill('SIGKILL');
      await exited;
      const t0 = Date.now();
      await until(() => processesWithEnv(mark).length === 0, 5000, `no process left: ${JSON.stringify(processesWithEnv(mark), null, 1)}`);
      console.log(`[leftovers] everything the killed app started ended ${Date.now() - t0} ms after SIGKILL`);
    } finally {
      await app.stop();
    }
  });
});
