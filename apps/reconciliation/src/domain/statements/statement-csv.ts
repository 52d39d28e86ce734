/**
 * The CSV statement form: one header row naming the type's columns, one row per line; the type,
 * account and date come beside the file (the request's query), as does the id when the sender has
 * one. Without an id the statement is named after its content, so a file sent twice is one
 * statement (and the second answer is the first's, changing nothing).
 */
import { createHash } from 'node:crypto';
import { STATEMENT_TYPES, type Statement, type StatementType } from '../model';
import { checkHeader, csvText, readCsv } from './csv';
import { DuplicateFinder, LINE_COLUMNS, lineKey, lineValues, readLine, repeatedKey, type StatementLine } from './statement-lines';
import { dateField, FieldErrors, maxLinesOf, oneOf, refuse, RowErrors, textField, type ParseOptions } from './values';

/** What comes beside a CSV statement (the query of `POST /statements`). */
export interface StatementCsvHeader {
  type: string;
  account: string;
  asOf: string;
  /** The sender's id for the statement; by default one derived from the account, type, date and content. */
  statementId?: string | null;
}

/**
 * The id of a statement sent without one: its type and date to read, then the first 128 bits of a
 * SHA-256 over the account, type, date and content (line endings and a final line break do not
 * count, so a file re-saved on another system is still the same statement).
 */
export function csvStatementId(type: StatementType, account: string, asOf: string, csv: string): string {
  const content = csv.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').trimEnd();
  const digest = createHash('sha256').update(`${account}\n${type}\n${asOf}\n`).update(content).digest('hex');
  return `CSV-${type}-${asOf}-${digest.slice(0, 32)}`;
}

/**
 * Parses a CSV statement. Errors name the line (the header is line 1) and the column:
 * `line 13: quantity`; the header's own values are named as the query names them (`type`, `asOf`).
 */
export function parseStatementCsv(csv: string, header: StatementCsvHeader, options: ParseOptions = {}): Statement {
  const maxLines = maxLinesOf(options);
  const errors = new FieldErrors();
  const type = oneOf(header.type, STATEMENT_TYPES, 'type', errors);
  const account = textField(header.account, 'account', errors);
  const asOf = dateField(header.asOf, 'asOf', errors);
  const givenId = header.statementId === undefined || header.statementId === null ? null : textField(header.statementId, 'statementId', errors);
  if (typeof csv !== 'string') errors.add('body', 'must be CSV text');
  errors.throwIfAny();
  const statementType = type as StatementType;
  const columns: readonly string[] = LINE_COLUMNS[statementType];
  const index = new Map(columns.map((c, i) => [c, i]));
  const lines: StatementLine[] = [];
  const keys = new DuplicateFinder();
  let headerRead = false;
  let rowsRead = 0;

  // One reader and one namer for every row (the row is swapped in): no closures per row.
  let row: string[] = [];
  let rowLine = 0;
  const read = (column: string) => {
    const value = row[index.get(column) as number];
    return column === 'instructionId' && statementType === 'TRANSACTIONS' && value === '' ? null : value;
  };
  const rowErrors = new RowErrors(errors, (column) => `line ${rowLine}: ${column}`);

  readCsv(csv, (fields, line) => {
    if (!headerRead) {
      checkHeader(fields, columns);
      headerRead = true;
      return;
    }
    rowsRead += 1;
    if (rowsRead > maxLines) refuse(`line ${line}`, `the statement has more than ${maxLines} lines, the most accepted in one statement`);
    if (fields.length !== columns.length) {
      if (fields.length < columns.length) {
        errors.add(`line ${line}: ${columns[fields.length]}`, `is missing: the row has ${fields.length} column${fields.length === 1 ? '' : 's'}, the header ${columns.length}`);
      } else {
        errors.add(`line ${line}: column ${columns.length + 1}`, `unexpected extra column: the header has ${columns.length}`);
      }
      return;
    }
    row = fields;
    rowLine = line;
    const parsed = readLine(statementType, read, rowErrors, options);
    if (parsed === null) return;
    keys.add(lineKey(statementType, parsed), line);
    lines.push(parsed);
  });
  for (const { item, place, first } of keys.repeats()) {
    const { column, what } = repeatedKey(statementType, lines[item]);
    errors.add(`line ${place}: ${column}`, `${what} appears twice in the statement: first on line ${first}`);
  }
  if (!headerRead) refuse('line 1', `the file is empty: expected the header row ${columns.join(',')}`);
  errors.throwIfAny();
  return {
    statementId: givenId ?? csvStatementId(statementType, account as string, asOf as string, csv),
    type: statementType,
    account: account as string,
    asOf: asOf as string,
    lines,
  } as Statement;
}

/** The statement's lines as CSV with its header row (the id, account and date go beside it). */
export function renderStatementCsv(statement: Statement): string {
  const columns: readonly string[] = LINE_COLUMNS[statement.type];
  const rows: string[][] = [[...columns]];
  for (const line of statement.lines as StatementLine[]) {
    const values = lineValues(statement.type, line);
    rows.push(columns.map((c) => values[c] ?? ''));
  }
  return csvText(rows);
}
