/**
 * The wizard's small decisions, as pure functions: which machine "automatic" means, which step a
 * plan problem belongs to, which OS entries a search matches.
 */
import type { NewVmCapabilities, OsDefaults, OsEntry } from '../../../../shared/model/newvm';
import type { Draft, StepId } from './draft';

/** The machine the backend will use when the user leaves it automatic: q35 when the OS supports it and the host has it, else the host's default. */
export function effectiveMachine(caps: Pick<NewVmCapabilities, 'machines'>, draft: Pick<Draft, 'machine'>, os: { defaults: Pick<OsDefaults, 'q35'> } | null) {
  if (draft.machine) return caps.machines.find((m) => m.name === draft.machine) ?? null;
  const q35 = caps.machines.find((m) => m.name === 'q35');
  if (os?.defaults.q35 !== false && q35) return q35;
  return caps.machines.find((m) => m.isDefault) ?? caps.machines[0] ?? null;
}

/** The step where the field of a plan problem is edited. */
export function stepOfField(field: string): StepId {
  if (field === 'source' || field === 'host') return 'source';
  if (field === 'os') return 'os';
  if (field === 'memory' || field === 'memoryMiB' || field === 'vcpus' || field === 'cpuset') return 'resources';
  if (field === 'storage') return 'storage';
  if (field === 'network') return 'network';
  return 'finish';
}

/** Every word of the query appears in the entry's name, id, family, version or vendor. */
export function matchesOs(os: OsEntry, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${os.name} ${os.id} ${os.family} ${os.version ?? ''} ${os.vendor ?? ''}`.toLowerCase();
  return words.every((w) => text.includes(w));
}
