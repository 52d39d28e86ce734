import { ApiProperty, ApiPropertyOptional, ApiSchema, OmitType, PickType } from '@nestjs/swagger';

// The response bodies of this service's API, as OpenAPI schemas: each mirrors the type its
// handler returns (the JSON is not changed by them; they only describe it).

@ApiSchema({ name: 'CalendarsSettlementDateResponse' })
export class CalendarsSettlementDateResponseDto {
  @ApiProperty({ type: String })
  tradeDate!: string;

  @ApiProperty({ enum: ['US', 'EU', 'UK', 'CH', 'JP'] })
  settlementMarket!: 'US' | 'EU' | 'UK' | 'CH' | 'JP';

  @ApiProperty({ type: String })
  cycle!: unknown;

  @ApiProperty({ type: String })
  settlementDate!: string;
}

@ApiSchema({ name: 'CalendarsBusinessDaysResponse' })
export class CalendarsBusinessDaysResponseDto {
  @ApiProperty({ type: [String] })
  days!: string[];
}

/** A parked action as `GET /api/v1/parked-actions` lists it. */
@ApiSchema({ name: 'ParkedActionView' })
export class ParkedActionViewDto {
  @ApiProperty({ type: String })
  sourceSystem!: string;

  @ApiProperty({ type: String })
  sourceTradeId!: string;

  @ApiProperty({ type: Number })
  version!: number;

  @ApiProperty({ type: String })
  action!: string;

  @ApiProperty({ type: String })
  reason!: string;

  @ApiProperty({ type: String, nullable: true })
  messageId!: string | null;

  @ApiProperty({ type: String })
  parkedAt!: string;

  @ApiProperty({ type: String })
  expiresAt!: string;

  @ApiProperty({ type: Number, description: 'Seconds since it was parked.' })
  ageSeconds!: number;
}

/** `postrade.instrument.upserted.v1`; `GET /api/v1/instruments/{isin}`. Bonds (GOVT_BOND, CORP_BOND) also carry their coupon terms; equities and ETFs do not have those fields. */
@ApiSchema({ name: 'Instrument' })
export class InstrumentDto {
  @ApiProperty({ type: String })
  isin!: string;

  @ApiProperty({ type: String })
  description!: string;

  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ enum: ['EQUITY', 'ETF', 'GOVT_BOND', 'CORP_BOND'] })
  assetClass!: 'EQUITY' | 'ETF' | 'GOVT_BOND' | 'CORP_BOND';

  @ApiProperty({ enum: ['UNIT', 'PERCENT_OF_PAR'] })
  priceType!: 'UNIT' | 'PERCENT_OF_PAR';

  @ApiProperty({ enum: ['US', 'EU', 'UK', 'CH', 'JP'] })
  settlementMarket!: 'US' | 'EU' | 'UK' | 'CH' | 'JP';

  @ApiProperty({ enum: ['LIQUID_SHARE', 'ILLIQUID_SHARE', 'SME_SHARE', 'SOVEREIGN_DEBT', 'OTHER_DEBT', 'SME_DEBT', 'OTHER'] })
  csdrCategory!: 'LIQUID_SHARE' | 'ILLIQUID_SHARE' | 'SME_SHARE' | 'SOVEREIGN_DEBT' | 'OTHER_DEBT' | 'SME_DEBT' | 'OTHER';

  @ApiPropertyOptional({ type: String, description: 'Percent a year; "0" for a zero coupon.' })
  couponRate?: string;

  @ApiPropertyOptional({ type: Number, enum: [0, 1, 2, 4, 12], description: 'Coupons a year: 1, 2, 4 or 12; 0 for a zero coupon.' })
  couponFrequency?: 0 | 1 | 2 | 4 | 12;

  @ApiPropertyOptional({ enum: ['ACT_ACT_ICMA', 'THIRTY_360', 'THIRTY_E_360', 'ACT_360', 'ACT_365F'] })
  dayCount?: 'ACT_ACT_ICMA' | 'THIRTY_360' | 'THIRTY_E_360' | 'ACT_360' | 'ACT_365F';

  @ApiPropertyOptional({ type: String })
  issueDate?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Set only when the first coupon period is irregular.' })
  firstCouponDate?: string | null;

  @ApiPropertyOptional({ type: String })
  maturityDate?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Smallest nominal that can be traded.' })
  minimumDenomination?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Nominal above the minimum must be a multiple of this.' })
  denominationIncrement?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Business days before a coupon date from which a buyer does not receive that coupon.' })
  exCouponDays?: number | null;
}

/** `postrade.counterparty.upserted.v1`; `GET /api/v1/counterparties/{lei}`. */
@ApiSchema({ name: 'Counterparty' })
export class CounterpartyDto {
  @ApiProperty({ type: String })
  lei!: string;

  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ type: [String] })
  aliases!: string[];

  @ApiProperty({ type: String, description: 'ISO 3166-1 alpha-2.' })
  country!: string;

  @ApiProperty({ type: String })
  bic!: string;
}

/** One of our own legal entities. `postrade.legal-entity.upserted.v1`; `GET /api/v1/legal-entities/{lei}`. */
@ApiSchema({ name: 'LegalEntity' })
export class LegalEntityDto {
  @ApiProperty({ type: String })
  lei!: string;

  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ type: String })
  bic!: string;
}

/** A standing settlement instruction of a counterparty or of one of our legal entities, per settlement market and currency. `postrade.ssi.upserted.v1`; `GET /api/v1/ssis/{lei}/{settlementMarket}/{currency}`. */
@ApiSchema({ name: 'Ssi' })
export class SsiDto {
  @ApiProperty({ type: String })
  lei!: string;

  @ApiProperty({ enum: ['US', 'EU', 'UK', 'CH', 'JP'] })
  settlementMarket!: 'US' | 'EU' | 'UK' | 'CH' | 'JP';

  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ type: String, description: 'Custodian/agent BIC.' })
  agentBic!: string;

  @ApiProperty({ type: String })
  safekeepingAccount!: string;

  @ApiProperty({ type: String })
  cashAccount!: string;

  @ApiProperty({ type: String, description: "The CSD's BIC." })
  placeOfSettlement!: string;
}

/** The instrument's terms a downstream service needs, carried on the trade so that nobody looks them up. */
@ApiSchema({ name: 'TradeInstrument' })
export class TradeInstrumentDto extends OmitType(InstrumentDto, ['isin', 'currency'] as const) {}

@ApiSchema({ name: 'TradeCounterparty' })
export class TradeCounterpartyDto extends PickType(CounterpartyDto, ['lei', 'name', 'bic', 'country'] as const) {}

/** Both sides' SSIs as a trade carries them: a side is null while its SSI is not on file (see the trade's exceptions). */
@ApiSchema({ name: 'TradeSsis' })
export class TradeSsisDto {
  @ApiProperty({ type: () => SsiDto, nullable: true })
  ours!: SsiDto | null;

  @ApiProperty({ type: () => SsiDto, nullable: true })
  theirs!: SsiDto | null;
}

/** A captured trade, enriched so that no downstream service needs to look anything up. `postrade.trade.captured.v1`, `.amended.v1`, `.cancelled.v1` and `.enriched.v1` on `trade-capture.trades.v1`; `GET /api/v1/trades/{tradeId}`. Decimals are strings, dates YYYY-MM-DD, instants ISO 8601. */
@ApiSchema({ name: 'Trade' })
export class TradeDto {
  @ApiProperty({ type: String, description: 'Platform id (UUID).' })
  tradeId!: string;

  @ApiProperty({ type: String })
  sourceSystem!: string;

  @ApiProperty({ type: String })
  sourceTradeId!: string;

  @ApiProperty({ type: Number })
  version!: number;

  @ApiProperty({ enum: ['CAPTURED', 'AMENDED', 'CANCELLED'] })
  status!: 'CAPTURED' | 'AMENDED' | 'CANCELLED';

  @ApiProperty({ type: String })
  tradeDate!: string;

  @ApiProperty({ type: String, nullable: true })
  executionTime!: string | null;

  @ApiProperty({ enum: ['BUY', 'SELL'], description: "From our book's point of view." })
  side!: 'BUY' | 'SELL';

  @ApiProperty({ type: String })
  isin!: string;

  @ApiProperty({ type: String, description: 'Shares, or the nominal for a bond (PERCENT_OF_PAR).' })
  quantity!: string;

  @ApiProperty({ type: String })
  price!: string;

  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ type: String, description: "quantity × price (÷ 100 for PERCENT_OF_PAR: the clean consideration), rounded half-up to the currency's minor unit." })
  grossAmount!: string;

  @ApiProperty({ type: String, description: 'Bond accrued interest to the settlement date (negative inside an ex-coupon period); "0.00" for equities.' })
  accruedInterest!: string;

  @ApiProperty({ type: Number, description: "Days accrued under the bond's day count (negative inside an ex-coupon period); 0 for equities." })
  accruedDays!: number;

  @ApiProperty({ type: String, description: '"0" when the submission gave none.' })
  commission!: string;

  @ApiProperty({ type: String, description: '"0" when the submission gave none.' })
  fees!: string;

  @ApiProperty({ type: String, description: 'gross + accrued + commission + fees for a BUY, gross + accrued − commission − fees for a SELL; always positive.' })
  netAmount!: string;

  @ApiProperty({ type: String })
  settlementDate!: string;

  @ApiProperty({ type: String, description: 'The cycle the settlement date amounts to, e.g. "T+1", or "T+3" for a given later date.' })
  settlementCycle!: string;

  @ApiProperty({ enum: ['US', 'EU', 'UK', 'CH', 'JP'] })
  settlementMarket!: 'US' | 'EU' | 'UK' | 'CH' | 'JP';

  @ApiProperty({ enum: ['DVP', 'FOP'] })
  settlementType!: 'DVP' | 'FOP';

  @ApiProperty({ type: String })
  book!: string;

  @ApiProperty({ type: () => TradeInstrumentDto })
  instrument!: TradeInstrumentDto;

  @ApiProperty({ type: () => TradeCounterpartyDto })
  counterparty!: TradeCounterpartyDto;

  @ApiProperty({ type: () => LegalEntityDto })
  legalEntity!: LegalEntityDto;

  @ApiProperty({ type: () => TradeSsisDto, description: 'A side is null while its SSI is not on file; the trade then lists the matching exception.' })
  ssis!: TradeSsisDto;

  @ApiProperty({ isArray: true, enum: ['MISSING_OUR_SSI', 'MISSING_COUNTERPARTY_SSI'] })
  exceptions!: unknown;

  @ApiProperty({ type: String, nullable: true, description: 'Why the trade was cancelled; null unless it is.' })
  cancelReason!: string | null;

  @ApiProperty({ type: String })
  createdAt!: string;

  @ApiProperty({ type: String })
  updatedAt!: string;
}
