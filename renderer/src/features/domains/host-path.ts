import type { PlainMessageKey } from '../../i18n/translate';

/** Checks a path typed for the host before it is sent (the backend validates again). */
export function validateHostPath(raw: string): (PlainMessageKey & `path.${string}`) | null {
  const path = raw.trim();
  if (path === '') return 'path.required';
  if (!path.startsWith('/')) return 'path.absolute';
  if (path.includes('\0')) return 'path.invalid';
  if (path.length > 4096) return 'path.tooLong';
  if (path.endsWith('/')) return 'path.isDirectory';
  return null;
}
