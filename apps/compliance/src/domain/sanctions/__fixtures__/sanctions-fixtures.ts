import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SanctionsEntry } from '../sanctions-index';

/** Splits one line of OFAC's legacy CSV (double-quoted fields, `-0-` for empty). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  fields.push(field.trim());
  return fields.map((f) => (f === '-0-' ? '' : f));
}

function lines(file: string): string[] {
  return readFileSync(join(__dirname, file), 'latin1')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
}

/** The OFAC SDN list of January 2019 (sdn.csv records and alt.csv aliases) as sanctions entries. */
export function ofacSdn2019(): SanctionsEntry[] {
  const entries = new Map<string, SanctionsEntry>();
  for (const line of lines('sdn.csv')) {
    const [id, name, , program] = csvFields(line);
    entries.set(id, { id: `SDN-${id}`, name, aliases: [], program, country: '' });
  }
  for (const line of lines('alt.csv')) {
    const [id, , , alias] = csvFields(line);
    entries.get(id)?.aliases.push(alias);
  }
  return [...entries.values()];
}

/** The S&P 500 constituents' names (column "Security"), ordinary companies none of which is sanctioned. */
export function sp500CompanyNames(): string[] {
  return lines('sp500_constituents.csv')
    .slice(1)
    .map((line) => csvFields(line)[1]);
}
