/**
 * The JSON statement form of `POST /statements` and of `statements.inbound.v1` events:
 * `{ statementId, type, account, asOf, lines }`, exactly as API.md writes it. Nothing is coerced:
 * a decimal is a string (a JSON number may already have lost digits), an unknown field is refused
 * (a misspelt field would otherwise be silently ignored), and every error names its path,
 * `lines[12].quantity`.
 */
import { STATEMENT_TYPES, type Statement, type StatementType } from '../model';
import { DuplicateFinder, LINE_COLUMNS, lineKey, lineValues, readLine, repeatedKey, type StatementLine } from './statement-lines';
import { dateField, describe, FieldErrors, maxLinesOf, oneOf, refuse, RowErrors, textField, type ParseOptions } from './values';

const STATEMENT_FIELDS = ['statementId', 'type', 'account', 'asOf', 'lines'] as const;

/** The JSON form of a statement: decimals as strings, an absent instruction id as null. */
export interface StatementJson {
  statementId: string;
  type: StatementType;
  account: string;
  asOf: string;
  lines: Record<string, string | null>[];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Records every key of `object` that is not in `allowed`. */
export function rejectUnknownFields(object: Record<string, unknown>, allowed: readonly string[], prefix: string, what: string, errors: FieldErrors): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) errors.add(`${prefix}${key}`, `is not a field of ${what} (fields: ${allowed.join(', ')})`);
  }
}

/** Checks a field that must be present: "is required" when it is not, else `check`'s verdict. */
export function required<T>(object: Record<string, unknown>, key: string, field: string, errors: FieldErrors, check: (value: unknown) => T | null): T | null {
  if (!Object.prototype.hasOwnProperty.call(object, key)) {
    errors.add(field, 'is required');
    return null;
  }
  return check(object[key]);
}

/** Parses the JSON statement form (a parsed body, not text). Throws DomainError `invalid` naming each bad field. */
export function parseStatementJson(body: unknown, options: ParseOptions = {}): Statement {
  const maxLines = maxLinesOf(options);
  if (!isPlainObject(body)) refuse('body', `must be a JSON object { ${STATEMENT_FIELDS.join(', ')} }, got ${describe(body)}`);
  const errors = new FieldErrors();
  rejectUnknownFields(body, STATEMENT_FIELDS, '', 'a statement', errors);
  const statementId = required(body, 'statementId', 'statementId', errors, (v) => textField(v, 'statementId', errors));
  const type = required(body, 'type', 'type', errors, (v) => oneOf(v, STATEMENT_TYPES, 'type', errors));
  const account = required(body, 'account', 'account', errors, (v) => textField(v, 'account', errors));
  const asOf = required(body, 'asOf', 'asOf', errors, (v) => dateField(v, 'asOf', errors));
  const rawLines = required(body, 'lines', 'lines', errors, (v) => v);
  if (rawLines !== null && !Array.isArray(rawLines)) errors.add('lines', `must be an array of lines, got ${describe(rawLines)}`);
  if (Array.isArray(rawLines) && rawLines.length > maxLines) {
    refuse('lines', `has ${rawLines.length} lines, more than the ${maxLines} accepted in one statement`);
  }
  const lines: StatementLine[] = [];
  if (type !== null && Array.isArray(rawLines)) {
    const columns: readonly string[] = LINE_COLUMNS[type];
    const keys = new DuplicateFinder();
    let index = 0;
    const rowErrors = new RowErrors(errors, (column) => `lines[${index}].${column}`);
    rawLines.forEach((raw: unknown, i) => {
      const prefix = `lines[${i}]`;
      if (!isPlainObject(raw)) {
        errors.add(prefix, `must be an object with ${columns.join(', ')}, got ${describe(raw)}`);
        return;
      }
      const before = errors.errors.length;
      rejectUnknownFields(raw, columns, `${prefix}.`, `a ${type} line`, errors);
      for (const column of columns) {
        if (!Object.prototype.hasOwnProperty.call(raw, column)) {
          errors.add(`${prefix}.${column}`, column === 'instructionId' && type === 'TRANSACTIONS' ? 'is required (null when there is none)' : 'is required');
        }
      }
      if (errors.errors.length > before) return;
      index = i;
      const line = readLine(type, (c) => raw[c], rowErrors, options);
      if (line === null) return;
      keys.add(lineKey(type, line), i);
      lines.push(line);
    });
    for (const { item, place, first } of keys.repeats()) {
      const { column, what } = repeatedKey(type, lines[item]);
      errors.add(`lines[${place}].${column}`, `${what} appears twice in the statement: first at lines[${first}]`);
    }
  }
  errors.throwIfAny();
  return { statementId, type, account, asOf, lines } as Statement;
}

/** The statement in its JSON form (what `parseStatementJson` reads back to the same statement). */
export function renderStatementJson(statement: Statement): StatementJson {
  return {
    statementId: statement.statementId,
    type: statement.type,
    account: statement.account,
    asOf: statement.asOf,
    lines: (statement.lines as StatementLine[]).map((line) => lineValues(statement.type, line)),
  };
}
