/**
 * RFC 4180 CSV, read and written. A custodian's file may have a million rows, so the common row
 * (no quotes) takes a fast path of one indexOf and one split; only a row with a quote goes through
 * the full state machine, which also lets a quoted field span lines. Rows are numbered by the line
 * they start on (the header is line 1), which is what an editor shows the person fixing the file.
 */
import { refuse } from './values';

export type CsvRowHandler = (fields: string[], line: number) => void;

/**
 * Calls `onRow` for every row, header included. CRLF and LF both end a row; a final line break
 * and blank lines after the last row are ignored; a blank line before it is a row with one empty
 * field (so that the caller reports the missing columns). Malformed quoting is refused at once,
 * naming the line.
 */
export function readCsv(text: string, onRow: CsvRowHandler): void {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const end = contentEnd(text, pos);
  // The next quote is looked up once and kept until passed: looking it up per row would scan to the
  // end of a quote-free file on every row.
  let nextQuote = text.indexOf('"', pos);
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1 || nl > end) nl = end;
    if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
    if (nextQuote === -1 || nextQuote >= nl) {
      const rowEnd = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      onRow(text.slice(pos, rowEnd).split(','), line);
      pos = nl + 1;
      line += 1;
      continue;
    }
    const row = readQuotedRow(text, pos, line, end);
    onRow(row.fields, line);
    pos = row.next;
    line = row.nextLine;
  }
}

/** Where the rows end: blank lines (and the line break) after the last row are not rows. */
function contentEnd(text: string, from: number): number {
  let end = text.length;
  while (end > from) {
    const lastBreak = text.lastIndexOf('\n', end - 1);
    const lineStart = lastBreak < from ? from : lastBreak + 1;
    if (text.slice(lineStart, end).trim() !== '') break;
    if (lastBreak < from) return from;
    end = lastBreak > from && text.charCodeAt(lastBreak - 1) === 13 ? lastBreak - 1 : lastBreak;
  }
  return end;
}

function readQuotedRow(text: string, start: number, startLine: number, n: number): { fields: string[]; next: number; nextLine: number } {
  const fields: string[] = [];
  let pos = start;
  let line = startLine;
  for (;;) {
    if (text.charCodeAt(pos) === 34) {
      // A quoted field: "" is a quote; it ends at a quote followed by a comma, a line break or the end.
      let value = '';
      let from = pos + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) refuse(`line ${startLine}`, 'a quoted field is never closed (a " is missing)');
        value += text.slice(from, q);
        line += countLineBreaks(text, from, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          from = q + 2;
          continue;
        }
        pos = q + 1;
        break;
      }
      fields.push(value);
      const c = text.charCodeAt(pos);
      if (pos >= n || c === 10 || (c === 13 && text.charCodeAt(pos + 1) === 10)) {
        const next = pos >= n ? n : pos + (c === 13 ? 2 : 1);
        return { fields, next, nextLine: line + 1 };
      }
      if (c !== 44) refuse(`line ${line}`, `unexpected ${JSON.stringify(text[pos])} after a closing quote (a quote inside a field must be doubled: "")`);
      pos += 1;
    } else {
      // An unquoted field runs to the next comma or line break and may not contain a quote.
      let stop = pos;
      while (stop < n) {
        const c = text.charCodeAt(stop);
        if (c === 44 || c === 10 || (c === 13 && text.charCodeAt(stop + 1) === 10)) break;
        if (c === 34) refuse(`line ${line}`, 'a quote inside an unquoted field: quote the whole field and double the quote ("")');
        stop += 1;
      }
      fields.push(text.slice(pos, stop));
      if (stop >= n || text.charCodeAt(stop) !== 44) {
        const next = stop >= n ? n : stop + (text.charCodeAt(stop) === 13 ? 2 : 1);
        return { fields, next, nextLine: line + 1 };
      }
      pos = stop + 1;
    }
  }
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  let nl = text.indexOf('\n', from);
  while (nl !== -1 && nl < to) {
    count += 1;
    nl = text.indexOf('\n', nl + 1);
  }
  return count;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One field as RFC 4180 writes it: quoted (quotes doubled) only when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows joined with CRLF as RFC 4180 says, ending with a line break. */
export function csvText(rows: string[][]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * Checks a header row against the expected columns (exact names, in order) and records a data
 * row's missing or extra columns: an error names the line and the column.
 */
export function checkHeader(fields: string[], expected: readonly string[]): void {
  const header = fields.map((f) => f.trim());
  for (let i = 0; i < expected.length; i++) {
    if (header[i] !== expected[i]) {
      const found = header[i] === undefined || header[i] === '' ? 'nothing' : JSON.stringify(header[i]);
      refuse(`line 1: ${expected[i]}`, `column ${i + 1} of the header must be "${expected[i]}", found ${found} (expected columns: ${expected.join(',')})`);
    }
  }
  if (header.length > expected.length) {
    refuse(`line 1: column ${expected.length + 1}`, `unexpected extra column ${JSON.stringify(header[expected.length])} (expected columns: ${expected.join(',')})`);
  }
}
