import { en } from './en';
import { zhCN } from './zh-CN';
import type { Language, Messages } from './translate';

export const catalogs: Readonly<Record<Language, Messages>> = { en, 'zh-CN': zhCN };
