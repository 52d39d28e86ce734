import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { JournalEntryResource } from '@postrade/contracts';
import { LocalDate } from '@postrade/kernel';
import { decodeCursor, ListQueryDto, pageOf, Roles, type Page } from '@postrade/platform';
import { LedgerQueries, type BalancePosition, type CashBalance, type LedgerAccount, type PendingSettlement, type Position, type TrialBalance, type WaitingSettlement } from '../application/query-ledger/ledger-queries';
import { VerifyJournalHandler, type JournalVerification } from '../application/verify-journal/verify-journal.query-handler';
import { AccountsQuery, CashBalancesQuery, JournalQuery, PendingSettlementQuery, PositionsQuery, TrialBalanceQuery } from './ledger.dto';

const isBalancePosition = (v: unknown): v is BalancePosition => typeof (v as BalancePosition)?.holder === 'string' && typeof (v as BalancePosition)?.asset === 'string';
type ParkedPosition = { parkedAt: string; eventId: string };
const isParkedPosition = (v: unknown): v is ParkedPosition => typeof (v as ParkedPosition)?.parkedAt === 'string' && typeof (v as ParkedPosition)?.eventId === 'string';
const isAccountPosition = (v: unknown): v is { code: string } => typeof (v as { code?: unknown })?.code === 'string';
const isSequence = (v: unknown): v is { sequence: number } => Number.isInteger((v as { sequence?: unknown })?.sequence);

/** A date parameter, checked as a calendar date (2026-02-30 is refused naming the field), or today (UTC). */
function dateOrToday(value: string | undefined, field: string): string {
  return value === undefined ? LocalDate.todayUtc(new Date()) : LocalDate.parse(value, field);
}

/** A page of balances, whose cursor is the (holder, asset) position of the last row. */
function balancePage<T>(result: { rows: { holder: string; asset: string }[]; items: T[] }, limit: number): Page<T> {
  return pageOf(
    result.rows.map((row, i) => ({ row, item: result.items[i] })),
    limit,
    { positionOf: ({ row }) => ({ holder: row.holder, asset: row.asset }), toItem: ({ item }) => item },
  );
}

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('api/v1')
export class LedgerController {
  constructor(
    private readonly queries: LedgerQueries,
    private readonly verification: VerifyJournalHandler,
  ) {}

  @Get('accounts')
  @Roles('ops', 'supervisor', 'auditor')
  async accounts(@Query() q: AccountsQuery): Promise<Page<LedgerAccount>> {
    const after = q.cursor ? decodeCursor(q.cursor, isAccountPosition).code : undefined;
    const rows = await this.queries.accounts({ owner: q.owner, holder: q.holder, afterCode: after, limit: q.limit + 1 });
    return pageOf(rows, q.limit, { positionOf: (a) => ({ code: a.code }) });
  }

  @Get('positions')
  @Roles('ops', 'supervisor', 'auditor')
  async positions(@Query() q: PositionsQuery): Promise<Page<Position>> {
    const after = q.cursor ? decodeCursor(q.cursor, isBalancePosition) : undefined;
    const result = await this.queries.positions({ book: q.book, isin: q.isin, asOf: dateOrToday(q.asOf, 'asOf'), basis: q.basis ?? 'TRADE_DATE', after, limit: q.limit + 1 });
    return balancePage(result, q.limit);
  }

  @Get('cash-balances')
  @Roles('ops', 'supervisor', 'auditor')
  async cashBalances(@Query() q: CashBalancesQuery): Promise<Page<CashBalance>> {
    const after = q.cursor ? decodeCursor(q.cursor, isBalancePosition) : undefined;
    const result = await this.queries.cashBalances({ book: q.book, currency: q.currency, asOf: dateOrToday(q.asOf, 'asOf'), basis: q.basis ?? 'TRADE_DATE', after, limit: q.limit + 1 });
    return balancePage(result, q.limit);
  }

  @Get('pending-settlement')
  @Roles('ops', 'supervisor', 'auditor')
  async pendingSettlement(@Query() q: PendingSettlementQuery): Promise<Page<PendingSettlement>> {
    const after = q.cursor ? decodeCursor(q.cursor, isBalancePosition) : undefined;
    const result = await this.queries.pendingSettlement({ counterpartyLei: q.counterpartyLei, asOf: dateOrToday(q.asOf, 'asOf'), after, limit: q.limit + 1 });
    return balancePage(result, q.limit);
  }

  @Get('journal')
  @Roles('ops', 'supervisor', 'auditor')
  async journal(@Query() q: JournalQuery): Promise<Page<JournalEntryResource>> {
    const after = q.cursor ? decodeCursor(q.cursor, isSequence).sequence : undefined;
    const { items, sequences } = await this.queries.journalEntries({
      tradeId: q.tradeId,
      from: q.from === undefined ? undefined : LocalDate.parse(q.from, 'from'),
      to: q.to === undefined ? undefined : LocalDate.parse(q.to, 'to'),
      afterSequence: after, limit: q.limit + 1 });
    return pageOf(
      items.map((item, i) => ({ item, sequence: sequences[i] })),
      q.limit,
      { positionOf: ({ sequence }) => ({ sequence }), toItem: ({ item }) => item },
    );
  }

  @Get('trial-balance')
  @Roles('ops', 'supervisor', 'auditor')
  trialBalance(@Query() q: TrialBalanceQuery): Promise<TrialBalance> {
    return this.queries.trialBalance(dateOrToday(q.asOf, 'asOf'));
  }

  @Get('parked-settlements')
  @Roles('ops', 'supervisor', 'auditor')
  async parkedSettlements(@Query() q: ListQueryDto): Promise<Page<WaitingSettlement>> {
    const rows = await this.queries.parkedSettlements(q.cursor ? decodeCursor(q.cursor, isParkedPosition) : undefined, q.limit + 1);
    return pageOf(rows, q.limit, { positionOf: (p) => ({ parkedAt: p.parkedAt, eventId: p.eventId }) });
  }

  @Post('journal/verify')
  @HttpCode(200)
  @Roles('auditor', 'supervisor')
  verify(): Promise<JournalVerification> {
    return this.verification.execute();
  }
}
