/** Guest addresses as the backend reports them (possibly with a /prefix): which one the list shows. */
const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export function stripPrefix(ip: string): string {
  const slash = ip.indexOf('/');
  return slash < 0 ? ip : ip.slice(0, slash);
}

/** The first IPv4 address, since that is what people type into ssh; else the first of any kind. */
export function primaryAddress(ips: readonly string[] | undefined): string {
  if (!ips || ips.length === 0) return '';
  for (const ip of ips) {
    const bare = stripPrefix(ip);
    if (ipv4.test(bare)) return bare;
  }
  return stripPrefix(ips[0]!);
}

/** Sorts IPv4 numerically (10.0.0.9 before 10.0.0.10); used as a sort key. */
export function addressSortKey(ip: string): string {
  if (!ipv4.test(ip)) return `z${ip}`;
  return `a${ip.split('.').map((part) => part.padStart(3, '0')).join('.')}`;
}
