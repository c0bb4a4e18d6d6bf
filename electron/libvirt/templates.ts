/**
 * Templates: a VM marked `<vd:template/>` in its <metadata>, under Virtdeck's own namespace
 * (https://libvirt.org/formatdomain.html#general-metadata: each application keeps its own
 * namespace there and libvirt stores it verbatim). A template's disks are the bases of linked
 * clones, so it must never start by accident; the UI asks first.
 */
import { AppError } from '../../shared/errors';
import type { HostConnection } from '../hosts/host-connection';
import { parseUuidList } from '../virsh/parse';
import { child, elementChildren, h, insertChild, removeElement } from '../xml/dom';
import { DOMAIN_ORDER, DomainXml } from '../xml/domain-xml';
import { allDiskChains, dependentsOf } from './backing-chains';
import { defineStep, inactiveXml } from './domain-config';
import { metadataOfAll } from './metadata-batch';
import type { Step } from './plan';

export const TEMPLATE_NS = 'https://virtdeck.dev/xmlns/template/1';

const templateEl = (x: DomainXml) => elementChildren(child(x.root, 'metadata')).find((e) => e.namespaceURI === TEMPLATE_NS && e.localName === 'template');

export const isTemplateXml = (xml: string): boolean => templateEl(DomainXml.parse(xml)) !== undefined;

/** The definition with the mark set or removed; everything else as it was. */
export function withTemplateMark(xml: string, template: boolean): string {
  const x = DomainXml.parse(xml);
  const own = templateEl(x);
  if (template && !own) {
    const meta = child(x.root, 'metadata') ?? insertChild(x.root, x.doc.createElement('metadata'), DOMAIN_ORDER);
    insertChild(meta, h(x.doc, 'vd:template', { 'xmlns:vd': TEMPLATE_NS }));
  }
  if (!template && own) {
    const meta = own.parentNode as ReturnType<typeof child> & object;
    removeElement(own);
    if (elementChildren(meta).length === 0) removeElement(meta);
  }
  return x.toXml();
}

/**
 * The redefine that sets the mark (nothing when it is already so). Removing it while linked
 * clones use this VM's disks as their base is refused unless forced: once the template may
 * start, its disks change under those clones.
 */
export async function templateSteps(host: HostConnection, uuid: string, template: boolean, force = false): Promise<{ before: string; steps: Step[] }> {
  const before = await inactiveXml(host, uuid);
  if (isTemplateXml(before) === template) return { before, steps: [] };
  if (!template && !force) {
    const chains = await allDiskChains(host);
    const own = chains.filter((c) => c.uuid === uuid.toLowerCase()).map((c) => c.source);
    const deps = [...new Set(own.flatMap((p) => dependentsOf(chains, p, uuid.toLowerCase()).map((d) => `“${d.name}”`)))];
    if (deps.length > 0)
      throw new AppError('unsupported', `${deps.join(', ')} ${deps.length === 1 ? 'is a linked clone' : 'are linked clones'} of this template: once it is no template it may start and change their base. Remove the mark anyway only if you know it will not start.`);
  }
  return { before, steps: [defineStep(withTemplateMark(before, template))] };
}

/**
 * Every template on the host: our namespace of every VM's metadata in one batch (the UI asks
 * after each domains.changed, so not a dumpxml per VM).
 */
export async function listTemplates(host: HostConnection): Promise<{ uuid: string; name: string }[]> {
  const uuids = parseUuidList((await host.run(['virsh', 'list', '--all', '--uuid'])).stdout);
  const found = (await metadataOfAll(host, uuids, TEMPLATE_NS)).filter((v) => /<(?:[\w-]+:)?template[\s/>]/.test(v.metadata));
  return found.map(({ uuid, name }) => ({ uuid, name })).sort((a, b) => a.name.localeCompare(b.name));
}
