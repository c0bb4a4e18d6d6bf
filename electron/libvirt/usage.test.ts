import { describe, expect, it } from 'vitest';
import type { HostConnection } from '../hosts/host-connection';
import { fixture } from '../virsh/testing/fixture';
import { diskUsers } from './usage';

describe('which VMs use a volume', () => {
  it('reads each disk source once decoded: a literal "\\x41" in a path stays as written (virsh 9.0, test driver)', async () => {
    const host = {
      run: async ([, ...argv]: string[]) => ({
        stdout: argv[0] === 'list' ? '00000000-0000-4000-8000-0000000000c1 vm1\n' : fixture('tables-test-domblklist-details-escapes.txt'),
      }),
    } as unknown as HostConnection;
    const sources = (await diskUsers(host)).map((u) => u.source);
    expect(sources).toContain('/img/back\\x41slash  two.img');
    expect(sources).toContain('/img/del\x7fc1\ufffd\ufffdx.qcow2');
  });
});
