import { en } from './en';

export type MessageKey = keyof typeof en;
/** What every language provides: exactly the English keys. */
export type Messages = { readonly [K in MessageKey]: string };

/** The `{name}` placeholders of a message, read from the English literal type. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
/** Keys of messages without placeholders: safe to pass around as data and translate later. */
export type PlainMessageKey = { [K in MessageKey]: [Placeholders<(typeof en)[K]>] extends [never] ? K : never }[MessageKey];
export type ParamsOf<K extends MessageKey> = Record<Placeholders<(typeof en)[K]>, string | number>;
/** Messages without placeholders take no params; the others require every placeholder. */
type ParamsArg<K extends MessageKey> = [Placeholders<(typeof en)[K]>] extends [never] ? [] : [params: ParamsOf<K>];

export type Translate = <K extends MessageKey>(key: K, ...params: ParamsArg<K>) => string;

export const languages = ['en', 'zh-CN'] as const;
export type Language = (typeof languages)[number];

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** Replaces `{name}` with params.name; unknown placeholders stay visible rather than vanishing. */
export function interpolate(template: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function makeTranslator(messages: Messages): Translate {
  return ((key: MessageKey, params?: Record<string, string | number>) =>
    interpolate(messages[key], params)) as Translate;
}

/** zh, zh-CN, zh-TW… all get Simplified Chinese (the only Chinese we have); everything else English. */
export function detectLanguage(preferred: readonly string[]): Language {
  const first = preferred[0] ?? 'en';
  return first.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function parseLanguage(value: string | null | undefined): Language | null {
  return languages.find((l) => l === value) ?? null;
}

/** The names shown in the language switch are autonyms, the same in every UI language. */
export const languageNames: Readonly<Record<Language, string>> = { en: 'English', 'zh-CN': '简体中文' };
