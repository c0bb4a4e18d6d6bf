/** Sizes as libvirt counts them (bytes, binary units), for tables and forms. */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;
export type SizeUnit = 'MiB' | 'GiB' | 'TiB';
export const sizeUnits: readonly SizeUnit[] = ['MiB', 'GiB', 'TiB'];
const FACTOR: Record<SizeUnit, number> = { MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

/**
 * A byte count as a number, from the decimal strings libvirt's sizes travel in (they reach
 * 2^64−1). Exact to 2^53, within 1e-16 beyond: enough for showing and for shares. NaN if not one.
 */
export function byteNumber(bytes: number | string | null | undefined): number {
  if (typeof bytes === 'number') return bytes;
  return typeof bytes === 'string' && /^\d+$/.test(bytes) ? Number(bytes) : NaN;
}

/** 67108864 → "64 MiB", 1610612736 → "1.5 GiB", 0 → "0 B", "18446744073709551615" → "16 EiB"; null → "" (unknown, not zero). */
export function formatBytes(bytes: number | string | null | undefined): string {
  const n = byteNumber(bytes);
  if (!Number.isFinite(n) || n < 0) return '';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const shown = v >= 100 || Number.isInteger(v) ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
  return `${shown} ${UNITS[u]}`;
}

/** "64" + GiB → bytes; decimals allowed ("1.5"), rounded down to a whole MiB's worth of bytes; null when not a positive number. */
export function parseSize(text: string, unit: SizeUnit): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const bytes = Math.floor(Number(t) * FACTOR[unit]);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : null;
}

/** The largest unit in which `bytes` is a whole number, for prefilling a form (resize). */
export function splitSize(bytes: number): { text: string; unit: SizeUnit } {
  for (const unit of ['TiB', 'GiB'] as const) if (bytes % FACTOR[unit] === 0) return { text: String(bytes / FACTOR[unit]), unit };
  return { text: String(Math.round((bytes / FACTOR.MiB) * 100) / 100), unit: 'MiB' };
}

/** Share used, 0..100, for capacity bars; null when unknown. */
export function usedPct(usedBytes: number | string | null, totalBytes: number | string | null): number | null {
  const used = byteNumber(usedBytes);
  const total = byteNumber(totalBytes);
  if (!Number.isFinite(used) || !Number.isFinite(total) || total <= 0) return null;
  return Math.min(100, Math.max(0, (used / total) * 100));
}
