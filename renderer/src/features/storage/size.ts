/** Sizes as libvirt counts them (bytes, binary units), for tables and forms. */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
export type SizeUnit = 'MiB' | 'GiB' | 'TiB';
export const sizeUnits: readonly SizeUnit[] = ['MiB', 'GiB', 'TiB'];
const FACTOR: Record<SizeUnit, number> = { MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

/** 67108864 → "64 MiB", 1610612736 → "1.5 GiB", 0 → "0 B"; null → "" (unknown, not zero). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '';
  let v = bytes;
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
export function usedPct(used: number | null, total: number | null): number | null {
  if (used === null || total === null || total <= 0) return null;
  return Math.min(100, Math.max(0, (used / total) * 100));
}
