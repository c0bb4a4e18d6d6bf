import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { XmlHistory } from './xml-history';

const dir = mkdtempSync(join(tmpdir(), 'vd-hist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const UUID = '0b5e1c4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';

describe('the XML history kept when a pool or network is redefined', () => {
  it('keeps the replaced versions newest first, at most 10, without duplicates, readable by the user only', async () => {
    const h = new XmlHistory(dir);
    expect(await h.list('h1', 'pool', UUID)).toEqual([]);
    await Promise.all(Array.from({ length: 12 }, (_, i) => h.record('h1', 'pool', UUID, { at: i, name: 'p', xml: `<pool>${i}</pool>` })));
    await h.record('h1', 'pool', UUID, { at: 99, name: 'p', xml: '<pool>11</pool>' });
    const list = await h.list('h1', 'pool', UUID);
    expect(list.map((v) => v.xml)).toEqual(Array.from({ length: 10 }, (_, i) => `<pool>${11 - i}</pool>`));
    expect(await h.list('h1', 'network', UUID)).toEqual([]);
    expect(statSync(join(dir, 'xml-history', 'h1', `pool-${UUID}.json`)).mode & 0o077).toBe(0);
  });
});
