/**
 * Faults on a host while Virtdeck is connected to it, all on the private libvirt host (never the
 * shared one): its libvirtd restarted (locally, through its socket, and over SSH), its sshd killed
 * and restarted, the connection's virsh session killed, the domain event watcher silenced, a
 * pool's disk full during an upload and a volume create, and the app killed outright. The browser-mode UI (the real server, Chromium) is watched the whole
 * time: the host says it is reconnecting while the fault lasts, and within 5 s of the recovery
 * it is connected and shows the guest in the state it got during the fault — and never flips
 * back to a stale one.
 *
 * One guest (a copy of the TCG test guest) runs for the whole file. VIRTDECK_FAULT_SILENT_MS sets
 * how long the event watcher stays frozen (default 20 s; the minute: 60000).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_ENV } from '../electron/hosts/command-runner';
import { AppError } from '../shared/errors';
import { startHarness } from './support/backend-harness';
import { processesWithEnv } from './support/processes';
import {
  guestXmlAs,
  inPrivateHost,
  pidAlive,
  privateHostPath,
  privateLocalUri,
  privateVirsh,
  restartDaemons,
  startPrivateHost,
  stopDaemon,
  stopPrivateHost,
  type PrivateHost,
} from './support/private-host';
import { testHost } from './support/test-host';
import { until } from './support/until';
import { buildWebServer, seedHome, startWebApp, type WebApp } from './support/web-app';

const th = testHost();
const GUEST = { name: 'vd-test-faults', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f01', mac: '52:54:00:7e:0f:01' };
const SILENT_MS = Number(process.env.VIRTDECK_FAULT_SILENT_MS ?? 20_000);
/** The bound: the UI is right this soon after the host recovered. */
const RECOVERY_MS = 5000;
/** How long sshd stays down: past a few reconnect attempts (1, 2, 3 s apart, then every 3 s). */
const SSHD_DOWN_MS = 16_000;
const HOSTS = { local: 'ph-local', ssh: 'ph-ssh' } as const;
const MiB = 1024 * 1024;
type Kind = keyof typeof HOSTS;

/** What the page showed: every change of a host status or VM state, with its time (see watchStates). */
interface Shown {
  t: number;
  key: string;
  state: string;
}

/** Runs in the page: records each change of the host-status and vm-state attributes every 50 ms. */
function watchStates(): void {
  const w = window as unknown as { __shown: Shown[] };
  w.__shown = [];
  const last = new Map<string, string>();
  setInterval(() => {
    const now = new Map<string, string>();
    for (const el of Array.from(document.querySelectorAll('[data-testid^="host-status-"], [data-testid^="vm-state-"]')))
      now.set(el.getAttribute('data-testid')!, el.getAttribute('data-state') ?? '');
    for (const key of new Set([...last.keys(), ...now.keys()])) {
      const state = now.get(key) ?? 'absent';
      if ((last.get(key) ?? 'absent') !== state) w.__shown.push({ t: Date.now(), key, state });
    }
    last.clear();
    for (const [k, v] of now) last.set(k, v);
  }, 50);
}

describe('faults on the private host, watched in the browser-mode UI', () => {
  let ph: PrivateHost;
  let app: WebApp | undefined;
  let server = '';
  let browser: Browser | undefined;
  let page: Page;
  let work = '';
  let instance = '';

  const virsh = (...args: string[]) => {
    const r = privateVirsh(ph, ...args);
    if (r.status !== 0) throw new Error(`virsh ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const hostKey = (kind: Kind) => `host-status-${HOSTS[kind]}`;
  const vmKey = `vm-state-${GUEST.name}`;
  const shown = async (): Promise<Shown[]> => page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown);
  const current = async (key: string) => (await page.locator(`[data-testid="${key}"]`).getAttribute('data-state', { timeout: 1000 }).catch(() => null)) ?? 'absent';
  const waitShown = async (key: string, state: string, ms: number) => {
    await until(async () => (await current(key)) === state, ms, `the UI to show ${key} = ${state} (now ${await current(key)})`);
    return Date.now();
  };
  /** The connection's own processes (on this machine or on the private host over SSH). */
  const tagged = (kind: Kind) => processesWithEnv(`${CONNECTION_ENV}=virtdeck-bound:${instance}:${HOSTS[kind]}`);
  const sessionOf = (kind: Kind) => tagged(kind).filter((p) => / -q$/.test(p.cmdline) && p.cmdline.startsWith('virsh '));
  const watcherOf = (kind: Kind) => tagged(kind).filter((p) => p.cmdline.startsWith('virsh ') && p.cmdline.endsWith(' event --all --loop'));

  const connect = async (kind: Kind) => {
    await page.getByTestId(`host-connect-${HOSTS[kind]}`).click();
    await waitShown(hostKey(kind), 'connected', 30_000);
    await waitShown(vmKey, 'running', 15_000);
  };
  const disconnect = async (kind: Kind) => {
    await page.getByTestId(`host-disconnect-${HOSTS[kind]}`).click();
    await waitShown(hostKey(kind), 'disconnected', 10_000);
    await until(() => tagged(kind).length === 0, 10_000, `the ${kind} connection's processes to end`);
  };

  /**
   * What the UI showed from `since`: the host's states in order (repeats merged), and whether the
   * VM, once it showed `vmState` after the recovery, ever showed anything else.
   */
  const episode = async (kind: Kind, since: number, recoveredAt: number, vmState: string) => {
    const log = (await shown()).filter((s) => s.t >= since);
    const states = log.filter((s) => s.key === hostKey(kind)).map((s) => s.state);
    const host = states.filter((s, i) => i === 0 || states[i - 1] !== s);
    const vm = log.filter((s) => s.key === vmKey && s.t >= recoveredAt).map((s) => s.state);
    const right = vm.indexOf(vmState);
    return { host, vmAfterRight: right < 0 ? [] : vm.slice(right + 1), log };
  };

  beforeAll(async () => {
    ph = await startPrivateHost();
    work = mkdtempSync(join(tmpdir(), 'vd-faults-'));
    writeFileSync(join(work, 'guest.xml'), guestXmlAs(th, GUEST));
    virsh('define', join(work, 'guest.xml'));
    virsh('start', GUEST.name);
    server = await buildWebServer();
    app = await startWebApp([], {
      server,
      prepareHome: (home) =>
        seedHome(
          home,
          [
            { id: HOSTS.local, name: 'Private host, local socket', uri: privateLocalUri(ph) },
            { id: HOSTS.ssh, name: 'Private host over SSH', uri: `qemu+ssh://${ph.SSH_USER}@${ph.SSH_HOST}:${ph.SSH_PORT}/system`, ssh: { auth: 'key', keyFile: ph.SSH_KEY } },
          ],
          readFileSync(ph.SSH_KNOWN_HOSTS, 'utf8'),
        ),
    });
    const idFile = join(app.home, '.config', 'virtdeck', 'instance-id');
    await until(() => existsSync(idFile), 10_000, 'the instance id');
    instance = readFileSync(idFile, 'utf8').trim();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(watchStates);
    await page.goto(app.url);
    await waitShown(hostKey('local'), 'disconnected', 15_000);
  });

  afterAll(async () => {
    await browser?.close();
    if (app && app.child.exitCode === null && app.child.signalCode === null) await app.stop();
    if (server) rmSync(server, { force: true });
    if (ph) await stopPrivateHost(ph);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const kind of ['local', 'ssh'] as const) {
    it(`libvirtd restarted while connected (${kind}): the host shows reconnecting, then within 5 s connected with the guest as it is now`, async () => {
      await connect(kind);
      const since = Date.now();
      await stopDaemon(ph, 'libvirtd');
      // The UI stops claiming a live host: the next tick (or the watcher's exit) finds no daemon.
      await waitShown(hostKey(kind), 'reconnecting', 10_000);
      // The guest changes while its libvirtd is away. Locally: its QEMU dies meanwhile (the
      // daemon finds it gone when it comes back: shut off). Over SSH: paused as soon as the
      // daemon is back, before Virtdeck's probe finds it. Either way no event reaches the app:
      // only the refetch after the recovery can show it.
      const expected = kind === 'local' ? 'shutoff' : 'paused';
      if (kind === 'local') {
        const qemu = Number(readFileSync(privateHostPath(ph, `/run/libvirt/qemu/${GUEST.name}.pid`), 'utf8').trim());
        process.kill(qemu, 'SIGKILL');
        await until(() => !pidAlive(qemu), 10_000, 'the guest’s QEMU to die');
      }
      ph = await restartDaemons(ph);
      if (kind === 'ssh') virsh('suspend', GUEST.name);
      const recoveredAt = Date.now();
      await waitShown(hostKey(kind), 'connected', RECOVERY_MS);
      await waitShown(vmKey, expected, RECOVERY_MS - (Date.now() - recoveredAt));
      console.log(`[faults] libvirtd restart (${kind}): connected and ${expected} shown ${Date.now() - recoveredAt} ms after the daemon was back`);
      await new Promise((r) => setTimeout(r, 1500)); // a late stale answer would show now
      const ep = await episode(kind, since, recoveredAt, expected);
      expect(ep.host).toEqual(['reconnecting', 'connected']);
      expect(ep.vmAfterRight, JSON.stringify(ep.log)).toEqual([]);
      // The event watcher runs again: a change now arrives without waiting for a resync.
      await until(() => watcherOf(kind).length === 1, 10_000, 'one domain event watcher again');
      virsh(kind === 'local' ? 'start' : 'resume', GUEST.name);
      await waitShown(vmKey, 'running', RECOVERY_MS);
      await disconnect(kind);
    });
  }

  it('sshd killed with its sessions and restarted: reconnecting while it is down, then connected with the guest as it is now; the old session programs end', async () => {
    await connect('ssh');
    const before = tagged('ssh').map((p) => p.pid);
    expect(before.length).toBeGreaterThanOrEqual(4); // the session and three watchers
    const since = Date.now();
    await stopDaemon(ph, 'sshd');
    await waitShown(hostKey('ssh'), 'reconnecting', 10_000);
    // Nothing the dropped connection ran survives it (the channel is gone: the wrapper ends them).
    await until(() => tagged('ssh').every((p) => !before.includes(p.pid)), 15_000, 'the dropped connection’s programs to end');
    virsh('suspend', GUEST.name); // libvirtd is fine: only the way to it is down
    // Down long enough for several failed reconnects: the wait between them must stay short.
    await new Promise((r) => setTimeout(r, Math.max(0, since + SSHD_DOWN_MS - Date.now())));
    expect(await current(hostKey('ssh'))).toBe('reconnecting');
    expect(await current(vmKey)).not.toBe('paused'); // nothing told the app yet: it cannot know
    ph = await restartDaemons(ph);
    const recoveredAt = Date.now();
    await waitShown(hostKey('ssh'), 'connected', RECOVERY_MS);
    await waitShown(vmKey, 'paused', RECOVERY_MS - (Date.now() - recoveredAt));
    console.log(`[faults] sshd restart: connected and paused shown ${Date.now() - recoveredAt} ms after sshd was back`);
    await new Promise((r) => setTimeout(r, 1500));
    const ep = await episode('ssh', since, recoveredAt, 'paused');
    // Reconnect attempts while sshd is down fail and say so, still 'reconnecting' (never 'error').
    expect(ep.host).toEqual(['reconnecting', 'connected']);
    expect(ep.vmAfterRight, JSON.stringify(ep.log)).toEqual([]);
    virsh('resume', GUEST.name);
    await waitShown(vmKey, 'running', RECOVERY_MS);
    await disconnect('ssh');
  });

  for (const kind of ['local', 'ssh'] as const) {
    it(`the virsh session killed (${kind}): a new session serves the next command, the host stays connected and the list follows`, async () => {
      await connect(kind);
      const [session] = sessionOf(kind);
      expect(session, JSON.stringify(tagged(kind))).toBeDefined();
      const since = Date.now();
      process.kill(session!.pid, 'SIGKILL');
      virsh('suspend', GUEST.name);
      const at = Date.now();
      await waitShown(vmKey, 'paused', RECOVERY_MS);
      // Commands keep working: the stats tick restarted the session.
      await until(() => sessionOf(kind).some((p) => p.pid !== session!.pid), RECOVERY_MS, 'a new virsh session');
      virsh('resume', GUEST.name);
      await waitShown(vmKey, 'running', RECOVERY_MS);
      console.log(`[faults] session killed (${kind}): paused shown ${Date.now() - at} ms after the change`);
      const ep = await episode(kind, since, since, 'paused');
      expect(ep.host).toEqual([]); // never left 'connected'
      // A tick that was on the killed session fails once; the next one works and clears the note.
      await until(async () => (await page.getByTestId(`host-stats-problem-${HOSTS[kind]}`).count()) === 0, RECOVERY_MS, 'no stats problem shown');
      await disconnect(kind);
    });
  }

  it(`the event stream silent (its watcher stopped for ${SILENT_MS / 1000} s): every change meanwhile shows within 5 s by the ticks' resync`, async () => {
    await connect('ssh');
    const [watcher] = watcherOf('ssh');
    expect(watcher).toBeDefined();
    process.kill(watcher!.pid, 'SIGSTOP');
    try {
      const until0 = Date.now() + SILENT_MS;
      const steps: Array<['suspend' | 'resume', string]> = [['suspend', 'paused'], ['resume', 'running']];
      let i = 0;
      do {
        const [cmd, state] = steps[i++ % 2]!;
        virsh(cmd, GUEST.name);
        const at = Date.now();
        await waitShown(vmKey, state, RECOVERY_MS);
        console.log(`[faults] silent watcher: ${state} shown ${Date.now() - at} ms after virsh ${cmd}`);
        // Spread the changes over the silence (the tick's resync has a repeat guard of 10 s).
        await new Promise((r) => setTimeout(r, Math.min(SILENT_MS / 4, Math.max(0, until0 - Date.now()))));
      } while (Date.now() < until0 || i % 2 === 1);
      expect(await current(hostKey('ssh'))).toBe('connected');
    } finally {
      process.kill(watcher!.pid, 'SIGCONT');
    }
    await disconnect('ssh');
  });

  /** A command inside the private host's namespace (its sshd and libvirtd see what it mounts). */
  const inHost = (...a: [string, ...string[]]) => {
    const r = inPrivateHost(ph, ...a);
    if (r.status !== 0) throw new Error(`${a.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** A 16 MiB tmpfs at `dir` there: the disk under a dir pool. */
  const smallDisk = (dir: string) => {
    inHost('mkdir', '-p', dir);
    inHost('mount', '-t', 'tmpfs', '-o', 'size=16m,mode=755', 'vd-fault-full', dir);
    return () => inHost('ls', '-A', dir).split('\n').filter(Boolean);
  };

  it('browser mode: the disk under a pool fills up during an upload from the browser and a volume create; the UI says so and shows no volume, none is left', async () => {
    const dir = '/var/lib/libvirt/vd-fault-full-ui';
    const files = smallDisk(dir);
    try {
      virsh('pool-define-as', 'vd-test-full-ui', 'dir', '--target', dir);
      virsh('pool-start', 'vd-test-full-ui');
      await connect('ssh');
      await page.getByTestId(`host-row-${HOSTS.ssh}`).click();
      await page.getByTestId('host-tab-storage').click();
      await page.getByTestId('pool-row-vd-test-full-ui').click();
      await page.getByTestId('volumes-section').waitFor();
      // Filled behind libvirt's back once the UI has the pool: it still shows room for 8 MiB.
      inHost('fallocate', '-l', String(12 * MiB), `${dir}/filler`);

      await page.getByTestId('volume-upload').click();
      await page.getByTestId('upload-file').setInputFiles({ name: 'big.raw', mimeType: 'application/octet-stream', buffer: Buffer.alloc(8 * MiB, 7) });
      await page.getByTestId('action-run').click();
      const failed = page.getByTestId('transfers').locator('[data-state="failed"]');
      await failed.waitFor({ timeout: 60_000 });
      expect(await failed.getByTestId('transfer-error').textContent()).toMatch(/No space left on device/);
      expect(files()).toEqual(['filler']);

      await page.getByTestId('volume-new').click();
      await page.getByTestId('volume-form-name').fill('prealloc.raw');
      await page.getByTestId('volume-form-format').selectOption('raw');
      await page.getByTestId('volume-form-capacity').fill('8');
      await page.getByTestId('volume-form-capacity-unit').selectOption('MiB');
      await page.getByTestId('volume-form-prealloc').selectOption('full');
      await page.getByTestId('action-run').click();
      await page.getByTestId('action-error').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('action-error').textContent()).toMatch(/No space left on device/);
      await page.getByTestId('action-cancel').click();
      expect(files()).toEqual(['filler']);
      // What the UI lists after both: the filler (a file in the pool, hence a volume) alone.
      await page.getByTestId('volume-row-filler').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('volume-row-big.raw').count()).toBe(0);
      expect(await page.getByTestId('volume-row-prealloc.raw').count()).toBe(0);
      await page.getByTestId('host-tab-vms').click();
      await disconnect('ssh');
    } finally {
      privateVirsh(ph, 'pool-destroy', 'vd-test-full-ui');
      privateVirsh(ph, 'pool-undefine', 'vd-test-full-ui');
      inPrivateHost(ph, 'umount', dir);
    }
  });

  it('desktop mode: the disk under a pool fills up during an upload and a volume create: each fails saying so, and leaves no volume or file', async () => {
    const dir = '/var/lib/libvirt/vd-fault-full';
    const files = smallDisk(dir);
    const h = await startHarness({ mode: 'desktop' });
    try {
      h.answerPrompts(() => ({ accept: true })); // the private host's key, on first sight
      const id = (await h.call('hosts.save', { connection: { name: 'private', uri: `qemu+ssh://${ph.SSH_USER}@${ph.SSH_HOST}:${ph.SSH_PORT}/system`, ssh: { auth: 'key', keyFile: ph.SSH_KEY } } })).config.id;
      await h.call('hosts.connect', { hostId: id });
      const { uuid } = await h.call('storage.pools.define', { hostId: id, spec: { type: 'dir', name: 'vd-test-full', targetPath: dir }, build: false, start: true });
      const pool = (await h.call('storage.pools.list', { hostId: id })).find((p) => p.uuid === uuid)!;
      expect(Number(pool.available)).toBeGreaterThan(12 * MiB);
      // Filled behind libvirt's back: its cached free space still says there is room.
      inHost('fallocate', '-l', String(12 * MiB), `${dir}/filler`);

      const src = join(work, 'big.bin');
      writeFileSync(src, Buffer.alloc(8 * MiB, 7));
      const t = await h.call('storage.volumes.upload', { hostId: id, poolUuid: uuid, name: 'big.raw', file: await h.chooseFile('open', src) });
      const end = await h.next('storage.transfer', (x) => x.transferId === t.transferId && x.state !== 'running', 60_000);
      expect(end).toMatchObject({ state: 'failed', error: { noSpace: true, message: expect.stringMatching(/ran out of space.*No space left on device/s) } });
      expect((await h.call('storage.volumes.list', { hostId: id, poolUuid: uuid })).map((v) => v.name)).toEqual(['filler']); // the filler is a file in the pool, hence a volume
      expect(files()).toEqual(['filler']);

      const created = await h
        .call('storage.volumes.create', { hostId: id, poolUuid: uuid, spec: { name: 'prealloc.raw', format: 'raw', capacity: 8 * MiB, preallocation: 'full' } })
        .then(() => undefined, (e: unknown) => e);
      expect(created).toBeInstanceOf(AppError);
      expect((created as AppError).message).toMatch(/No space left on device|not enough space/i);
      expect((await h.call('storage.volumes.list', { hostId: id, poolUuid: uuid })).map((v) => v.name)).toEqual(['filler']); // the filler is a file in the pool, hence a volume
      expect(files()).toEqual(['filler']);
      console.log(`[faults] full pool: upload: ${end.error?.message}; create: ${(created as AppError).message}`);

      await h.call('storage.pools.action', { hostId: id, uuid, action: 'stop' });
      await h.call('storage.pools.action', { hostId: id, uuid, action: 'undefine' });
    } finally {
      h.close();
      inPrivateHost(ph, 'umount', dir);
    }
  });

  it('the app killed with SIGKILL while connected both ways: nothing it started is left on the private host or here within 5 s', async () => {
    await connect('local');
    await page.getByTestId(`host-connect-${HOSTS.ssh}`).click();
    await waitShown(hostKey('ssh'), 'connected', 30_000);
    const mark = `${CONNECTION_ENV}=virtdeck-bound:${instance}:`;
    await until(() => tagged('local').length >= 4 && tagged('ssh').length >= 4, 15_000, 'the session and watchers of both connections');
    const exited = new Promise((r) => app!.child.once('exit', r));
    app!.child.kill('SIGKILL');
    await exited;
    await until(() => processesWithEnv(mark).length === 0, 5000, `no process left: ${JSON.stringify(processesWithEnv(mark))}`);
    // The private host itself is unharmed.
    expect(virsh('domstate', GUEST.name)).toBe('running');
    expect(spawnSync('virsh', ['-c', 'qemu:///system', 'dominfo', GUEST.uuid]).status).not.toBe(0);
  });
});
