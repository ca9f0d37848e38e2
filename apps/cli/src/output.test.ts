import { describe, expect, it } from 'vitest';
import { csv, printable, table } from './output.js';

describe('printable', () => {
  it('shows every control character as visible text instead of handing it to the terminal', () => {
    expect(printable('\x1b]0;pwned\x07Paid')).toBe('\\x1b]0;pwned\\x07Paid');
    expect(printable('Red \x1b[31mAlert\x9b')).toBe('Red \\x1b[31mAlert\\x9b');
    expect(printable('Two\nLines\r\t\x7f')).toBe('Two\\x0aLines\\x0d\\x09\\x7f');
    expect(printable('evil\u202etxt.exe')).toBe('evil\\u202etxt.exe');
    expect(printable('Partner & Alliances — Mid-Market')).toBe('Partner & Alliances — Mid-Market');
  });

  it('keeps line feeds of a block of text when asked, and nothing else', () => {
    expect(printable('one\ntwo\x1b[2J', true)).toBe('one\ntwo\\x1b[2J');
  });
});

describe('table', () => {
  it('keeps each row on one line whatever its cells hold', () => {
    const lines = table(['name', 'n'], [['Two\nLines', '1'], ['\x1b[31mred', '22']]).split('\n');
    expect(lines).toEqual(['name           n', `${'─'.repeat(12)}  ──`, 'Two\\x0aLines   1', '\\x1b[31mred   22']);
  });
});

describe('csv', () => {
  it('guards text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    const text = csv(['name', 'value'], [
      ['=HYPERLINK("http://evil","click")', -3.5],
      ['+1', 0],
      ['-2', -1],
      ['@SUM(A1)', null],
      ['\tcmd', 2],
      ['Mid-Market', 1],
    ]);
    expect(text.split('\n')).toEqual([
      'name,value',
      `"'=HYPERLINK(""http://evil"",""click"")",-3.5`,
      "'+1,0",
      "'-2,-1",
      "'@SUM(A1),",
      "'\tcmd,2",
      'Mid-Market,1',
    ]);
  });
});
