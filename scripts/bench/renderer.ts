/**
 * Part 4: the renderer's main-thread cost of one stats tick, in browser mode, with a 1,000-domain
 * test-driver host selected (500 running → 500 samples per tick).
 *
 * Method. Chromium's CDP `Performance.getMetrics` reports TaskDuration: the time the page's main
 * thread spent running tasks (script, style, layout, paint recording, GC — everything that
 * delays input), here in thread CPU time (timeDomain threadTicks) so other load on the machine
 * does not inflate it. A second API client (like a second tab) sees every tick the page gets;
 * 500 ms after each one it reads the metrics, so each interval between two reads holds exactly
 * one tick's work. Per tick = ΔTaskDuration − idleRate × Δt, where idleRate is the median
 * per-second TaskDuration of the same page with no ticks. Median, p95 and max over ≥20 ticks.
 * Long tasks (>50 ms) are counted by a PerformanceObserver; a short sampling CPU profile then
 * names the costliest functions.
 *
 * Two tick sources:
 *   live       the real browser-mode server (dist/web/server.cjs --connect test:///file.xml);
 *              the test driver reports only state, so every sample is all-null and the visible
 *              rows have nothing to redraw: the floor (transport, validation, store update).
 *   synthetic  the same Backend and server code in this process with the same host connected,
 *              but its poller stopped and a tick with fresh random values for all 500 running
 *              VMs emitted every second: every visible row redraws — the ceiling.
 *
 * Usage: node dist/bench/renderer.cjs --vms 1000
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import WebSocket from 'ws';
import type { DomainSample, StatsTick } from '../../shared/model/stats';
import { TickEncoder } from '../../shared/stats-codec';
import { MemorySecretStore } from '../../electron/core/adapters';
import { Backend } from '../../electron/core/backend';
import { startWebServer } from '../../electron/web/server';
import { startWebApp, type WebApp } from '../../e2e/support/web-app';
import { emit, log, median, percentile, r, sleep, writeTestNodeXml } from './lib';

const TICKS = 20;
const READ_AFTER_TICK_MS = 500;
const IDLE_SECONDS = 8;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What the measurement needs from a tick source. */
interface Source {
  url: string;
  hostId: string;
  /** Every event any client received: name and epoch ms (to attribute long tasks). */
  events: Array<{ name: string; at: number }>;
  /** Calls fn for every stats.tick of the host (as any client receives it). */
  onTick(fn: () => void): () => void;
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/** Browser-mode servers this process started: stopped on SIGINT/SIGTERM too, never left behind. */
const servers = new Set<WebApp>();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    log(`renderer: ${sig}, stopping`);
    void Promise.all([...servers].map((a) => a.stop())).finally(() => process.exit(130));
  });
}

/** The real server in its own process; a WebSocket client steers it and counts its ticks. */
async function liveSource(uri: string, rendererDir: string): Promise<Source> {
  const app = await startWebApp(['--connect', uri, '--renderer-dir', rendererDir]);
  servers.add(app);
  const token = new URL(app.url).searchParams.get('token')!;
  const ws = new WebSocket(`${app.origin.replace('http', 'ws')}/api/ws?token=${encodeURIComponent(token)}`);
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  let id = 0;
  const waiting = new Map<number, { res(v: unknown): void; rej(e: Error): void }>();
  const tickFns = new Set<(hostId: string) => void>();
  const events: Array<{ name: string; at: number }> = [];
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as { t: string; id?: number; ok?: boolean; result?: unknown; error?: { message: string }; name?: string; payload?: { hostId?: string } };
    if (f.t === 'res' && f.id !== undefined) {
      const w = waiting.get(f.id);
      waiting.delete(f.id);
      if (f.ok) w?.res(f.result);
      else w?.rej(new Error(f.error?.message ?? 'request failed'));
    } else if (f.t === 'evt') {
      events.push({ name: f.name ?? '?', at: Date.now() });
      if (f.name === 'stats.tick' && f.payload?.hostId) for (const fn of tickFns) fn(f.payload.hostId);
    }
  });
  const call = (name: string, args: unknown) =>
    new Promise<unknown>((res, rej) => {
      const n = ++id;
      waiting.set(n, { res, rej });
      ws.send(JSON.stringify({ t: 'req', id: n, name, args }));
    });
  let hostId: string | undefined;
  const end = Date.now() + 60_000;
  while (!hostId) {
    const hosts = (await call('hosts.list', {})) as Array<{ config: { id: string; uri: string }; status: { state: string } }>;
    const mine = hosts.find((x) => x.config.uri === uri);
    if (mine?.status.state === 'connected') hostId = mine.config.id;
    // Only the measured host ticks: the first-start demo host goes.
    for (const other of hosts) if (other.config.uri !== uri && other.status.state !== 'disconnected') await call('hosts.disconnect', { hostId: other.config.id });
    if (Date.now() > end) throw new Error(`${uri} did not connect:\n${app.output()}`);
    if (!hostId) await sleep(200);
  }
  const id0 = hostId;
  return {
    url: app.url,
    hostId: id0,
    events,
    onTick(fn) {
      const f = (h: string) => h === id0 && fn();
      tickFns.add(f);
      return () => tickFns.delete(f);
    },
    pause: async () => void (await call('app.visibility', { visible: false })),
    resume: async () => void (await call('app.visibility', { visible: true })),
    close: async () => {
      ws.close();
      servers.delete(app);
      await app.stop();
    },
  };
}

/** The same Backend and web server in this process, with synthetic ticks of changing values. */
async function syntheticSource(uri: string, rendererDir: string, home: string): Promise<Source> {
  const backend = new Backend({ mode: 'web', version: 'bench', homeDir: home, configDir: join(home, 'config'), dataDir: join(home, 'data'), secrets: new MemorySecretStore() });
  await backend.init();
  for (const h of await backend.handle('hosts.list', {}).then((e) => (e.ok ? (e.result as Array<{ config: { id: string } }>) : []))) {
    await backend.handle('hosts.disconnect', { hostId: h.config.id });
  }
  const events: Array<{ name: string; at: number }> = [];
  backend.onEvent((name) => events.push({ name, at: Date.now() }));
  let hostId = '';
  // The poller starts once the first inventory refresh is done: stop it after its first tick.
  const firstRealTick = new Promise<void>((res) => {
    const off = backend.onEvent((name, p) => {
      if (name === 'stats.tick' && (p as StatsTick).hostId === hostId) {
        off();
        res();
      }
    });
  });
  hostId = await backend.ensureConnection(uri);
  await firstRealTick;
  const services = backend.hosts.servicesOf(hostId);
  services.stats.stop();
  const domains = await services.list();
  const running = domains.filter((d) => d.state === 'running');
  const server = await startWebServer(backend, { port: 0, rendererDir });
  let timer: NodeJS.Timeout | undefined;
  const fns = new Set<() => void>();
  // Its own encoder, like a poller's: the first tick carries the UUIDs, later ones only the layout id.
  const encoder = new TickEncoder();
  services.stats.layout = () => encoder.layout;
  const rnd = (max: number) => Math.round(Math.random() * max * 100) / 100;
  const tick = () => {
    const samples: DomainSample[] = running.map((d) => ({
      uuid: d.uuid,
      cpuPct: rnd(100),
      hostCpuPct: rnd(25),
      memUsedKiB: Math.round(200_000 + Math.random() * 800_000),
      memSource: 'guest',
      diskRdBps: rnd(5e7),
      diskWrBps: rnd(5e7),
      netRxBps: rnd(1e7),
      netTxBps: rnd(1e7),
    }));
    const t: StatsTick = encoder.encode({ hostId, at: Date.now(), intervalMs: 1000, hostCpus: 16 }, samples);
    backend.bus.emit('stats.tick', t);
    for (const fn of fns) fn();
  };
  const resume = async () => {
    clearInterval(timer);
    timer = setInterval(tick, 1000);
  };
  await resume();
  return {
    url: server.url,
    hostId,
    events,
    onTick(fn) {
      fns.add(fn);
      return () => fns.delete(fn);
    },
    pause: async () => clearInterval(timer),
    resume,
    close: async () => {
      clearInterval(timer);
      backend.shutdown();
      await server.close();
    },
  };
}

type Metrics = Record<string, number>;
async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/** Top functions by self time from a sampling profile (minified names; see the source map). */
async function profile(cdp: CDPSession, ms: number): Promise<Array<{ fn: string; selfMs: number }>> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await sleep(ms);
  const { profile: p } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const byFn = new Map<string, number>();
  for (const n of p.nodes) {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    if (functionName === '(idle)' || functionName === '(root)') continue;
    const key = `${functionName || '(anonymous)'}${url ? ` ${basename(url)}:${lineNumber + 1}:${columnNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([fn, t]) => ({ fn, selfMs: r(t) }));
}

async function measure(browser: Browser, src: Source, mode: string, vms: number, running: number): Promise<void> {
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(src.url);
    const hostRow = page.locator(`[data-testid="host-row-${src.hostId}"]`);
    await hostRow.waitFor({ timeout: 30_000 });
    const tClick = performance.now();
    await hostRow.click();
    await page.locator('[data-testid^="vm-row-"]').first().waitFor({ timeout: 60_000 });
    const rowsVisibleMs = performance.now() - tClick;
    await sleep(3000); // list loaded, first ticks applied, start-up work done
    const bundle = await page.evaluate(() => Array.from(document.scripts).map((s) => s.src.split('/').pop()).find((x) => x?.endsWith('.js')) ?? '');

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: Array<{ at: number; ms: number }> };
      w.__longTasks = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__longTasks.push({ at: performance.timeOrigin + e.startTime, ms: e.duration }))).observe({ type: 'longtask' });
    });

    // Idle: no ticks; the median per-second cost of whatever else the page does.
    await src.pause();
    await sleep(1500);
    const idleRates: number[] = [];
    let prev = await metrics(cdp);
    let prevT = performance.now();
    for (let i = 0; i < IDLE_SECONDS; i++) {
      await sleep(1000);
      const m = await metrics(cdp);
      const t = performance.now();
      idleRates.push((((m.TaskDuration ?? 0) - (prev.TaskDuration ?? 0)) * 1000) / (t - prevT));
      prev = m;
      prevT = t;
    }
    const idleRate = median(idleRates); // ms of main-thread time per ms of wall time
    const idleProfile = await profile(cdp, 3000);

    // Ticking: read the metrics 500 ms after each tick; consecutive reads bracket one tick.
    const reads: Array<{ m: Metrics; t: number; wall: number }> = [];
    const done = new Promise<void>((resolve) => {
      const off = src.onTick(() => {
        setTimeout(() => {
          void metrics(cdp).then((m) => {
            reads.push({ m, t: performance.now(), wall: Date.now() });
            if (reads.length > TICKS) {
              off();
              resolve();
            }
          });
        }, READ_AFTER_TICK_MS);
      });
    });
    await src.resume();
    await done;
    const per = (k: string, sub: boolean) =>
      reads.slice(1).map((x, i) => ((x.m[k] ?? 0) - (reads[i]!.m[k] ?? 0)) * 1000 - (sub ? idleRate * (x.t - reads[i]!.t) : 0));
    const task = per('TaskDuration', true);
    // What else arrived in the costliest intervals (every event the page got, by name).
    const med = median(task);
    const heavyIntervals = task
      .map((ms, i) => ({ ms, i }))
      .filter((x) => x.ms > 2 * med + 2)
      .map(({ ms, i }) => {
        const events: Record<string, number> = {};
        for (const e of src.events) if (e.at > reads[i]!.wall && e.at <= reads[i + 1]!.wall) events[e.name] = (events[e.name] ?? 0) + 1;
        return { ms: r(ms), events };
      });
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: Array<{ at: number; ms: number }> }).__longTasks);
    // The event that most likely caused each long task: the last one received before it began.
    const longTaskCauses = longTasks.map((lt) => ({ ms: r(lt.ms), after: src.events.filter((e) => e.at <= lt.at + 20).at(-1)?.name ?? '?' }));
    const rowNodes = await page.locator('[data-testid^="vm-row-"]').count();
    const domElements = await page.evaluate(() => document.getElementsByTagName('*').length);
    const last = reads.at(-1)!.m;

    emit({
      bench: 'renderer-tick',
      source: mode,
      vms,
      samplesPerTick: running,
      rendererMsPerTick: r(median(task)),
      rendererMsPerTickMean: r(task.reduce((a, b) => a + b, 0) / task.length),
      rendererMsPerTickP95: r(percentile(task, 95)),
      rendererMsPerTickMax: r(Math.max(...task)),
      rendererMsEachTick: task.map(r),
      heavyIntervals,
      scriptMsPerTick: r(median(per('ScriptDuration', false))),
      styleMsPerTick: r(median(per('RecalcStyleDuration', false))),
      layoutMsPerTick: r(median(per('LayoutDuration', false))),
      idleMsPerSecond: r(idleRate * 1000),
      idleMsPerSecondEach: idleRates.map((x) => r(x * 1000)),
      ticks: task.length,
      longTasksOver50ms: longTasks.length,
      longestTaskMs: r(Math.max(0, ...longTasks.map((x) => x.ms))),
      longTasks: longTaskCauses,
      rowDomNodes: rowNodes,
      domElements,
      jsHeapUsedMB: r((last.JSHeapUsedSize ?? 0) / 1048576),
      rowsVisibleAfterSelectMs: r(rowsVisibleMs),
      rendererBundle: bundle,
      goals: { tickUnder8ms: median(task) < 8, rowsAtMost100: rowNodes <= 100 },
    });
    emit({ bench: 'renderer-profile', source: mode, vms, ticking6s: await profile(cdp, 6000), paused3s: idleProfile });
  } finally {
    await page.close();
  }
}

/**
 * The floor any UI pays for the payload: a bare page holding a WebSocket to the same server,
 * first doing nothing with each frame, then only JSON.parse — same per-tick method as above.
 */
async function wsFloor(browser: Browser, src: Source, mode: string): Promise<void> {
  const page = await browser.newPage();
  try {
    const origin = new URL(src.url).origin;
    const token = new URL(src.url).searchParams.get('token') ?? '';
    await page.goto(`${origin}/bench-blank-page?token=${encodeURIComponent(token)}`); // a 404, but same origin
    await page.evaluate((wsUrl) => {
      const w = window as unknown as { __parse: boolean; __bytes: number };
      w.__parse = false;
      w.__bytes = 0;
      const ws = new window.WebSocket(wsUrl);
      ws.onmessage = (e: { data: unknown }) => {
        const data = e.data as string;
        if (data.includes('"stats.tick"')) w.__bytes = data.length;
        if (w.__parse) JSON.parse(data);
      };
    }, `${origin.replace('http', 'ws')}/api/ws?token=${encodeURIComponent(token)}`);
    // Closing the UI page hid it, and a hidden page pauses polling: resume.
    await src.resume();
    await sleep(2500);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const perTick = async (n: number): Promise<number> => {
      const reads: number[] = [];
      await new Promise<void>((resolve) => {
        const off = src.onTick(() => {
          setTimeout(() => {
            void metrics(cdp).then((m) => {
              reads.push((m.TaskDuration ?? 0) * 1000);
              if (reads.length > n) {
                off();
                resolve();
              }
            });
          }, READ_AFTER_TICK_MS);
        });
      });
      return median(reads.slice(1).map((x, i) => x - reads[i]!));
    };
    const receiveOnly = await perTick(10);
    await page.evaluate(() => void ((window as unknown as { __parse: boolean }).__parse = true));
    const receiveAndParse = await perTick(10);
    const bytes = await page.evaluate(() => (window as unknown as { __bytes: number }).__bytes);
    emit({ bench: 'renderer-ws-floor', source: mode, tickFrameBytes: bytes, receiveOnlyMsPerTick: r(receiveOnly), receiveAndJsonParseMsPerTick: r(receiveAndParse), ticks: 10 });
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { vms: { type: 'string', default: '1000' }, only: { type: 'string' } } });
  const n = Number(values.vms);
  const dir = mkdtempSync(join(tmpdir(), 'virtdeck-bench-'));
  const file = join(dir, `node-${n}.xml`);
  const { running } = writeTestNodeXml(file, n);
  const uri = `test://${file}`;
  // A private copy of the built renderer: a rebuild of dist/ meanwhile cannot pull files away.
  const rendererDir = join(dir, 'renderer');
  cpSync(join(__dirname, '..', 'renderer'), rendererDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    for (const mode of ['live', 'synthetic']) {
      if (values.only && values.only !== mode) continue;
      log(`renderer: ${mode} ticks`);
      const home = join(dir, `home-${mode}`);
      mkdirSync(home, { recursive: true });
      const src = mode === 'live' ? await liveSource(uri, rendererDir) : await syntheticSource(uri, rendererDir, home);
      try {
        await measure(browser, src, mode, n, running);
        if (mode === 'live') await wsFloor(browser, src, mode);
      } finally {
        await src.close();
      }
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`renderer failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
