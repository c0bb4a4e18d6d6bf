import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from './c14n';
import { corpus } from './testing/corpus';
import { hasXmllint, xmllintC14nFiles } from './testing/xmllint';

const files = corpus();
let reference = new Map<string, string>();
beforeAll(async () => {
  if (hasXmllint) reference = await xmllintC14nFiles(files.map((f) => f.path));
}, 120_000);

describe('the C14N canonicaliser the model is judged by', () => {
  it.runIf(hasXmllint).each(files.map((f) => [f.name, f] as const))('agrees with libxml2 (xmllint --c14n) on %s', (_, f) => {
    expect(canonicalize(f.xml)).toBe(reference.get(f.path));
  });

  it('ignores what XML does not distinguish: quotes, attribute order, empty-element form, the declaration', () => {
    const a = `<?xml version="1.0"?><a y='2' x="1"><b></b></a>`;
    const b = `<a x='1' y="2"><b/></a>`;
    expect(canonicalize(a)).toBe(canonicalize(b));
    expect(canonicalize(a)).toBe('<a x="1" y="2"><b></b></a>');
  });

  it('keeps what XML does distinguish: whitespace, text, comments, PIs', () => {
    expect(canonicalize('<a> <b/></a>')).not.toBe(canonicalize('<a><b/></a>'));
    expect(canonicalize('<a><!--c--></a>')).not.toBe(canonicalize('<a/>'));
    expect(canonicalize('<a><!--c--></a>', { comments: false })).toBe(canonicalize('<a/>'));
    expect(canonicalize('<!--x--><?p d?><a/><!--y-->')).toBe('<!--x-->\n<?p d?>\n<a></a>\n<!--y-->');
  });

  it('drops superfluous namespace declarations and sorts the rest', () => {
    expect(canonicalize('<a xmlns:z="u:z" xmlns:b="u:b"><z:c xmlns:z="u:z" xmlns=""/></a>')).toBe('<a xmlns:b="u:b" xmlns:z="u:z"><z:c></z:c></a>');
  });
});
