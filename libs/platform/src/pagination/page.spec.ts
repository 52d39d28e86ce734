import { DomainError } from '@postrade/kernel';
import { decodeCursor, encodeCursor, pageOf } from './page';

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
