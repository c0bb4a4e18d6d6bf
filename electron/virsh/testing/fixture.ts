/** Reads a captured virsh output from electron/virsh/parse/fixtures (see the README there). */
import { readFileSync } from 'node:fs';

export function fixture(name: string): string {
  return readFileSync(new URL(`../parse/fixtures/${name}`, import.meta.url), 'utf8');
}
