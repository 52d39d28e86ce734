import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LocalDate } from '@postrade/kernel';
import { ApiPageResponse, ApiProblems, CurrentPrincipal, paged, Roles, type Page, type Principal } from '@postrade/platform';
import { PenaltyCollections, type PenaltyCollection } from '../application/collect-penalties/penalty-collections';
import { LedgerExceptions, type LedgerException } from '../application/query-exceptions/ledger-exceptions';
import { AccountBalances, type AccountBalance } from '../application/query-ledger/account-balances';
import { AccountBalanceDto, AccountBalancesQuery, ExceptionsQuery, LedgerExceptionDto, PenaltyCollectionBody, PenaltyCollectionDto, PenaltyCollectionsQuery } from './ledger-operations.dto';

const isSequence = (v: unknown): v is { sequence: number } => Number.isInteger((v as { sequence?: unknown })?.sequence);
const isAccountAssetPosition = (v: unknown): v is { account: string; asset: string } =>
  typeof (v as { account?: unknown })?.account === 'string' && typeof (v as { asset?: unknown })?.asset === 'string';
const isCollectionPosition = (v: unknown): v is { collectionId: string } => typeof (v as { collectionId?: unknown })?.collectionId === 'string';

/** What the ledger raises for operations, and what operations record in it: the CSDs' monthly penalty collections. */
@ApiTags('ledger')
@ApiBearerAuth()
@Controller('api/v1')
export class LedgerOperationsController {
  constructor(
    private readonly exceptions: LedgerExceptions,
    private readonly collections: PenaltyCollections,
    private readonly accountBalances: AccountBalances,
  ) {}

  @Get('account-balances')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Balances per account and asset as of a date (penalty payables and receivables, house cash, any account)' })
  @ApiPageResponse(AccountBalanceDto)
  @ApiProblems(400, 401, 403)
  balances(@Query() q: AccountBalancesQuery): Promise<Page<AccountBalance>> {
    const asOf = q.asOf === undefined ? LocalDate.todayUtc(new Date()) : LocalDate.parse(q.asOf, 'asOf');
    return paged(q, (after: { account: string; asset: string } | undefined, limit) => this.accountBalances.list({ account: q.account, owner: q.owner, holder: q.holder, asOf, after, limit }), {
      isPosition: isAccountAssetPosition,
      positionOf: (b) => ({ account: b.account, asset: b.asset }),
    });
  }

  @Get('exceptions')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'What the ledger raised for operations: settled parts of cancelled trades, settlements reported after a cancellation' })
  @ApiPageResponse(LedgerExceptionDto)
  @ApiProblems(400, 401, 403)
  list(@Query() q: ExceptionsQuery): Promise<Page<LedgerException>> {
    return paged(q, (after: { sequence: number } | undefined, limit) => this.exceptions.list({ tradeId: q.tradeId, kind: q.kind, afterSequence: after?.sequence, limit }), {
      isPosition: isSequence,
      positionOf: ({ sequence }) => ({ sequence }),
      toItem: ({ exception }) => exception,
    });
  }

  @Post('penalty-collections')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: "Record a CSD's monthly penalty collection: moves that month's accrued penalties to cash" })
  @ApiCreatedResponse({ type: PenaltyCollectionDto })
  @ApiProblems(400, 401, 403, [422, 'Nothing accrued for that CSD, month and currency, or the amount or direction is not their net'])
  record(@Body() body: PenaltyCollectionBody, @CurrentPrincipal() principal: Principal): Promise<PenaltyCollection> {
    return this.collections.record({ ...body, effectiveDate: LocalDate.parse(body.effectiveDate, 'effectiveDate') }, principal.id);
  }

  @Get('penalty-collections')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'The penalty collections recorded, by CSD and month' })
  @ApiPageResponse(PenaltyCollectionDto)
  @ApiProblems(400, 401, 403)
  listCollections(@Query() q: PenaltyCollectionsQuery): Promise<Page<PenaltyCollection>> {
    return paged(q, (after: { collectionId: string } | undefined, limit) => this.collections.list({ csd: q.csd, month: q.month, afterId: after?.collectionId, limit }), {
      isPosition: isCollectionPosition,
      positionOf: (c) => ({ collectionId: c.collectionId }),
    });
  }
}
