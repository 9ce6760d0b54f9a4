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
  it.each([
    ['11010519491231002X', true],
    ['110105194912310021', false],
    ['11010519491332002X', false],
    ['1101051949123100', false],
  ])('checks the GB 11643 check digit of %s', (id, ok) => {
    expect(isValidIdNumber(id)).toBe(ok);
  });
});
