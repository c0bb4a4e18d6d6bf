import { describe, expect, it } from 'vitest';
import { persistentHugepages } from './hugepage-persist';

describe('keeping hugepages across reboots', () => {
  it('the default size as a sysctl.d line written by a pasteable command', () => {
    expect(persistentHugepages(2048, 2048, 72)).toEqual({ kind: 'sysctl', command: "sudo tee /etc/sysctl.d/80-hugepages.conf <<'EOF'\nvm.nr_hugepages = 72\nEOF" });
  });
  it('another size on the kernel command line', () => {
    expect(persistentHugepages(1048576, 2048, 4)).toEqual({ kind: 'cmdline', args: 'hugepagesz=1G hugepages=4' });
    expect(persistentHugepages(32768, 2048, 8)).toEqual({ kind: 'cmdline', args: 'hugepagesz=32M hugepages=8' });
  });
});
