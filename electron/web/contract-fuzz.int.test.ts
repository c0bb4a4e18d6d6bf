// The contract under fire: thousands of random and hostile payloads for every request name in
// shared/contract.ts, plus malformed frames, through the real browser-mode server process.
//
// What keeps this safe, and what it checks:
//  - the server's only saved connection is test:///default, and it runs with
//    `--only-uri test:///default`, so no payload can save or connect any other URI (a real
//    hypervisor, an SSH host); the test asserts that refusal too;
//  - as root, the server runs as `nobody` in a throwaway HOME (its working directory is deep in
//    that HOME), under strace: every file it or its children (virsh) create, write, rename or
//    delete must be inside that HOME;
//  - hostile strings carry shell sentinels (`$(touch /tmp/PWNED-…)` and friends); no sentinel
//    file may appear;
//  - every answer is a {code, message} error or a result that passes the contract's result
//    schema (every event too), a payload the args schema refuses is 'invalid_args', and the
//    server never exits.
// The seed is printed; VIRTDECK_FUZZ_SEED=<n> replays a run.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { events, isEventName, requestNames, requests, type RequestName } from '../../shared/contract';
import { AppErrorShape } from '../../shared/errors';
import { buildWebServer, startWebApp, type WebApp } from '../../e2e/support/web-app';

const SEED = Number(process.env.VIRTDECK_FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS_PER_REQUEST = 100;
const IN_FLIGHT = 12;
const RUN_ID = `${process.pid}-${SEED}`;
const SENTINEL = `/tmp/PWNED-${RUN_ID}`;
const NOBODY = { uid: 65534, gid: 65534 };
const asRoot = process.getuid?.() === 0;
const hasStrace = spawnSync('strace', ['-V']).status === 0;

/** Strings that broke parsers, shells, paths and XML elsewhere. */
const HOSTILE: string[] = [
  '',
  ' ',
  "'",
  '"',
  '\\',
  '`',
  `$(touch ${SENTINEL}-1)`,
  `\`touch ${SENTINEL}-2\``,
  `; touch ${SENTINEL}-3`,
  `| touch ${SENTINEL}-4`,
  `&& touch ${SENTINEL}-5`,
  `\ntouch ${SENTINEL}-6\n`,
  `' ; touch ${SENTINEL}-7 ; '`,
  `" ; touch ${SENTINEL}-8 ; "`,
  `$(touch\${IFS}${SENTINEL}-9)`,
  `x\n!touch ${SENTINEL}-10`, // virsh's interactive shell escape
  '-h',
  '--help',
  '--connect=qemu:///system',
  'qemu:///system',
  'qemu+ssh://root@127.0.0.1/system',
  'test:///default',
  'test:///etc/hostname',
  '../',
  '../../x',
  '..\\..\\x',
  '%2e%2e%2f',
  '/nonexistent-vdfz/../../etc/passwd',
  '\0',
  'a\0b',
  '\u202e\u200b',
  '日本語 ünï',
  '𝕏🙂',
  '\uffff',
  '\ud800',
  '<script>alert(1)</script>',
  ']]><!--',
  "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><domain type='test'><name>&e;</name></domain>",
  "<domain type='kvm'><name>x</name><memory>1</memory><devices><emulator>/bin/sh</emulator></devices></domain>",
  '%s%n%x',
  '__proto__',
  'A'.repeat(70_000),
];
const HUGE = 'B'.repeat(1024 * 1024);

const NUMBERS = [0, -0, 1, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, -(2 ** 63), 1e-320, 0.5, 4294967296, Infinity, -Infinity];

describe('contract fuzz through the real WebSocket server (test:///default only)', () => {
  let server = '';
  let app: WebApp;
  let traceDir = '';
  let exited: string | undefined;
  const known = { hostId: 'demo', domain: '6695eb01-f6a4-8304-79aa-97f2502e193f', pool: '', network: '' };

  beforeAll(async () => {
    expect(hasStrace, 'strace is needed to see what the fuzzed server writes').toBe(true);
    server = await buildWebServer();
    traceDir = mkdtempSync(join(tmpdir(), 'vd-fuzz-trace-'));
    if (asRoot) chownSync(traceDir, NOBODY.uid, NOBODY.gid);
    app = await startWebApp(['--only-uri', 'test:///default'], {
      server,
      prepareHome: (home) => {
        const config = join(home, '.config', 'virtdeck');
        mkdirSync(config, { recursive: true });
        writeFileSync(join(config, 'connections.json'), JSON.stringify({ version: 1, connections: [{ id: 'demo', name: 'Demo', uri: 'test:///default', autoconnect: true }] }));
        mkdirSync(join(home, 'w', 'a', 'b', 'c', 'd', 'e'), { recursive: true });
        if (asRoot) spawnSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, home]);
      },
      cwd: (home) => join(home, 'w', 'a', 'b', 'c', 'd', 'e'),
      ...(asRoot ? { user: NOBODY } : {}),
      // Only calls that change the filesystem; seccomp keeps the rest of the process at full speed.
      wrap: ['strace', '-f', '-qq', '--seccomp-bpf', '-e', 'trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,truncate,link,linkat,symlink,symlinkat,chmod,fchmodat,chown,lchown,fchownat', '-o', join(traceDir, 'trace')],
    });
    app.child.once('exit', (code, signal) => (exited = `code ${code} signal ${signal}`));
    console.log(`contract fuzz: seed ${SEED} (VIRTDECK_FUZZ_SEED=${SEED} replays it)`);
  });

  afterAll(async () => {
    if (exited === undefined) stopServer();
    await app?.stop();
    rmSync(traceDir, { recursive: true, force: true });
    rmSync(server, { force: true });
    for (const f of readdirSync('/tmp').filter((n) => n.startsWith(`PWNED-${RUN_ID}`))) rmSync(join('/tmp', f), { force: true });
  });

  /** SIGTERM to the server itself: strace, its parent, would leave it running. */
  const stopServer = () => {
    const pid = Number(readFileSync(`/proc/${app.child.pid}/task/${app.child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    if (pid) process.kill(pid, 'SIGTERM');
  };

  /** A client of the API socket: requests by id, every event checked against its schema. */
  const client = async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}/api/ws?token=${app.token}`, { origin: app.origin, maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((res, rej) => (ws.once('open', () => res()), ws.once('error', rej))).catch((e: unknown) => {
      throw new Error(`could not connect: ${String(e)} (server ${exited ?? 'running'}):\n${app.output().slice(-3000)}`);
    });
    ws.on('error', () => {}); // a reset after the server closed on a malformed frame shows as close 1006
    const pending = new Map<number, (frame: { ok: boolean; result?: unknown; error?: unknown }) => void>();
    const badEvents: string[] = [];
    let nextId = 1;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { t: string; id: number; name: string; payload: unknown; ok: boolean };
      if (frame.t === 'res') pending.get(frame.id)?.(frame);
      else if (!isEventName(frame.name) || !events[frame.name].safeParse(frame.payload).success) badEvents.push(`${frame.name}: ${JSON.stringify(frame.payload).slice(0, 300)}`);
    });
    const call = (name: string, argsJson: string, timeoutMs = 20_000) =>
      new Promise<{ ok: boolean; result?: unknown; error?: unknown }>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => reject(new Error(`no answer to ${name} ${argsJson.slice(0, 200)} within ${timeoutMs} ms`)), timeoutMs);
        pending.set(id, (f) => (clearTimeout(timer), pending.delete(id), resolve(f)));
        ws.send(`{"t":"req","id":${id},"name":${JSON.stringify(name)},"args":${argsJson}}`);
      });
    const valid = async <K extends RequestName>(name: K, args: unknown) => {
      const f = await call(name, JSON.stringify(args));
      if (!f.ok) throw new Error(`${name}: ${JSON.stringify(f.error)}`);
      return f.result as z.output<(typeof requests)[K]['result']>;
    };
    return { ws, call, valid, badEvents };
  };

  /** JSON that keeps what JSON.stringify loses: ±Infinity as 1e999 (JSON.parse reads it back as ±Infinity). */
  const toJson = (v: unknown) =>
    (JSON.stringify(v, (_k, x: unknown) => (x === Infinity ? '__INF__' : x === -Infinity ? '__NINF__' : x)) ?? 'null').replace(/"__INF__"/g, '1e999').replace(/"__NINF__"/g, '-1e999');

  const leaf = (): fc.Arbitrary<unknown> =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
      { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
      { weight: 1, arbitrary: fc.double() },
      { weight: 1, arbitrary: fc.integer() },
      { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}) },
      { weight: 1, arbitrary: fc.constantFrom(known.hostId, known.domain, known.pool, known.network, 'test', 'default-pool', 'default') },
    );
  const anything = () => fc.anything({ maxDepth: 3, maxKeys: 4, values: [leaf()] });

  /** Plausible values by key name, so some payloads get past validation into the handlers. */
  const hint = (key: string): fc.Arbitrary<unknown> => {
    const k = key.toLowerCase();
    if (k === 'hostid') return fc.constantFrom(known.hostId, 'local-system', 'nope');
    if (k === 'uuids' || k === 'names') return fc.array(fc.oneof(fc.constant(known.domain), leaf()), { minLength: 1, maxLength: 3 });
    if (k === 'pooluuid') return fc.constant(known.pool);
    if (k.includes('uuid')) return fc.constantFrom(known.domain, known.pool, known.network);
    if (k === 'connection') return fc.record({ name: leaf(), uri: fc.constantFrom('qemu:///system', 'test:///default', 'qemu+ssh://root@127.0.0.1/system', 'test:///etc/hostname') }, { requiredKeys: ['uri'] });
    if (k === 'name') return fc.constantFrom('test', 'default-pool', 'default', ...HOSTILE);
    if (k.includes('path') || k === 'deletesources') return fc.oneof(fc.constantFrom('saved.img', 'x/y', ...HOSTILE), fc.array(fc.constantFrom(...HOSTILE), { maxLength: 2 }));
    return leaf();
  };

  const argsFor = (name: RequestName): fc.Arbitrary<unknown> => {
    const schema = requests[name].args;
    const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
    const shaped = fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof({ weight: 3, arbitrary: hint(k) }, { weight: 2, arbitrary: leaf() }, { weight: 1, arbitrary: anything() })])), { requiredKeys: [] });
    const extra = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'extra', 'hostId', '', '\0'), leaf(), { maxKeys: 2 });
    return fc.oneof(
      { weight: 8, arbitrary: shaped },
      { weight: 1, arbitrary: fc.tuple(shaped, extra).map(([a, b]) => ({ ...b, ...a })) },
      { weight: 1, arbitrary: anything() },
      { weight: 1, arbitrary: fc.constantFrom(null, undefined, 0, '', [], HUGE, { hostId: HUGE }) },
    );
  };

  it('every request answers each hostile payload with a valid result or a {code, message} error, and nothing escapes', async () => {
    const started = Date.now();
    const c = await client();
    await c.valid('hosts.connect', { hostId: 'demo' });
    known.pool = (await c.valid('storage.pools.list', { hostId: 'demo' }))[0]!.uuid;
    known.network = (await c.valid('networks.list', { hostId: 'demo' }))[0]!.uuid;

    // The harness's own guard first: nothing but test:///default is saved or connected.
    for (const uri of ['qemu:///system', 'qemu+ssh://root@127.0.0.1/system', 'test:///etc/hostname']) {
      expect(await c.call('hosts.save', JSON.stringify({ connection: { name: 'x', uri } }))).toMatchObject({ ok: false, error: { code: 'permission' } });
    }

    const failures: string[] = [];
    let sent = 0;
    let answered = 0;
    const codes = new Map<string, number>();
    for (const [i, name] of requestNames.entries()) {
      const payloads = fc.sample(argsFor(name), { numRuns: RUNS_PER_REQUEST, seed: SEED + i });
      let next = 0;
      const worker = async () => {
        while (next < payloads.length) {
          const args = payloads[next++];
          const json = args === undefined ? 'null' : toJson(args);
          sent++;
          let f: { ok: boolean; result?: unknown; error?: unknown };
          try {
            f = await c.call(name, json);
          } catch (e) {
            failures.push(String(e));
            continue;
          }
          const what = `${name} ${json.slice(0, 300)}`;
          if (f.ok) {
            answered++;
            const r = requests[name].result.safeParse(f.result);
            if (!r.success) failures.push(`${what} → result outside the contract: ${r.error.message.slice(0, 300)}`);
            if (!requests[name].args.safeParse(JSON.parse(json) ?? {}).success) failures.push(`${what} → accepted, though its args schema refuses it`);
          } else {
            const e = AppErrorShape.safeParse(f.error);
            if (!e.success) failures.push(`${what} → error not {code, message}: ${JSON.stringify(f.error).slice(0, 300)}`);
            else {
              codes.set(e.data.code, (codes.get(e.data.code) ?? 0) + 1);
              if (e.data.code === 'internal') failures.push(`${what} → internal: ${e.data.message.slice(0, 300)}`);
              if (!requests[name].args.safeParse(JSON.parse(json) ?? {}).success && e.data.code !== 'invalid_args') failures.push(`${what} → ${e.data.code}, not invalid_args`);
            }
          }
          if (exited) throw new Error(`the server exited (${exited}) after ${what}`);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      // A payload may legitimately remove or disconnect the demo host: put it back, so later requests reach handlers.
      const hosts = await c.valid('hosts.list', {});
      const demo = hosts.find((h) => h.config.uri === 'test:///default');
      if (!demo) known.hostId = (await c.valid('hosts.save', { connection: { name: 'Demo', uri: 'test:///default' } })).config.id;
      else known.hostId = demo.config.id;
      if (hosts.find((h) => h.config.id === known.hostId)?.status.state !== 'connected') await c.call('hosts.connect', JSON.stringify({ hostId: known.hostId }));
      for (const h of hosts) expect(h.config.uri, 'only test:///default is ever saved').toBe('test:///default');
    }
    c.ws.close();
    console.log(`contract fuzz: ${sent} requests over ${requestNames.length} names in ${Date.now() - started} ms; ${answered} results; errors by code ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(failures.slice(0, 30)).toEqual([]);
    expect(c.badEvents.slice(0, 10)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(requestNames.length * RUNS_PER_REQUEST);
  });

  it('malformed frames close only that client; the server keeps serving', async () => {
    const frames: (string | Buffer)[] = [
      'not json',
      '{"t":"req","id":1,"name":"app.info","args":NaN}',
      '{"t":"req","id":1.5,"name":"app.info","args":{}}',
      '{"t":"req","id":"1","name":"app.info","args":{}}',
      '{"t":"res","id":1,"ok":true}',
      '{"t":"req","id":1,"name":{"x":1},"args":{}}',
      '[]',
      'null',
      '{"t":"req","id":1e999,"name":"app.info","args":{}}',
      '{"t":"req","id":1,"name":"app.info","args":{}',
      '\ud800',
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
      Buffer.alloc(1024 * 1024, 1),
    ];
    for (const frame of frames) {
      const c = await client();
      const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
      c.ws.send(frame, { binary: Buffer.isBuffer(frame) });
      // 1006: the server closed while a 1 MB frame was still being sent, so the client saw a reset.
      expect(Buffer.isBuffer(frame) && frame.length > 65536 ? [1003, 1006] : [1003, 1007]).toContain(await closed);
    }
    // A frame over the 4 MB limit closes that client (it used to crash the server), and a huge but legal one answers invalid_args.
    const big = await client();
    const bigClosed = new Promise<number>((r) => big.ws.once('close', (code) => r(code)));
    big.ws.send(`{"t":"req","id":1,"name":"app.info","args":"${'C'.repeat(5 * 1024 * 1024)}"}`);
    expect([1009, 1006]).toContain(await bigClosed);
    const c = await client();
    expect(await c.call('app.info', JSON.stringify(HUGE.repeat(3)))).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await c.call('no.such.request', '{}')).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect((await c.call('app.info', '{}')).ok).toBe(true);
    c.ws.close();
    expect(exited).toBeUndefined();
  });

  it('no payload ran a shell command or wrote outside the throwaway HOME', async () => {
    // Stop the server so strace has written everything.
    const done = new Promise((r) => app.child.once('exit', r));
    stopServer();
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
    expect(readdirSync('/tmp').filter((n) => n.startsWith(`PWNED-${RUN_ID}`))).toEqual([]);
    const writes = filesystemChanges(readFileSync(join(traceDir, 'trace'), 'utf8'), join(app.home, 'w', 'a', 'b', 'c', 'd', 'e'));
    expect(writes.length, 'strace saw no write at all: is it tracing?').toBeGreaterThan(0);
    const outside = writes.filter((p) => !p.startsWith(app.home + '/') && !ALLOWED_DEVICES.some((d) => p === d || p.startsWith(d + '/')));
    expect([...new Set(outside)]).toEqual([]);
    expect(existsSync(join(app.home, '.config', 'virtdeck', 'connections.json'))).toBe(true);
  });
});

const ALLOWED_DEVICES = ['/dev/null', '/dev/tty', '/dev/ptmx', '/dev/pts', '/dev/urandom', '/dev/shm'];

/**
 * Paths that successful calls in an strace log created, opened for writing, renamed, deleted or
 * changed; relative ones are resolved against the server's working directory (nothing here
 * changes directory). A path relative to another directory fd is reported as-is, so it fails.
 */
function filesystemChanges(trace: string, cwd: string): string[] {
  const out: string[] = [];
  for (const line of trace.split('\n')) {
    const m = /^\d+\s+(\w+)\((.*)\)\s+=\s+(-?\d+)/.exec(line);
    if (!m || Number(m[3]) < 0) continue;
    const [, call, argText] = m as unknown as [string, string, string];
    const paths = [...argText.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((p) => p[1]!.replace(/\\"/g, '"'));
    const atFd = /^(AT_FDCWD|\d+)/.exec(argText)?.[1];
    if (call === 'open' || call === 'openat') {
      if (!/O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/.test(argText)) continue;
    }
    for (const p of call === 'rename' || call === 'renameat' || call === 'renameat2' || call.startsWith('link') || call.startsWith('symlink') ? paths : paths.slice(0, 1)) {
      if (p.startsWith('/')) out.push(resolve(p));
      else if (atFd === undefined || atFd === 'AT_FDCWD' || !call.endsWith('at')) out.push(resolve(cwd, p));
      else out.push(`(relative to fd ${atFd}) ${p}`);
    }
  }
  return out;
}
