import { describe, expect, it } from 'vitest';
import { detailsHash, parseDetailsHash } from './details-hash';

describe('opening a VM’s details from the address bar', () => {
  const uuid = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01';
  it('round-trips host and VM', () => {
    expect(parseDetailsHash(detailsHash({ hostId: 'h-1a2b', uuid }))).toEqual({ hostId: 'h-1a2b', uuid });
  });
  it('ignores other hashes and malformed ids', () => {
    expect(parseDetailsHash('')).toBeNull();
    expect(parseDetailsHash('#console=x')).toBeNull();
    expect(parseDetailsHash(`#details=bad id/${uuid}`)).toBeNull();
    expect(parseDetailsHash('#details=demo/not-a-uuid')).toBeNull();
    expect(parseDetailsHash(`#details=demo/${uuid}/extra`)).toBeNull();
  });
});
