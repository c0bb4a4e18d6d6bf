/**
 * The safe editor flow for pool and network XML (the domain editor's rules): the edited XML
 * must be well-formed, keep the object's root element and UUID (a changed or missing UUID
 * would define a second object instead of changing this one), is validated by libvirt against
 * its schema while defining (`--validate`), and the version it replaces is kept in the history.
 * Changes to an active object's definition apply at its next start.
 */
import type { XmlKind } from '../../shared/api/commands';
import { AppError } from '../../shared/errors';
import type { HostConnection } from '../hosts/host-connection';
import { parseXml, textAt, XmlSyntaxError } from '../xml/dom';
import { runStep, type Step } from './plan';
import type { XmlHistory } from './xml-history';

const ROOT: Record<XmlKind, string> = { pool: 'pool', network: 'network' };
const CMD: Record<XmlKind, { dump: string; define: string; opt: string }> = {
  pool: { dump: 'pool-dumpxml', define: 'pool-define', opt: '--pool' },
  network: { dump: 'net-dumpxml', define: 'net-define', opt: '--network' },
};

/** Throws invalid_args saying what is wrong; returns the name the XML gives the object. */
export function checkEditedXml(kind: XmlKind, uuid: string, xml: string): string {
  let root;
  try {
    root = parseXml(xml).documentElement!;
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw new AppError('invalid_args', `The XML is not well-formed: ${e.message}${e.line !== undefined ? ` (line ${e.line})` : ''}`);
    throw e;
  }
  if (root.tagName !== ROOT[kind]) throw new AppError('invalid_args', `The root element must be <${ROOT[kind]}>, not <${root.tagName}>.`);
  const found = textAt(root, 'uuid')?.trim().toLowerCase();
  if (found !== uuid.toLowerCase())
    throw new AppError('invalid_args', `The <uuid> must stay ${uuid}: a different or missing UUID would define another ${kind} instead of changing this one.`);
  const name = textAt(root, 'name');
  if (!name) throw new AppError('invalid_args', `The ${kind} needs a <name>.`);
  return name;
}

/** The persistent definition as the editor shows it (https://libvirt.org/manpages/virsh.html#pool-dumpxml). */
export async function currentXml(host: HostConnection, kind: XmlKind, uuid: string): Promise<string> {
  const argv = [CMD[kind].dump, CMD[kind].opt, uuid];
  try {
    return (await host.run(['virsh', ...argv, '--inactive'])).stdout;
  } catch (e) {
    // The test driver's networks know no --inactive ("unsupported flags"); their XML is the definition.
    if (!/unsupported flags/i.test(AppError.from(e).message)) throw e;
    return (await host.run(['virsh', ...argv])).stdout;
  }
}

export function redefineSteps(kind: XmlKind, uuid: string, xml: string): Step[] {
  checkEditedXml(kind, uuid, xml);
  return [{ argv: [CMD[kind].define, '--file', '/dev/stdin', '--validate'], stdin: xml }];
}

/** Runs the redefine step; on success the replaced version goes to the history. */
export async function redefine(host: HostConnection, history: XmlHistory, kind: XmlKind, uuid: string, steps: Step[]): Promise<void> {
  const before = await currentXml(host, kind, uuid);
  for (const step of steps) await runStep(host, step);
  const name = textAt(parseXml(before).documentElement!, 'name') ?? '';
  await history.record(host.id, kind, uuid, { at: Date.now(), name, xml: before });
}
