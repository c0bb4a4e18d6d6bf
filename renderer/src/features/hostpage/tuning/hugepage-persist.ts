import { commandText } from '../../../../../shared/api/commands';

/**
 * How to keep `count` pages of a size after a reboot: the default size through sysctl
 * (vm.nr_hugepages, in a sysctl.d file), other sizes on the kernel command line.
 * https://docs.kernel.org/admin-guide/mm/hugetlbpage.html
 */
export function persistentHugepages(sizeKiB: number, defaultKiB: number, count: number): { kind: 'sysctl'; command: string } | { kind: 'cmdline'; args: string } {
  if (sizeKiB === defaultKiB) return { kind: 'sysctl', command: commandText({ argv: ['sudo', 'tee', '/etc/sysctl.d/80-hugepages.conf'], stdin: `vm.nr_hugepages = ${count}\n` }) };
  const size = sizeKiB % (1024 * 1024) === 0 ? `${sizeKiB / 1024 / 1024}G` : sizeKiB % 1024 === 0 ? `${sizeKiB / 1024}M` : `${sizeKiB}K`;
  return { kind: 'cmdline', args: `hugepagesz=${size} hugepages=${count}` };
}
