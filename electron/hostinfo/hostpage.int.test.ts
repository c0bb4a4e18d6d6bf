/**
 * The host page on the real test host (qemu:///system), locally and over SSH to 127.0.0.1:
 * its figures are the host's, its sampler lives only while a page watches, and its readiness
 * verdicts agree with virt-host-validate.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostSample } from '../../shared/model/hostinfo';
import { connectOverSsh, startHarness, type Harness } from '../../e2e/support/backend-harness';
import { processesWithEnv } from '../../e2e/support/processes';
import { testHost } from '../../e2e/support/test-host';
import { until } from '../../e2e/support/until';
import { CONNECTION_ENV } from '../hosts/command-runner';
import { parseKeyValueTable } from '../virsh/parse';
import { parseMeminfo } from './proc-parse';
import { connectionRouteDev, routeInterface } from './host-route';
import { parseHostValidate } from './validate-parse';

const th = testHost();
const virsh = (...a: string[]) => execFileSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

describe.each(['local', 'ssh'] as const)('the host page over a %s connection', (kind) => {
  let h: Harness;
  let id = '';
  let mark = '';
  const samples: HostSample[] = [];
  /** The sampler's processes on the host: tagged with this connection, running our loop. */
  const samplerProcs = () => processesWithEnv(mark).filter((p) => p.cmdline.includes('@@end'));

  beforeAll(async () => {
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    if (kind === 'ssh') id = await connectOverSsh(h, th);
    else {
      id = (await h.call('hosts.save', { connection: { name: 'local', uri: 'qemu:///system' } })).config.id;
      await h.call('hosts.connect', { hostId: id });
    }
    const instance = readFileSync(join(h.home, 'config', 'instance-id'), 'utf8').trim();
    mark = `${CONNECTION_ENV}=virtdeck-bound:${instance}:${id}`;
    h.backend.onEvent((name, p) => {
      if (name === 'hostpage.sample' && (p as HostSample).hostId === id) samples.push(p as HostSample);
    });
  });
  afterAll(() => h?.close());

  it('shows the figures of virsh nodeinfo, capabilities and the VM list', async () => {
    const o = await h.call('hostpage.overview', { hostId: id });
    const n = parseKeyValueTable(virsh('nodeinfo'));
    expect(o.hostname).toBe(virsh('hostname').trim());
    expect(o.cpus).toBe(Number(n['CPU(s)']));
    expect([o.sockets, o.coresPerSocket, o.threadsPerCore]).toEqual([Number(n['CPU socket(s)']), Number(n['Core(s) per socket']), Number(n['Thread(s) per core'])]);
    expect(o.memoryKiB).toBe(Number.parseInt(n['Memory size']!, 10));
    expect(o.memoryKiB).toBe(parseMeminfo(readFileSync('/proc/meminfo', 'utf8'))['MemTotal']);
    expect(o.numaCells.length).toBe(Number(n['NUMA cell(s)']));
    expect(o.libvirtVersion).toMatch(/^libvirt \d+\.\d+\.\d+$/);
    expect(o.hypervisor).toMatch(/^QEMU \d+/);
    expect(o.domainTypes).toContain('qemu');
    expect(o.vms.defined).toBe(virsh('list', '--all', '--name').split('\n').filter((l) => l.trim()).length);
    expect(o.vms.running).toBe(virsh('list', '--name').split('\n').filter((l) => l.trim()).length);
  });

  it('samples /proc while watched (the CPU figure rises while a process spins), and ends the sampler within 5 s of unwatch', async () => {
    const client = { id: `page-${kind}` };
    const env = await h.backend.handle('hostpage.watch', { hostId: id }, client);
    expect(env.ok).toBe(true);
    await until(() => samples.filter((s) => s.cpuPct !== null).length >= 2, 20_000, 'two samples with rates');
    expect(samplerProcs().length).toBeGreaterThan(0);
    const last = samples.at(-1)!;
    const mem = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
    expect(last.memTotalKiB).toBe(mem['MemTotal']);
    // Used memory moves with everything else on this shared machine: within 10% of MemTotal.
    expect(Math.abs(last.memUsedKiB - (mem['MemTotal']! - mem['MemAvailable']!))).toBeLessThan(mem['MemTotal']! * 0.1);
    expect(last.netRxBps).not.toBeNull();
    expect(last.diskRdBps).not.toBeNull();

    // One spinning process on this 2-CPU host: at least ~half of the CPU while it runs.
    const before = samples.length;
    const spin = spawn(process.execPath, ['-e', 'const end = Date.now() + 4000; while (Date.now() < end);']);
    await new Promise((r) => spin.once('exit', r));
    await until(() => samples.length >= before + 3, 10_000, 'samples during the spin');
    const peak = Math.max(...samples.slice(before).map((s) => s.cpuPct ?? 0));
    expect(peak).toBeGreaterThan(40);

    const sampler = h.backend.samplers.samplerOf(id)!;
    console.log(`[hostpage ${kind}] sampler: ${sampler.cost.ticks} ticks, ${(sampler.cost.micros / sampler.cost.ticks / 1000).toFixed(3)} ms backend CPU per tick; CPU peak while spinning ${peak.toFixed(0)}%`);
    await h.backend.handle('hostpage.unwatch', { hostId: id }, client);
    const t0 = Date.now();
    await until(() => samplerProcs().length === 0, 5000, `sampler gone: ${JSON.stringify(samplerProcs())}`);
    console.log(`[hostpage ${kind}] sampler gone ${Date.now() - t0} ms after unwatch`);
  });

  it('keeps the sampler while another page watches, and ends it when the last client goes away', async () => {
    const a = { id: `a-${kind}` };
    const b = { id: `b-${kind}` };
    await h.backend.handle('hostpage.watch', { hostId: id }, a);
    await h.backend.handle('hostpage.watch', { hostId: id }, b);
    await until(() => samplerProcs().length > 0, 10_000, 'the sampler');
    await h.backend.handle('hostpage.unwatch', { hostId: id }, a);
    const n = samples.length;
    await until(() => samples.length >= n + 2, 10_000, 'samples after one page closed');
    h.backend.clientGone(b);
    await until(() => samplerProcs().length === 0, 5000, 'sampler gone after the client went away');
  });

  it('pauses the sampler while the watching page is hidden, and resumes it when shown', async () => {
    const c = { id: `hidden-${kind}` };
    await h.backend.handle('hostpage.watch', { hostId: id }, c);
    await until(() => samplerProcs().length > 0, 10_000, 'the sampler');
    await h.backend.handle('app.visibility', { visible: false }, c);
    await until(() => samplerProcs().length === 0, 5000, 'no sampler while the page is hidden');
    await h.backend.handle('app.visibility', { visible: true }, c);
    await until(() => samplerProcs().length > 0, 10_000, 'the sampler again once shown');
    await h.backend.handle('hostpage.unwatch', { hostId: id }, c);
    await until(() => samplerProcs().length === 0, 5000, 'sampler gone after unwatch');
  });

  it('finds the interface that carries the connection (over SSH: the route back to the client, 127.0.0.1 → lo; locally: the default route)', async () => {
    const expected = kind === 'ssh' ? 'lo' : routeInterface(execFileSync('ip', ['-j', 'route', 'show', 'default'], { encoding: 'utf8' }));
    expect(await connectionRouteDev(h.backend.hosts.get(id))).toBe(expected);
  });

  it('says KVM as the host has it, and agrees with virt-host-validate qemu', async () => {
    const t0 = Date.now();
    const r = await h.call('hostpage.readiness', { hostId: id });
    console.log(`[hostpage ${kind}] readiness in ${Date.now() - t0} ms (backend says ${r.tookMs} ms)`);
    if (kind === 'ssh') expect(r.tookMs).toBeLessThan(5000);
    const v = (id: string) => r.checks.find((c) => c.id === id)!;
    const hostFlags = readFileSync('/proc/cpuinfo', 'utf8');
    const hw = /^flags\s*:.*\b(vmx|svm)\b/m.test(hostFlags);
    expect(v('cpu-virt').verdict).toBe(hw ? 'pass' : 'fail');
    if (!existsSync('/dev/kvm')) expect(v('kvm')).toMatchObject({ verdict: 'fail', reason: 'noDevKvm' });
    else if (!hw) expect(v('kvm')).toMatchObject({ verdict: 'warn', reason: 'kvmWithoutHw' });
    // virt-host-validate as the connection's user sees the host (root locally, the SSH user remotely).
    const own = spawnSync('virt-host-validate', ['qemu'], { encoding: 'utf8' });
    const validate = parseHostValidate(own.stdout);
    expect(r.validate?.map((l) => l.check)).toEqual(validate.map((l) => l.check));
    const theirs = (needle: string) => validate.find((l) => l.check.includes(needle))?.verdict;
    expect(v('cpu-virt').verdict).toBe(theirs('hardware virtualization'));
    expect(v('vhost-net').verdict).toBe(theirs('/dev/vhost-net'));
    expect(v('tun').verdict).toBe(theirs('/dev/net/tun'));
    expect(v('cgroups').verdict).toBe(validate.filter((l) => l.check.includes('cgroup')).every((l) => l.verdict === 'pass') ? 'pass' : 'warn');
    expect(v('iommu').verdict).toBe(theirs('IOMMU') === 'pass' ? 'pass' : 'warn');
  });
});
