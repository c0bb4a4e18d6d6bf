// `npm run bench [-- --only scale,commands,real-host,renderer,hostpage,newvm,tuning] [--quick]`: performance numbers,
// `npm run bench [-- --only scale,commands,real-host,renderer,hostpage,newvm,snapshot] [--quick]`: performance numbers,
// one JSON line per measurement on stdout (progress on stderr). Not a test: it never fails on a
// missed goal, it prints `goals` flags instead. Builds dist/ first when missing, bundles the
// TypeScript under scripts/bench/ into dist/bench/*.cjs (like build-backend.mjs) and runs each
// part in its own Node process, so peak RSS is per part. Traffic goes to 127.0.0.1 only.
//
// Parts (see README.md "Performance"):
//   scale      test-driver hosts with 100 and 1,000 domains: backend vs one virsh process per call
//   commands   one command on the long-lived virsh session vs a new process / SSH exec channel
//   real-host  50 idle TCG guests (vd-bench-NN) on qemu:///system, reached over SSH
//   renderer   browser mode in Chromium with the 1,000-domain host: main-thread cost per tick
//   hostpage   the host page's sampler (backend CPU per tick) and readiness check, local and over SSH
//   newvm      the New VM wizard over SSH: open → ready and ISO detection, vs one ssh+virsh per question
//   tuning-cpu the Tuning tab's CPU map + advisor refresh, local and over SSH, vs one ssh+virsh per question
//   clone      clone throughput through Virtdeck (clones.create over SSH) vs `virsh vol-clone` alone
//   migrate    live migration A → B and back (private host): Virtdeck relayed/tunnelled vs plain virsh migrate
//              (run it under `flock /tmp/vd-private-host.lock`)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { nodeExternals } from './node-externals.mjs';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const ALL = ['scale', 'commands', 'real-host', 'renderer', 'hostpage', 'newvm', 'tuning', 'tuning-cpu', 'clone', 'migrate', 'snapshot'];
const only = values.only ? values.only.split(',').map((s) => s.trim()) : ALL;
for (const p of only) if (!ALL.includes(p)) throw new Error(`unknown part ${p}; parts: ${ALL.join(', ')}`);

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (!existsSync('dist/web/server.cjs') || !existsSync('dist/renderer/index.html') || !existsSync('dist/electron/main.cjs')) {
  const b = spawnSync(npm, ['run', '--silent', 'build'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const entries = ['test-driver-scale', 'command-cost', 'real-host', 'renderer', 'host-page', 'new-vm', 'tuning', 'tuning-cpu', 'clone', 'migrate', 'snapshot'];
await build({
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: nodeExternals(process.cwd()),
  sourcemap: true,
  logLevel: 'warning',
  entryPoints: Object.fromEntries(entries.map((e) => [e, `scripts/bench/${e}.ts`])),
  outdir: 'dist/bench',
  outExtension: { '.js': '.cjs' },
});

/** Every vd-bench-* guest goes, whatever happened (the real-host part also cleans up itself). */
function sweepBenchGuests() {
  const list = spawnSync('virsh', ['-c', 'qemu:///system', 'list', '--all', '--name'], { encoding: 'utf8' });
  if (list.status !== 0) return;
  const names = list.stdout.split('\n').map((s) => s.trim()).filter((s) => /^vd-bench-[\w-]+$/.test(s));
  if (names.length === 0) return;
  spawnSync('xargs', ['-P', '8', '-I', '{}', 'sh', '-c', 'virsh -c qemu:///system destroy {} ; virsh -c qemu:///system undefine --nvram {}'], {
    input: `${names.join('\n')}\n`,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  process.stderr.write(`[bench] removed leftover guests: ${names.join(' ')}\n`);
}

let current;
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    current?.kill(sig); // the part cleans up and exits; the sweep below runs after it
  });
}

function runPart(file, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`dist/bench/${file}.cjs`, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    current = child;
    const timer = setTimeout(() => {
      process.stderr.write(`[bench] ${file} ${args.join(' ')} exceeded ${timeoutMs / 1000} s; stopping it\n`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const plan = [];
if (only.includes('scale')) {
  plan.push(['test-driver-scale', ['--vms', '100'], 120_000]);
  plan.push(['test-driver-scale', ['--vms', values.quick ? '300' : '1000'], 240_000]);
}
if (only.includes('commands')) plan.push(['command-cost', values.quick ? ['--quick'] : [], 180_000]);
if (only.includes('real-host')) plan.push(['real-host', values.quick ? ['--guests', '10'] : ['--guests', '50'], 420_000]);
if (only.includes('renderer')) plan.push(['renderer', values.quick ? ['--vms', '300'] : ['--vms', '1000'], 300_000]);
if (only.includes('hostpage')) plan.push(['host-page', values.quick ? ['--quick'] : [], 180_000]);
if (only.includes('newvm')) plan.push(['new-vm', values.quick ? ['--quick'] : [], 180_000]);
if (only.includes('tuning')) plan.push(['tuning', values.quick ? ['--quick'] : [], 180_000]);
if (only.includes('tuning-cpu')) plan.push(['tuning-cpu', values.quick ? ['--quick'] : [], 180_000]);
if (only.includes('clone')) plan.push(['clone', values.quick ? ['--quick'] : [], 300_000]);
if (only.includes('migrate')) plan.push(['migrate', values.quick ? ['--rounds', '1'] : ['--rounds', '3'], 600_000]);
if (only.includes('snapshot')) plan.push(['snapshot', values.quick ? ['--quick'] : [], 420_000]);

const t0 = Date.now();
let failed = 0;
sweepBenchGuests();
try {
  for (const [file, args, timeoutMs] of plan) {
    if (interrupted) break;
    process.stderr.write(`[bench] ${file} ${args.join(' ')}\n`);
    if ((await runPart(file, args, timeoutMs)) !== 0) failed++;
  }
} finally {
  sweepBenchGuests();
}
process.stderr.write(`[bench] done in ${Math.round((Date.now() - t0) / 1000)} s${failed ? `, ${failed} part(s) failed` : ''}\n`);
process.exit(interrupted ? 130 : failed ? 1 : 0);
