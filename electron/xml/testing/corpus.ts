/** The domain XML corpus (fixtures/generate.sh, fixtures/hand/) for the model's tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '..', 'fixtures');

export interface CorpusFile {
  /** corpus/vi-q35.xml, hand/syntax-odd.xml, … */
  name: string;
  path: string;
  xml: string;
  /** Written by libvirt itself (virsh dumpxml): its formatting is the serialiser's. */
  libvirtFormatted: boolean;
}

export function corpus(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const sub of ['corpus', 'hand']) {
    for (const f of readdirSync(join(dir, sub)).filter((x) => x.endsWith('.xml')).sort()) {
      const path = join(dir, sub, f);
      out.push({ name: `${sub}/${f}`, path, xml: readFileSync(path, 'utf8'), libvirtFormatted: sub === 'corpus' && !f.startsWith('vi-') });
    }
  }
  // The test guest's template as provision.sh keeps it: comments and placeholders included.
  const tpl = join(__dirname, '..', '..', '..', 'e2e', 'host', 'test-guest.xml');
  out.push({ name: 'e2e/host/test-guest.xml', path: tpl, xml: readFileSync(tpl, 'utf8'), libvirtFormatted: false });
  return out;
}
