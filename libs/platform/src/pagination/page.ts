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

/** The paging part of a list endpoint's query: {@link ListQueryDto} or a DTO extending it. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface PagedOptions<Position, Row, Item> {
  /** Whether a decoded cursor is a position of this list; anything else is a 400 naming `cursor`. */
  isPosition: (value: unknown) => value is Position;
  /** Where a row stands in list order: the next page starts after the last item's position. */
  positionOf: (row: Row) => Position;
  toItem?: (row: Row) => Item;
}

/**
 * The one way a list endpoint pages. Decodes `query.cursor` into a position (a cursor this list
 * did not issue is a 400 naming `cursor`; an empty one, like none, asks for the first page), lets
 * `read` fetch up to `limitPlusOne` rows after it in list order, and builds the page: the extra
 * row only tells that another page exists. `read` limits in the database; it never reads all rows
 * for this to slice.
 */
export async function paged<Position, Row, Item = Row>(
  query: PageRequest,
  read: (after: Position | undefined, limitPlusOne: number) => Promise<readonly Row[]>,
  options: PagedOptions<Position, Row, Item>,
): Promise<Page<Item>> {
  const after = query.cursor ? decodeCursor(query.cursor, options.isPosition) : undefined;
  const rows = await read(after, query.limit + 1);
  return pageOf(rows, query.limit, options);
}
