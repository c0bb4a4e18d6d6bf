/**
 * Console benchmark: the test guest redraws its VGA console continuously; noVNC in Chromium
 * measures frame updates per second, then key → echo latency (first completed update after the
 * key, median and p95 over 100 samples) — through Virtdeck's channel and SSH tunnel, through
 * Virtdeck's local path, and through websockify straight to QEMU's VNC port, in the same run.
 * Prints a table and writes test-results/console-bench.json.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startHarness } from '../e2e/support/backend-harness';
import { sshUri, testHost } from '../e2e/support/test-host';
import { BENCH_CLONE, defineConsoleClone, readSerialLog, removeConsoleClone } from '../electron/consoles/testing/console-clones';
import { TestPeer } from '../electron/consoles/test-peer';
import { startWebServer } from '../electron/web/server';

const { values } = parseArgs({ options: { 'page-dir': { type: 'string' }, samples: { type: 'string', default: '100' }, seconds: { type: 'string', default: '20' }, rounds: { type: 'string', default: '10' } } });
const SAMPLES = Number(values.samples);
const FPS_MS = Number(values.seconds) * 1000;
const th = testHost();
// An own copy of the test guest: other suites may be using vd-test-guest meanwhile.
const UUID = BENCH_CLONE.uuid;
const log = (m: string) => process.stderr.write(`[bench:console] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const serialLog = () => readSerialLog(BENCH_CLONE.name);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
}
const round1 = (x: number) => Math.round(x * 10) / 10;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  defineConsoleClone(th, BENCH_CLONE);
  const h = await startHarness();
  let websockify: ChildProcess | undefined;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    h.answerPrompts(() => ({ accept: true }));
    const ssh = (await h.call('hosts.save', { connection: { name: 'ssh', uri: sshUri(th), ssh: { auth: 'key', keyFile: th.SSH_KEY } } })).config.id;
    await h.call('hosts.connect', { hostId: ssh });
    const local = await h.backend.ensureConnection('qemu:///system');
    log('starting the guest');
    await h.call('domains.action', { hostId: ssh, uuids: [UUID], action: 'start' });
    for (let i = 0; i < 450 && !serialLog().includes(th.GUEST_BANNER); i++) await sleep(200);

    // Drive the guest from its serial console: hide tty1's cursor (so only echoes change the
    // screen), and start/stop a loop that keeps tty1 scrolling.
    const opened = await h.call('consoles.openSerial', { hostId: ssh, uuid: UUID, rows: 24, cols: 80 });
    const serial = new TestPeer();
    serial.input = h.backend.consoles.claim(opened.ticket)!(serial);
    await sleep(500);
    serial.type("printf '\\033[?25l\\033[2J\\033[H' > /dev/tty1\r");
    // Shell builtins only: a fork per line would make the TCG guest, not the display path, the limit.
    const startRedraw = () => serial.type('(while :; do echo "$RANDOM $RANDOM $RANDOM $RANDOM $RANDOM $RANDOM"; done > /dev/tty1 2>&1) & R=$!\r');
    const stopRedraw = () => serial.type("kill $R; sleep 0.3; printf '\\033[2J\\033[H' > /dev/tty1\r");

    const info = await h.call('consoles.vncInfo', { hostId: ssh, uuid: UUID });
    if (info.endpoint?.kind !== 'tcp') throw new Error(`unexpected VNC endpoint ${JSON.stringify(info.endpoint)}`);
    const wsPort = await freePort();
    websockify = spawn('websockify', [`127.0.0.1:${wsPort}`, `127.0.0.1:${info.endpoint.port}`], { stdio: 'ignore' });
    const server = await startWebServer(h.backend, { port: 0, rendererDir: values['page-dir']! });
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.title === 'ready');
    await sleep(500);

    let lastConsole: string | undefined;
    const openVirtdeck = async (hostId: string, pipeline = true) => {
      h.backend.consoles.pipelineVnc = pipeline;
      const opened = await h.call('consoles.openVnc', { hostId, uuid: UUID });
      lastConsole = opened.consoleId;
      return { ticket: opened.ticket };
    };
    const paths: Array<{ name: string; target: () => Promise<{ ticket?: string; url?: string }> }> = [
      { name: 'Virtdeck (SSH tunnel)', target: () => openVirtdeck(ssh) },
      { name: 'Virtdeck (local)', target: () => openVirtdeck(local) },
      { name: 'Virtdeck (SSH, no pipelining)', target: () => openVirtdeck(ssh, false) },
      { name: 'noVNC + websockify', target: async () => ({ url: `ws://127.0.0.1:${wsPort}` }) },
    ];
    type Bench = { open(t: unknown): Promise<unknown>; fps(ms: number): Promise<{ fps: number; kbps: number; turnaroundMs: number }>; latency(n: number): Promise<number[]>; close(): void };
    const b = {
      open: (t: unknown) => page.evaluate((x) => (window as unknown as { bench: Bench }).bench.open(x), t),
      fps: (ms: number) => page.evaluate((x) => (window as unknown as { bench: Bench }).bench.fps(x), ms),
      latency: (n: number) => page.evaluate((x) => (window as unknown as { bench: Bench }).bench.latency(x), n),
      close: () => page.evaluate(() => (window as unknown as { bench: Bench }).bench.close()),
    };
    // Frame rate: the paths take turns over several rounds, so drift in the guest's speed
    // (it shares 2 cores with QEMU's VNC encoder, the browser and the backend) hits all alike.
    const ROUNDS = Number(values.rounds);
    const fpsOf = new Map<string, Array<{ fps: number; kbps: number; turnaroundMs: number }>>(paths.map((p) => [p.name, []]));
    startRedraw();
    await sleep(1000);
    for (let round = 0; round < ROUNDS; round++)
      for (const p of paths) {
        await b.open(await p.target());
        const r = await b.fps(FPS_MS / ROUNDS);
        await b.close();
        fpsOf.get(p.name)!.push(r);
        const ahead = p.name.startsWith('Virtdeck') && lastConsole ? `, ${h.backend.consoles.pipelined(lastConsole) ?? 0} requests sent ahead` : '';
        log(`${p.name} round ${round + 1}: ${round1(r.fps)} updates/s, ${Math.round(r.kbps)} KiB/s, median turnaround ${round1(r.turnaroundMs)} ms${ahead}`);
        await sleep(300);
      }
    stopRedraw();
    await sleep(1500);
    const results: Array<Record<string, unknown>> = [];
    for (const p of paths) {
      await b.open(await p.target());
      const lat = await b.latency(SAMPLES);
      await b.close();
      const f = fpsOf.get(p.name)!;
      const r = {
        path: p.name,
        updatesPerSec: round1(f.reduce((a, x) => a + x.fps, 0) / f.length),
        // Paired by round (the paths ran back to back), so a slow spell of the guest or the
        // machine cancels out: the median over rounds of this path's rate / websockify's.
        vsWebsockify: Math.round(100 * median(f.map((x, i) => x.fps / Math.max(0.1, fpsOf.get('noVNC + websockify')![i]!.fps)))) / 100,
        kibPerSec: Math.round(f.reduce((a, x) => a + x.kbps, 0) / f.length),
        latencyMedianMs: round1(median(lat)),
        latencyP95Ms: round1(p95(lat)),
        samples: lat.length,
      };
      log(JSON.stringify(r));
      results.push(r);
      await sleep(300);
    }
    await server.close();
    const out = join(__dirname, '..', 'test-results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'console-bench.json'), JSON.stringify({ at: new Date().toISOString(), samples: SAMPLES, fpsSeconds: FPS_MS / 1000, results }, null, 2));
    console.log('\n| path | frame updates/s | ÷ websockify (median of rounds) | KiB/s | key→echo median | key→echo p95 | samples |\n| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) console.log(`| ${r.path} | ${r.updatesPerSec} | ${r.vsWebsockify} | ${r.kibPerSec} | ${r.latencyMedianMs} ms | ${r.latencyP95Ms} ms | ${r.samples} |`);
  } finally {
    websockify?.kill();
    await browser.close();
    h.close();
    removeConsoleClone(BENCH_CLONE);
    spawnSync('true');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
