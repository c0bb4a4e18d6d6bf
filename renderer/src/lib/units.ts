/**
 * Human units for the VM list. Binary prefixes, because that is what libvirt and the guest
 * report (KiB) and what `virsh dominfo` users expect to see.
 */
const kiBUnits = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 1048576 → "1 GiB", 1572864 → "1.5 GiB", 524288 → "512 MiB"; null → "" (unknown, not zero). */
export function formatKiB(kib: number | null | undefined): string {
  if (kib === null || kib === undefined || !Number.isFinite(kib) || kib < 0) return '';
  let value = kib;
  let unit = 0;
  // Stay in the smaller unit until the value reaches a whole 1024 of it.
  while (value >= 1024 && unit < kiBUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${trimNumber(value)} ${kiBUnits[unit]}`;
}

/** At most one decimal, none for values ≥ 100 or whole numbers: 1.5, 12.3, 512. */
function trimNumber(value: number): string {
  if (value >= 100 || Number.isInteger(value)) return String(Math.round(value));
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** CPU shares: "0.4%", "12%", "100%"; null → "" (no sample yet). */
export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '';
  const clamped = Math.max(0, pct);
  return clamped < 10 ? `${(Math.round(clamped * 10) / 10).toFixed(1)}%` : `${Math.round(clamped)}%`;
}

const rateUnits = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'] as const;

/** Disk and network rates for tooltips: "0 B/s", "1.5 MiB/s". */
export function formatRate(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) return '';
  let value = Math.max(0, bytesPerSecond);
  let unit = 0;
  while (value >= 1024 && unit < rateUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${trimNumber(value)} ${rateUnits[unit]}`;
}
