import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidIdNumber, maskIdNumber, maskPersonalNumbers, maskPhone } from '../../src/core/people/privacy.js';

describe('personal data masking', () => {
  it('masks phones and ID numbers', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
  it('masks numbers inside free text', () => {
    const s = maskPersonalNumbers('户主 11010519491231002X 电话13800138000 卡号 6222020200112233445');
    expect(s).not.toContain('11010519491231002X');
    expect(s).not.toContain('13800138000');
    expect(s).not.toContain('6222020200112233445');
    expect(s).toContain('138****8000');
  });
  it('masks free text as the three patterns always did (the shortcut for texts without 11 digits in a row)', () => {
    const full = (text: string) =>
      text
        .replace(/(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)/g, (_m, a: string, b: string, c: string) => `${a}${'*'.repeat(b.length)}${c.slice(-4)}`)
        .replace(/(?<!\d)(\d{12,15})(\d{4})(?!\d)/g, (_m, a: string, b: string) => `${'*'.repeat(a.length)}${b}`)
        .replace(/(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g, (_m, a: string, _b: string, c: string) => `${a}****${c}`);
    const piece = fc.oneof(fc.stringMatching(/^\d{1,20}$/), fc.constantFrom('X', 'x', ' ', '号', '-', '1'), fc.stringMatching(/^1[3-9]\d{9}$/));
    fc.assert(fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
      const text = parts.join('');
      expect(maskPersonalNumbers(text)).toBe(full(text));
    }));
  });
  it.each([
    ['11010519491231002X', true],
    ['110105194912310021', false],
    ['11010519491332002X', false],
    ['1101051949123100', false],
  ])('checks the GB 11643 check digit of %s', (id, ok) => {
    expect(isValidIdNumber(id)).toBe(ok);
  });
});
