/**
 * The pre-flight's fix for "the destination has no pool of that name": the source pool's own
 * definition, defined (or, for a transient one, created) on the destination. Only for pools
 * whose build is harmless: a dir pool's build makes its folder; other types are only defined
 * and started (building a disk or logical pool would write to the destination's devices).
 * https://libvirt.org/formatstorage.html, https://libvirt.org/manpages/virsh.html#pool-define
 */
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import { parsePoolInfo } from '../../virsh/parse/storage';
import { commandLines, runStep, type Step } from '../plan';
import { poolXmlForDest } from './offline-xml';

const SIMPLE = new Set(['dir', 'fs', 'netfs']);

/** The steps that give `dest` the source's pool `name`. */
export async function createPoolSteps(source: HostConnection, dest: HostConnection, name: string): Promise<Step[]> {
  const exists = await dest.run(['virsh', 'pool-info', '--pool', name], { allowFailure: true });
  if (exists.code === 0) throw new AppError('invalid_args', `the destination already has a pool named “${name}”`);
  const info = parsePoolInfo((await source.run(['virsh', 'pool-info', '--pool', name])).stdout);
  const xml = poolXmlForDest((await source.run(['virsh', 'pool-dumpxml', '--pool', name, '--inactive'])).stdout);
  const type = /<pool[^>]*\btype=['"]([^'"]+)/.exec(xml)?.[1] ?? '';
  if (!SIMPLE.has(type)) throw new AppError('unsupported', `the pool “${name}” is of type ${type}: create it on the destination yourself (building it could overwrite the destination's storage)`);
  const build = type === 'dir';
  if (!info.persistent) return [{ argv: ['pool-create', '--file', '/dev/stdin', ...(build ? ['--build'] : [])], stdin: xml }];
  return [
    { argv: ['pool-define', '--file', '/dev/stdin', '--validate'], stdin: xml },
    ...(build ? [{ argv: ['pool-build', '--pool', name] }] : []),
    { argv: ['pool-start', '--pool', name] },
    ...(info.autostart ? [{ argv: ['pool-autostart', '--pool', name] }] : []),
  ];
}

export async function createPoolOnDestCommands(source: HostConnection, dest: HostConnection, name: string): Promise<Array<{ host: 'dest'; argv: string[]; stdin?: string }>> {
  return commandLines(dest, await createPoolSteps(source, dest, name)).map((c) => ({ host: 'dest' as const, argv: c.argv, ...(c.stdin !== undefined ? { stdin: c.stdin } : {}) }));
}

/** Creates it; a failure half-way undefines the pool it defined (the folder a build made stays). */
export async function createPoolOnDest(source: HostConnection, dest: HostConnection, name: string): Promise<void> {
  const steps = await createPoolSteps(source, dest, name);
  let defined = false;
  try {
    for (const s of steps) {
      await runStep(dest, s);
      if (s.argv[0] === 'pool-define') defined = true;
    }
  } catch (e) {
    if (defined) {
      await dest.run(['virsh', 'pool-destroy', '--pool', name], { allowFailure: true });
      await dest.run(['virsh', 'pool-undefine', '--pool', name], { allowFailure: true });
    }
    throw e;
  }
}
