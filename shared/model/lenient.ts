import { z } from 'zod';

/**
 * What Virtdeck could not read about one object it still lists (a value outside what it knows,
 * a size it cannot hold, a command whose output it could not parse). Shown as a note on the row.
 */
export const Problems = z.array(z.string()).optional();

/**
 * A list validated object by object, so one odd object never hides the others: an item that
 * does not match `item` keeps every field that does, takes `fallback`'s value for each field
 * that does not, and says which in `problems`. An item whose identity fields (those without a
 * fallback) are unreadable cannot be shown at all and is left out.
 */
export function lenientList<S extends z.ZodRawShape>(item: z.ZodObject<S>, fallback: Partial<z.output<z.ZodObject<S>>>) {
  return z.array(z.unknown()).transform((raw) => {
    const out: z.output<z.ZodObject<S>>[] = [];
    for (const r of raw) {
      const whole = item.safeParse(r);
      if (whole.success) {
        out.push(whole.data);
        continue;
      }
      const salvaged = salvage(item, fallback, r);
      if (salvaged) out.push(salvaged);
    }
    return out;
  });
}

function salvage<S extends z.ZodRawShape>(item: z.ZodObject<S>, fallback: Partial<z.output<z.ZodObject<S>>>, raw: unknown): z.output<z.ZodObject<S>> | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const src = raw as Record<string, unknown>;
  const built: Record<string, unknown> = {};
  const problems: string[] = Array.isArray(src['problems']) ? src['problems'].filter((p): p is string => typeof p === 'string') : [];
  for (const [key, schema] of Object.entries(item.shape)) {
    if (key === 'problems') continue;
    const r = (schema as z.ZodType).safeParse(src[key]);
    if (r.success) {
      if (r.data !== undefined) built[key] = r.data;
    } else if (key in fallback) {
      built[key] = (fallback as Record<string, unknown>)[key];
      problems.push(`${key}: unreadable value ${preview(src[key])}`);
    } else return null;
  }
  built['problems'] = problems;
  const again = item.safeParse(built);
  return again.success ? again.data : null;
}

function preview(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
