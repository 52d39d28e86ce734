import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { JournalEntryResource } from '@postrade/contracts';
import { LocalDate, type ChainAnchor } from '@postrade/kernel';
import { ChainAnchors } from '@postrade/messaging';
import { paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, ChainAnchorDto, type Page } from '@postrade/platform';
import { LedgerQueries, type BalancePosition, type CashBalance, type LedgerAccount, type PendingSettlement, type Position, type TrialBalance } from '../application/query-ledger/ledger-queries';
import { VerifyJournalHandler, type JournalVerification } from '../application/verify-journal/verify-journal.query-handler';
import { AccountsQuery, CashBalancesQuery, JournalQuery, PendingSettlementQuery, PositionsQuery, TrialBalanceQuery } from './ledger.dto';
import { CashBalanceDto, JournalEntryDto, JournalVerificationDto, LedgerAccountDto, PendingSettlementDto, PositionDto, TrialBalanceDto } from './ledger.responses';

const isBalancePosition = (v: unknown): v is BalancePosition => typeof (v as BalancePosition)?.holder === 'string' && typeof (v as BalancePosition)?.asset === 'string';
const isAccountPosition = (v: unknown): v is { code: string } => typeof (v as { code?: unknown })?.code === 'string';
const isSequence = (v: unknown): v is { sequence: number } => Number.isInteger((v as { sequence?: unknown })?.sequence);

/** A date parameter, checked as a calendar date (2026-02-30 is refused naming the field), or today (UTC). */
function dateOrToday(value: string | undefined, field: string): string {
  return value === undefined ? LocalDate.todayUtc(new Date()) : LocalDate.parse(value, field);
}

@ApiTags('ledger')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1')
export class LedgerController {
  constructor(
    private readonly queries: LedgerQueries,
    private readonly verification: VerifyJournalHandler,
    private readonly anchors: ChainAnchors,
  ) {}

  @Get('accounts')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Ledger accounts' })
  @ApiPageResponse(LedgerAccountDto)
  @ApiProblems(400, 401, 403)
  accounts(@Query() q: AccountsQuery): Promise<Page<LedgerAccount>> {
    return paged(q, (after, limit) => this.queries.accounts({ owner: q.owner, holder: q.holder, afterCode: after?.code, limit }), {
      isPosition: isAccountPosition,
      positionOf: (a) => ({ code: a.code }),
    });
  }

  @Get('positions')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Securities positions by account and ISIN' })
  @ApiPageResponse(PositionDto)
  @ApiProblems(400, 401, 403)
  positions(@Query() q: PositionsQuery): Promise<Page<Position>> {
    return paged(q, (after, limit) => this.queries.positions({ book: q.book, isin: q.isin, asOf: dateOrToday(q.asOf, 'asOf'), basis: q.basis ?? 'TRADE_DATE', after, limit }), {
      isPosition: isBalancePosition,
      positionOf: (p) => ({ holder: p.book, asset: p.isin }),
    });
  }

  @Get('cash-balances')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Cash balances by account and currency' })
  @ApiPageResponse(CashBalanceDto)
  @ApiProblems(400, 401, 403)
  cashBalances(@Query() q: CashBalancesQuery): Promise<Page<CashBalance>> {
    return paged(q, (after, limit) => this.queries.cashBalances({ book: q.book, currency: q.currency, asOf: dateOrToday(q.asOf, 'asOf'), basis: q.basis ?? 'TRADE_DATE', after, limit }), {
      isPosition: isBalancePosition,
      positionOf: (c) => ({ holder: c.book, asset: c.currency }),
    });
  }

  @Get('pending-settlement')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Amounts pending settlement by trade' })
  @ApiPageResponse(PendingSettlementDto)
  @ApiProblems(400, 401, 403)
  pendingSettlement(@Query() q: PendingSettlementQuery): Promise<Page<PendingSettlement>> {
    return paged(q, (after, limit) => this.queries.pendingSettlement({ counterpartyLei: q.counterpartyLei, asOf: dateOrToday(q.asOf, 'asOf'), after, limit }), {
      isPosition: isBalancePosition,
      positionOf: (p) => ({ holder: p.counterpartyLei, asset: p.asset }),
    });
  }

  @Get('journal')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Journal entries, in posting order' })
  @ApiPageResponse(JournalEntryDto)
  @ApiProblems(400, 401, 403)
  journal(@Query() q: JournalQuery): Promise<Page<JournalEntryResource>> {
    const read = (after: { sequence: number } | undefined, limit: number) =>
      this.queries.journalEntries({
        tradeId: q.tradeId,
        from: q.from === undefined ? undefined : LocalDate.parse(q.from, 'from'),
        to: q.to === undefined ? undefined : LocalDate.parse(q.to, 'to'),
        afterSequence: after?.sequence,
        limit,
      });
    return paged(q, read, {
      isPosition: isSequence,
      positionOf: ({ sequence }) => ({ sequence }),
      toItem: ({ entry }) => entry,
    });
  }

  @Get('trial-balance')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Trial balance: every account balance and that they sum to zero per asset' })
  @ApiOkResponse({ type: TrialBalanceDto })
  @ApiProblems(400, 401, 403)
  trialBalance(@Query() q: TrialBalanceQuery): Promise<TrialBalance> {
    return this.queries.trialBalance(dateOrToday(q.asOf, 'asOf'));
  }

  @Post('journal/verify')
  @HttpCode(200)
  @Roles('auditor', 'supervisor')
  @ApiOperation({ summary: "Recompute the journal's hash chains and name the first entry that was changed" })
  @ApiOkResponse({ type: JournalVerificationDto })
  @ApiProblems(401, 403)
  verify(): Promise<JournalVerification> {
    return this.verification.execute();
  }

  /** Publishes every journal chain's head now, signed, to audit.anchors.v1 (besides the timer's, AUDIT_ANCHOR_INTERVAL). */
  @Post('journal/anchors')
  @HttpCode(201)
  @Roles('auditor', 'supervisor')
  @ApiOperation({ summary: "Anchor the journal: publish every chain's head, signed, to audit.anchors.v1" })
  @ApiCreatedResponse({ type: ChainAnchorDto })
  @ApiProblems(401, 403)
  anchor(): Promise<ChainAnchor> {
    return this.anchors.publish();
  }
}
