import { DomainError } from '@postrade/kernel';
import { decodeCursor, encodeCursor, paged, pageOf } from './page';

describe('cursors', () => {
  it('round-trip any JSON position as an opaque base64url string', () => {
    const position = { tradeDate: '2026-11-23', tradeId: 'TR-0001', note: 'ü/+' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each(['', 'not a cursor', '!!!', Buffer.from('{"unterminated').toString('base64url')])('reject %j as an invalid cursor field', (cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ kind: 'invalid', errors: [{ field: 'cursor' }] });
  });

  it('reject a position the list does not recognise', () => {
    const isTradePosition = (value: unknown): value is { tradeId: string } =>
      typeof value === 'object' && value !== null && typeof (value as { tradeId?: unknown }).tradeId === 'string';
    expect(decodeCursor(encodeCursor({ tradeId: 'T-1' }), isTradePosition)).toEqual({ tradeId: 'T-1' });
    expect(() => decodeCursor(encodeCursor({ instructionId: 'I-1' }), isTradePosition)).toThrow(DomainError);
  });
});

describe('pageOf', () => {
  const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];

  it('returns limit items and a cursor after the last one when another row was read', () => {
    const page = pageOf(rows, 2, { positionOf: (row) => ({ after: row.id }) });
    expect(page.items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(decodeCursor(page.nextCursor as string)).toEqual({ after: 2 });
  });

  it('returns a null cursor on the last page', () => {
    expect(pageOf(rows, 3, { positionOf: (row) => row.id })).toEqual({ items: rows, nextCursor: null });
    expect(pageOf([], 50, { positionOf: () => null })).toEqual({ items: [], nextCursor: null });
  });

  it('maps rows to items', () => {
    expect(pageOf(rows, 5, { positionOf: (row) => row.id, toItem: (row) => `item-${row.id}` }).items).toEqual(['item-1', 'item-2', 'item-3']);
  });
});

describe('paged', () => {
  const ids = [1, 2, 3, 4, 5];
  const isPosition = (v: unknown): v is { id: number } => Number.isInteger((v as { id?: unknown })?.id);
  /** A read as a repository does it: rows after the position, at most `limit`, and what it was asked. */
  const reader = () => {
    const calls: { after: { id: number } | undefined; limit: number }[] = [];
    const read = async (after: { id: number } | undefined, limit: number) => {
      calls.push({ after, limit });
      return ids.filter((id) => after === undefined || id > after.id).slice(0, limit).map((id) => ({ id }));
    };
    return { calls, read };
  };
  const options = { isPosition, positionOf: (row: { id: number }) => ({ id: row.id }), toItem: (row: { id: number }) => row.id };

  it('reads limit + 1 rows after the cursor and walks the list to a null cursor', async () => {
    const { calls, read } = reader();
    const first = await paged({ limit: 2 }, read, options);
    expect(first.items).toEqual([1, 2]);
    const second = await paged({ limit: 2, cursor: first.nextCursor as string }, read, options);
    const last = await paged({ limit: 2, cursor: second.nextCursor as string }, read, options);
    expect([second.items, last]).toEqual([[3, 4], { items: [5], nextCursor: null }]);
    expect(calls).toEqual([
      { after: undefined, limit: 3 },
      { after: { id: 2 }, limit: 3 },
      { after: { id: 4 }, limit: 3 },
    ]);
  });

  it('gives a null cursor when the page is exactly the rest of the list', async () => {
    expect(await paged({ limit: 5 }, reader().read, options)).toEqual({ items: ids, nextCursor: null });
  });

  it('takes an empty cursor as none: the first page', async () => {
    expect((await paged({ limit: 2, cursor: '' }, reader().read, options)).items).toEqual([1, 2]);
  });

  it.each([['not a cursor'], [encodeCursor({ tradeId: 'T-1' })]])('refuses the cursor %j with a 400 naming cursor, before reading', async (cursor) => {
    const { calls, read } = reader();
    await expect(paged({ limit: 2, cursor }, read, options)).rejects.toMatchObject({ kind: 'invalid', errors: [{ field: 'cursor' }] });
    expect(calls).toEqual([]);
  });
});
