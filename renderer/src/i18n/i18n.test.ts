import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';
import { detectLanguage, interpolate, isMessageKey, makeTranslator, parseLanguage } from './translate';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogs', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders in every translation', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, p: placeholders(zhCN[key]) }).toEqual({ key, p: placeholders(en[key]) });
    }
  });

  it('have no empty messages', () => {
    for (const [key, value] of [...Object.entries(en), ...Object.entries(zhCN)]) {
      expect({ key, empty: value.trim() === '' }).toEqual({ key, empty: false });
    }
  });
});

describe('interpolate', () => {
  it('fills named placeholders, repeatedly and with numbers', () => {
    expect(interpolate('{a} and {b} and {a}', { a: 'x', b: 2 })).toBe('x and 2 and x');
  });

  it('leaves unknown placeholders visible', () => {
    expect(interpolate('Hello {who}', { other: 'x' })).toBe('Hello {who}');
    expect(interpolate('Hello {who}')).toBe('Hello {who}');
  });

  it('does not reinterpret braces inside values', () => {
    expect(interpolate('{a}{b}', { a: '{b}', b: 'B' })).toBe('{b}B');
  });

  it('does not read inherited properties as params', () => {
    expect(interpolate('{toString}', {})).toBe('{toString}');
  });
});

describe('translator', () => {
  it('translates with params in each language', () => {
    expect(makeTranslator(en)('hosts.removeConfirm', { name: 'lab' })).toBe(
      'Remove the connection “lab”? Its virtual machines are not affected.',
    );
    expect(makeTranslator(zhCN)('domainState.shutoff')).toBe('已关机');
  });

  it('recognises keys', () => {
    expect(isMessageKey('action.start')).toBe(true);
    expect(isMessageKey('nope')).toBe(false);
    expect(isMessageKey('constructor')).toBe(false);
  });
});

describe('language choice', () => {
  it('maps any Chinese locale to zh-CN and everything else to English', () => {
    expect(detectLanguage(['zh-CN'])).toBe('zh-CN');
    expect(detectLanguage(['zh-TW'])).toBe('zh-CN');
    expect(detectLanguage(['zh'])).toBe('zh-CN');
    expect(detectLanguage(['de-DE'])).toBe('en');
    expect(detectLanguage([])).toBe('en');
  });

  it('accepts only known stored values', () => {
    expect(parseLanguage('zh-CN')).toBe('zh-CN');
    expect(parseLanguage('fr')).toBeNull();
    expect(parseLanguage(null)).toBeNull();
  });
});
