import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DomainError } from '@postrade/kernel';
import { AnyAuthenticated, CurrentPrincipal, ListQueryDto, paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import type { SettlementMarket } from '@postrade/contracts';
import type { Counterparty, Instrument, LegalEntity, StandingSettlementInstruction } from '../domain/reference-data';
import { UpsertReferenceDataHandler } from '../application/upsert-reference-data/upsert-reference-data.command-handler';
import { ReferenceDataReader } from '../application/upsert-reference-data/reference-data.reader';
import { PutCounterpartyRequest, PutInstrumentRequest, PutLegalEntityRequest, PutSsiRequest, SsiListQuery } from './reference-data.dto';
import { CounterpartyDto, InstrumentDto, LegalEntityDto, SsiDto } from './trade-capture.responses';

/** Reference data lists page by their keys: `[isin]`, `[lei]`, `[lei, settlementMarket, currency]`. */
const isKeys = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

function found<T>(value: T | null, what: string, id: string): T {
  if (value === null) throw DomainError.notFound(what, id);
  return value;
}

/** A counterparty key reads only its own LEI's records: anything else is not found for it. */
const ownLeiOf = (principal: Principal): string | undefined => (principal.role === 'counterparty' ? principal.lei : undefined);

function visibleTo(principal: Principal, lei: string, what: string, id: string): void {
  const own = ownLeiOf(principal);
  if (own !== undefined && own !== lei) throw DomainError.notFound(what, id);
}

@ApiTags('reference data')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/instruments')
export class InstrumentsController {
  constructor(
    private readonly upserts: UpsertReferenceDataHandler,
    private readonly reader: ReferenceDataReader,
  ) {}

  @Put(':isin')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Create or replace an instrument' })
  @ApiOkResponse({ type: InstrumentDto })
  @ApiProblems(400, 401, 403, 404)
  put(@Param('isin') isin: string, @Body() body: PutInstrumentRequest): Promise<Instrument> {
    return this.upserts.upsertInstrument({ isin, ...body });
  }

  @Get(':isin')
  @AnyAuthenticated()
  @ApiOperation({ summary: 'One instrument by ISIN' })
  @ApiOkResponse({ type: InstrumentDto })
  @ApiProblems(400, 401, 404)
  async get(@Param('isin') isin: string): Promise<Instrument> {
    return found(await this.reader.instrument(isin), 'Instrument', isin);
  }

  @Get()
  @AnyAuthenticated()
  @ApiOperation({ summary: 'Instruments, by ISIN' })
  @ApiPageResponse(InstrumentDto)
  @ApiProblems(400, 401)
  async list(@Query() query: ListQueryDto): Promise<Page<Instrument>> {
    return paged(query, (after, limit) => this.reader.instruments({ after, limit }), { isPosition: isKeys, positionOf: (i) => [i.isin] });
  }
}

@ApiTags('reference data')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/counterparties')
export class CounterpartiesController {
  constructor(
    private readonly upserts: UpsertReferenceDataHandler,
    private readonly reader: ReferenceDataReader,
  ) {}

  @Put(':lei')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Create or replace a counterparty' })
  @ApiOkResponse({ type: CounterpartyDto })
  @ApiProblems(400, 401, 403, 404)
  put(@Param('lei') lei: string, @Body() body: PutCounterpartyRequest): Promise<Counterparty> {
    return this.upserts.upsertCounterparty({ lei, ...body });
  }

  @Get(':lei')
  @AnyAuthenticated()
  @ApiOperation({ summary: 'One counterparty by LEI' })
  @ApiOkResponse({ type: CounterpartyDto })
  @ApiProblems(400, 401, 404)
  async get(@Param('lei') lei: string, @CurrentPrincipal() principal: Principal): Promise<Counterparty> {
    visibleTo(principal, lei, 'Counterparty', lei);
    return found(await this.reader.counterparty(lei), 'Counterparty', lei);
  }

  @Get()
  @AnyAuthenticated()
  @ApiOperation({ summary: 'Counterparties, by LEI' })
  @ApiPageResponse(CounterpartyDto)
  @ApiProblems(400, 401)
  async list(@Query() query: ListQueryDto, @CurrentPrincipal() principal: Principal): Promise<Page<Counterparty>> {
    return paged(query, (after, limit) => this.reader.counterparties({ after, limit, lei: ownLeiOf(principal) }), { isPosition: isKeys, positionOf: (c) => [c.lei] });
  }
}

@ApiTags('reference data')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/legal-entities')
export class LegalEntitiesController {
  constructor(
    private readonly upserts: UpsertReferenceDataHandler,
    private readonly reader: ReferenceDataReader,
  ) {}

  @Put(':lei')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Create or replace one of our legal entities' })
  @ApiOkResponse({ type: LegalEntityDto })
  @ApiProblems(400, 401, 403, 404)
  put(@Param('lei') lei: string, @Body() body: PutLegalEntityRequest): Promise<LegalEntity> {
    return this.upserts.upsertLegalEntity({ lei, ...body });
  }

  @Get(':lei')
  @AnyAuthenticated()
  @ApiOperation({ summary: 'One of our legal entities by LEI' })
  @ApiOkResponse({ type: LegalEntityDto })
  @ApiProblems(400, 401, 404)
  async get(@Param('lei') lei: string, @CurrentPrincipal() principal: Principal): Promise<LegalEntity> {
    visibleTo(principal, lei, 'Legal entity', lei);
    return found(await this.reader.legalEntity(lei), 'Legal entity', lei);
  }

  /** Our own legal entities: not a counterparty's own data, so a counterparty key sees none. */
  @Get()
  @AnyAuthenticated()
  @ApiOperation({ summary: 'Our legal entities, by LEI' })
  @ApiPageResponse(LegalEntityDto)
  @ApiProblems(400, 401)
  async list(@Query() query: ListQueryDto, @CurrentPrincipal() principal: Principal): Promise<Page<LegalEntity>> {
    if (ownLeiOf(principal) !== undefined) return { items: [], nextCursor: null };
    return paged(query, (after, limit) => this.reader.legalEntities({ after, limit }), { isPosition: isKeys, positionOf: (e) => [e.lei] });
  }
}

@ApiTags('reference data')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/ssis')
export class SsisController {
  constructor(
    private readonly upserts: UpsertReferenceDataHandler,
    private readonly reader: ReferenceDataReader,
  ) {}

  @Put(':lei/:settlementMarket/:currency')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Create or replace a standing settlement instruction' })
  @ApiOkResponse({ type: SsiDto })
  @ApiProblems(400, 401, 403, 404)
  put(
    @Param('lei') lei: string,
    @Param('settlementMarket') settlementMarket: string,
    @Param('currency') currency: string,
    @Body() body: PutSsiRequest,
  ): Promise<StandingSettlementInstruction> {
    return this.upserts.upsertSsi({ lei, settlementMarket: settlementMarket as SettlementMarket, currency, ...body });
  }

  @Get(':lei/:settlementMarket/:currency')
  @AnyAuthenticated()
  @ApiOperation({ summary: 'One standing settlement instruction by LEI, settlement market and currency' })
  @ApiOkResponse({ type: SsiDto })
  @ApiProblems(400, 401, 404)
  async get(
    @Param('lei') lei: string,
    @Param('settlementMarket') settlementMarket: string,
    @Param('currency') currency: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StandingSettlementInstruction> {
    visibleTo(principal, lei, 'SSI', `${lei}/${settlementMarket}/${currency}`);
    return found(await this.reader.ssi(lei, settlementMarket, currency), 'SSI', `${lei}/${settlementMarket}/${currency}`);
  }

  @Get()
  @AnyAuthenticated()
  @ApiOperation({ summary: 'Standing settlement instructions, optionally of one LEI' })
  @ApiPageResponse(SsiDto)
  @ApiProblems(400, 401)
  async list(@Query() query: SsiListQuery, @CurrentPrincipal() principal: Principal): Promise<Page<StandingSettlementInstruction>> {
    const own = ownLeiOf(principal);
    if (own !== undefined && query.lei !== undefined && query.lei !== own) return { items: [], nextCursor: null };
    return paged(query, (after, limit) => this.reader.ssis({ after, limit, lei: own ?? query.lei }), {
      isPosition: isKeys,
      positionOf: (s) => [s.lei, s.settlementMarket, s.currency],
    });
  }
}
