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

/** The record type of each SDN entry by id ("SDN-36"): individual, vessel, aircraft, or "" for an entity. */
export function ofacSdn2019Types(): Map<string, string> {
  return new Map(lines('sdn.csv').map((line) => {
    const [id, , type] = csvFields(line);
    return [`SDN-${id}`, type];
  }));
}

/**
 * Large companies outside the US (Europe, Japan, China, India, Latin America, Africa, the Middle
 * East, Korea, Australia, …), none of them in the S&P 500 file: ordinary names the screening
 * formula was not tuned on (world_companies.csv, see README.md).
 */
export function worldCompanyNames(): { name: string; country: string }[] {
  return lines('world_companies.csv')
    .slice(1)
    .map((line) => {
      const [name, country] = csvFields(line);
      return { name, country };
    });
}

/** The S&P 500 constituents' names (column "Security"), ordinary companies none of which is sanctioned. */
export function sp500CompanyNames(): string[] {
  return lines('sp500_constituents.csv')
    .slice(1)
    .map((line) => csvFields(line)[1]);
}
