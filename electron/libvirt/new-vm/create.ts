/**
 * Creating the VM as a transaction: the planned steps run in order; when one fails, the steps
 * already done are undone in reverse (destroy, undefine, vol-delete) and the error says what was
 * undone. Nothing runs while the plan has problems.
 */
import { Readable } from 'node:stream';
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import { runStep } from '../plan';
import type { NewVmPlanInternal } from './planning';

export interface CreateOutcome {
  uuid: string;
  name: string;
  phase: NewVmPlanInternal['phase'];
  undone: string[];
}

export async function runPlan(host: HostConnection, plan: NewVmPlanInternal, onStarted: () => void): Promise<CreateOutcome> {
  if (plan.problems.length > 0) throw new AppError('invalid_args', plan.problems.map((p) => p.message).join('\n'));
  const done: NewVmPlanInternal['steps'] = [];
  for (const s of plan.steps) {
    try {
      if (s.data) await host.run(['virsh', ...s.step.argv], { stream: { stdin: Readable.from([Buffer.from(s.data())]) }, timeoutMs: 120_000 });
      else await (s.run ? s.run(host) : runStep(host, s.step));
    } catch (e) {
      const err = AppError.from(e);
      const undone = await undo(host, done);
      const failed = `${s.step.hostCommand ? s.step.argv[0] : `virsh ${s.step.argv[0]}`} failed: ${err.message}`;
      throw new AppError(err.code, undone.length > 0 ? `${failed}\nUndone: ${undone.join('; ')}.` : failed, JSON.stringify({ undone }));
    }
    done.push(s);
    if (s.starts) onStarted();
  }
  return { uuid: plan.uuid, name: plan.build.name, phase: plan.phase, undone: [] };
}

/** Undoes steps in reverse; a failing undo is reported, and the rest still run. */
export async function undo(host: HostConnection, done: NewVmPlanInternal['steps']): Promise<string[]> {
  const out: string[] = [];
  for (const s of [...done].reverse()) {
    if (!s.undo) continue;
    try {
      await runStep(host, s.undo);
      if (s.undoText) out.push(s.undoText);
    } catch (e) {
      out.push(`could not undo “virsh ${s.step.argv[0]}”: ${AppError.from(e).message}`);
    }
  }
  return out;
}
