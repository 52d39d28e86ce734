import { readFileSync } from 'node:fs';

/**
 * Reads a fixture CSV (RFC 4180: quoted fields, doubled quotes, header row) into records keyed by
 * the header. Values are kept byte for byte (leading spaces, empty strings) because several test
 * vectors are invalid precisely because of them. Test-only; not exported from the kernel.
 */
export function readCsvFixture(path: string): Record<string, string>[] {
  const rows = parseCsv(readFileSync(path, 'utf8'));
  const [header, ...records] = rows;
  return records.map((cells, index) => {
    if (cells.length !== header.length) {
      throw new Error(`${path}: record ${index + 2} has ${cells.length} fields, header has ${header.length}`);
    }
    return Object.fromEntries(header.map((name, i) => [name, cells[i]]));
  });
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
