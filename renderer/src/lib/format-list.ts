import type { Translate } from '../i18n/translate';

/** “a”, “b” and 3 more — names quoted so odd VM names stay readable; long lists are cut short. */
export function quotedList(t: Translate, items: readonly string[], max = 10): string {
  const shown = items.slice(0, max).map((item) => t('list.quoted', { item }));
  const list = shown.join(t('list.separator'));
  return items.length > max ? t('list.more', { list, count: items.length - max }) : list;
}
