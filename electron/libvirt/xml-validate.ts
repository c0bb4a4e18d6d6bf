/**
 * Checking an edited domain XML before it is applied, without changing anything on the host:
 *
 * 1. well-formedness, here (xmldom), with the line and column;
 * 2. identity: root <domain>, the VM's own UUID and name — a changed or missing UUID would make
 *    `define` create a second VM instead of changing this one, and libvirt refuses a new name
 *    for an existing UUID (renaming is `virsh domrename`);
 * 3. libvirt's RelaxNG schema via `virt-xml-validate - domain` ON THE HOST (its libvirt's own
 *    schemas; needs xmllint there), which names a line.
 *
 * There is deliberately no "scratch define" fallback when the host lacks virt-xml-validate:
 * defining a copy under another name/UUID would still create (and then have to remove) a real
 * VM, visible to every other client and racing with them. Instead the apply step itself is
 * `define --validate`, which checks the same schema and refuses invalid XML atomically, before
 * anything changes (https://libvirt.org/manpages/virsh.html#define).
 */
import type { XmlProblem, XmlValidation } from '../../shared/model/details';
import type { HostConnection } from '../hosts/host-connection';
import { child, elementChildren, parseXml, text, XmlSyntaxError, type Document, type Element, type Node } from '../xml/dom';

const lineOf = (n: Node | undefined): number | undefined => (n as { lineNumber?: number } | undefined)?.lineNumber;

function wellFormed(xml: string): { doc?: Document; problems: XmlProblem[] } {
  try {
    return { doc: parseXml(xml), problems: [] };
  } catch (e) {
    if (!(e instanceof XmlSyntaxError)) throw e;
    return { problems: [{ message: e.message, ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}) }] };
  }
}

/** Why this XML cannot replace the definition of the VM `uuid` named `name` (empty: it can). */
export function identityProblems(xml: string, uuid: string, name: string): XmlProblem[] {
  const { doc, problems } = wellFormed(xml);
  if (!doc) return problems;
  const root = doc.documentElement!;
  if (root.tagName !== 'domain') return [{ message: `The root element must be <domain>, not <${root.tagName}>.`, ...at(root) }];
  const out: XmlProblem[] = [];
  const uuidEl = child(root, 'uuid');
  const found = text(uuidEl)?.trim().toLowerCase();
  if (found !== uuid.toLowerCase())
    out.push({ message: `The <uuid> must stay ${uuid}: a different or missing UUID would define another VM instead of changing this one.`, ...at(uuidEl ?? root) });
  const nameEl = child(root, 'name');
  if (text(nameEl)?.trim() !== name.trim())
    out.push({ message: `The <name> must stay “${name}”: renaming a VM is a separate action (virsh domrename), not an edit of its XML.`, ...at(nameEl ?? root) });
  return out;
}

function at(n: Node): { line?: number } {
  const line = lineOf(n);
  return line ? { line } : {};
}

/**
 * Problems from xmllint/virt-xml-validate output ("-:27: element devices: Relax-NG validity
 * error : …") or virsh's define error ("Extra element devices in interleave"). Lines without a
 * number that name an element get the line of that element's first occurrence, when the
 * document has it once.
 */
export function parseValidatorOutput(output: string, xml: string): XmlProblem[] {
  let doc: Document | undefined;
  try {
    doc = parseXml(xml);
  } catch {
    doc = undefined;
  }
  const problems: XmlProblem[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line || /^(-|\S+) (fails to validate|validates)$/.test(line) || /^error: Failed to define domain/.test(line)) continue;
    const m = /^[^:\s]*:(\d+): (.*)$/.exec(line);
    if (m) {
      problems.push({ line: Number(m[1]), message: m[2]!.replace(/^element (\S+): Relax-NG validity error : /, '<$1>: ') });
      continue;
    }
    const message = line.replace(/^error: /, '').replace(/^Relax-NG validity error : /, '');
    const named = /(?:Extra element|Element|element|Did not expect element) (\S+?)(?: |$|:)/.exec(message)?.[1];
    const els = named && doc ? findAll(doc.documentElement!, named) : [];
    problems.push({ message, ...(els.length === 1 ? at(els[0]!) : {}) });
  }
  return problems;
}

function findAll(root: Element, tag: string): Element[] {
  const out: Element[] = [];
  const walk = (e: Element) => {
    if (e.tagName === tag) out.push(e);
    for (const c of elementChildren(e)) walk(c);
  };
  walk(root);
  return out;
}

/** Runs all checks; never defines anything. */
export async function validateDomainXml(host: HostConnection, xml: string, uuid: string, name: string): Promise<XmlValidation> {
  const formed = wellFormed(xml);
  if (!formed.doc) return { ok: false, problems: formed.problems, checks: ['wellformed'] };
  const identity = identityProblems(xml, uuid, name);
  if (identity.length > 0) return { ok: false, problems: identity, checks: ['wellformed', 'identity'] };
  const res = await host.run(['virt-xml-validate', '-', 'domain'], { stdin: xml, timeoutMs: 60_000, allowFailure: true });
  const out = `${res.stderr}\n${res.stdout}`;
  if (res.code === 0) return { ok: true, problems: [], checks: ['wellformed', 'identity', 'schema'] };
  // 127: not installed; virt-xml-validate without xmllint reports "xmllint: not found".
  if (res.code === 127 || /not found|No such file or directory/i.test(out))
    return { ok: true, problems: [], checks: ['wellformed', 'identity'], schemaUnavailable: 'virt-xml-validate (libvirt-clients + xmllint) is not installed on the host; libvirt checks the schema when you apply.' };
  const problems = parseValidatorOutput(out, xml);
  return { ok: false, problems: problems.length > 0 ? problems : [{ message: out.trim() || `virt-xml-validate exited with ${res.code}` }], checks: ['wellformed', 'identity', 'schema'] };
}
