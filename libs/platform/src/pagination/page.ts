import { DomainError } from '@postrade/kernel';

/** One page of a list: `nextCursor` is `null` on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Encodes a position (e.g. the sort key of the last item) as an opaque base64url cursor. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}. A cursor that does not decode, or that `isValid`
 * rejects, is the caller's mistake: `DomainError.invalid('cursor', …)`, hence a 400.
 */
export function decodeCursor<T = unknown>(cursor: string, isValid?: (position: unknown) => position is T): T {
  let position: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw DomainError.invalid('cursor', 'is not a cursor this list issued');
  }
  if (isValid !== undefined && !isValid(position)) throw DomainError.invalid('cursor', 'is not a cursor this list issued');
  return position as T;
}

/**
 * Builds a page from up to `limit + 1` rows read in list order: the extra row only tells that
 * another page exists, and the cursor points after the last item returned.
 */
export function pageOf<Row, Item = Row>(
  rows: readonly Row[],
  limit: number,
  options: { positionOf: (row: Row) => unknown; toItem?: (row: Row) => Item },
): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const toItem = options.toItem ?? ((row: Row) => row as unknown as Item);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(options.positionOf(last)) : null,
  };
}
