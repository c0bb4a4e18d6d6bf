import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { makeTranslator } from '../i18n/translate';
import { formatError } from './format-error';
import { quotedList } from './format-list';

const t = makeTranslator(en);

describe('formatError', () => {
  it('shows virsh messages verbatim', () => {
    expect(formatError(t, { code: 'virsh', message: "error: Domain is already active" })).toBe('error: Domain is already active');
  });

  it('frames other codes in the UI language', () => {
    expect(formatError(t, { code: 'ssh_auth', message: 'All methods failed' })).toBe('SSH authentication failed: All methods failed');
    expect(formatError(makeTranslator(zhCN), { code: 'timeout', message: '' })).toBe('超时');
  });

  it('passes unknown codes through', () => {
    expect(formatError(t, { code: 'weird', message: 'text' })).toBe('text');
  });
});

describe('quotedList', () => {
  it('quotes, joins and truncates', () => {
    expect(quotedList(t, ['a'])).toBe('“a”');
    expect(quotedList(t, ['a', 'b', 'c'], 2)).toBe('“a”, “b” and 1 more');
    expect(quotedList(makeTranslator(zhCN), ['a', 'b'])).toBe('“a”、“b”');
  });
});
