/**
 * libvirt's scaled integers (https://libvirt.org/formatdomain.html#memory-allocation): a `unit`
 * attribute of b/bytes, KB (10^3), k/KiB (2^10), MB, M/MiB … up to E/EiB; KiB when absent.
 */
const FACTORS: Record<string, number> = {
  b: 1, bytes: 1,
  kb: 1e3, k: 1024, kib: 1024,
  mb: 1e6, m: 1024 ** 2, mib: 1024 ** 2,
  gb: 1e9, g: 1024 ** 3, gib: 1024 ** 3,
  tb: 1e12, t: 1024 ** 4, tib: 1024 ** 4,
  pb: 1e15, p: 1024 ** 5, pib: 1024 ** 5,
  eb: 1e18, e: 1024 ** 6, eib: 1024 ** 6,
};

/** The value in KiB, or undefined when it is not a number in a known unit. */
export function toKiB(value: string | undefined, unit: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  const f = FACTORS[(unit ?? 'KiB').toLowerCase()];
  if (!Number.isFinite(n) || f === undefined) return undefined;
  return Math.floor((n * f) / 1024);
}

/**
 * How to write `kib` keeping the element's unit when it divides exactly (so `<memory
 * unit='MiB'>512</memory>` edited to 1 GiB stays in MiB and only the number changes).
 */
export function fromKiB(kib: number, unit: string | undefined): { value: string; unit: string | undefined } {
  const f = FACTORS[(unit ?? 'KiB').toLowerCase()];
  if (f !== undefined && (kib * 1024) % f === 0) return { value: String((kib * 1024) / f), unit };
  return { value: String(kib), unit: 'KiB' };
}
