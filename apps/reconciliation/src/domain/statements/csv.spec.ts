import fc from 'fast-check';
import { checkHeader, csvText, readCsv } from './csv';
import { fieldErrorsOf } from './statements.fixtures';

function rows(text: string): [string[], number][] {
  const out: [string[], number][] = [];
  readCsv(text, (fields, line) => out.push([fields, line]));
  return out;
}

describe('readCsv (RFC 4180)', () => {
  it('reads plain rows with LF or CRLF, numbering them by line', () => {
    expect(rows('a,b\r\n1,2\n3,4')).toEqual([
      [['a', 'b'], 1],
      [['1', '2'], 2],
      [['3', '4'], 3],
    ]);
  });

  it('reads quoted fields: commas, doubled quotes and line breaks inside; the next row keeps its true line', () => {
    expect(rows('a,b\n"x, y","say ""hi"""\n"two\nlines",z\nlast,row\n')).toEqual([
      [['a', 'b'], 1],
      [['x, y', 'say "hi"'], 2],
      [['two\nlines', 'z'], 3],
      [['last', 'row'], 5],
    ]);
  });

  it('ignores a byte-order mark and blank lines at the end, but not a blank line in the middle', () => {
    expect(rows('\uFEFFa\n1\n\n2\r\n\r\n\n')).toEqual([
      [['a'], 1],
      [['1'], 2],
      [[''], 3],
      [['2'], 4],
    ]);
    expect(rows('')).toEqual([]);
    expect(rows('\n\n')).toEqual([]);
  });

  it.each([
    ['an unterminated quote', 'a,b\n1,"open\n2,3\n', 'line 2', /never closed/],
    ['a quote inside an unquoted field', 'a,b\n1,x"y\n', 'line 2', /quote inside an unquoted field/],
    ['text after a closing quote', 'a,b\n"1"x,2\n', 'line 2', /after a closing quote/],
  ])('refuses %s, naming the line', (_what, text, field, message) => {
    const [error] = fieldErrorsOf(() => rows(text));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('writes what it reads: any fields, quoted only when they need it', () => {
    const field = fc.string({ maxLength: 8 }).map((s) => s.replace(/\r/g, ''));
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 10 }), (table) => {
        const read = rows(csvText(table)).map(([fields]) => fields);
        // Rows have two fields or more: a row of one empty field is a blank line.
        expect(read).toEqual(table);
      }),
    );
    expect(csvText([['a', 'b,c', 'd"e', 'f\ng']])).toBe('a,"b,c","d""e","f\ng"\r\n');
  });

  it('checks a header row: exact columns in order, naming the column', () => {
    expect(() => checkHeader(['isin', 'quantity'], ['isin', 'quantity'])).not.toThrow();
    expect(fieldErrorsOf(() => checkHeader(['isin'], ['isin', 'quantity']))[0]).toMatchObject({ field: 'line 1: quantity' });
    expect(fieldErrorsOf(() => checkHeader(['quantity', 'isin'], ['isin', 'quantity']))[0]).toMatchObject({ field: 'line 1: isin', message: expect.stringContaining('found "quantity"') });
    expect(fieldErrorsOf(() => checkHeader(['isin', 'quantity', 'price'], ['isin', 'quantity']))[0]).toMatchObject({ field: 'line 1: column 3' });
  });
});
