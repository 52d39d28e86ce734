import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

// The response bodies of this service's API, as OpenAPI schemas: each mirrors the type its
// handler returns (the JSON is not changed by them; they only describe it).

@ApiSchema({ name: 'Ssis' })
export class SsisDto {
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  ours!: object | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  theirs!: object | null;
}

@ApiSchema({ name: 'InstructionHistoryEntry' })
export class InstructionHistoryEntryDto {
  @ApiProperty({ type: String, description: 'ISO 8601 instant.' })
  at!: string;

  @ApiProperty({ type: String, description: 'What happened, e.g. the event or status update applied.' })
  event!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: true } })
  details!: unknown;
}

@ApiSchema({ name: 'HoldDetail' })
export class HoldDetailDto {
  @ApiProperty({ enum: ['PARTY_HOLD'] })
  hold!: 'PARTY_HOLD';

  @ApiProperty({ type: Boolean, description: 'Postrade holds it (it is then named in `holds`).' })
  heldByUs!: boolean;

  @ApiProperty({
    enum: ['REQUESTED', 'CONFIRMED', 'REJECTED', 'RELEASE_REQUESTED', 'RELEASE_REJECTED'],
    nullable: true,
    description: 'Where the hold stands at the custodian: REJECTED, not held at the depository; RELEASE_REJECTED, still held there.',
  })
  custodian!: 'REQUESTED' | 'CONFIRMED' | 'REJECTED' | 'RELEASE_REQUESTED' | 'RELEASE_REJECTED' | null;

  @ApiProperty({ type: String, nullable: true, description: "The custodian's reason code with its last answer to a hold or release request, as sent." })
  custodianReason!: string | null;
}

/** The instruction as the API and the events show it. The contract's resource plus what operations need to read it: the reference the custodian sees, why it is pending, which way the cash goes, who is failing and why, and whether trades were netted. */
@ApiSchema({ name: 'InstructionView' })
export class InstructionViewDto {
  @ApiProperty({ type: String })
  reference!: string;

  @ApiProperty({ type: () => SsisDto })
  ssis!: SsisDto;

  @ApiProperty({ type: String, nullable: true })
  pendingReason!: string | null;

  @ApiProperty({ type: String })
  cashDirection!: string;

  @ApiProperty({ type: String })
  accruedInterest!: string;

  @ApiProperty({ type: String, description: 'The market the instruction settles in (its calendar, its CSD).' })
  settlementMarket!: string;

  @ApiProperty({ type: String })
  counterpartyLei!: string;

  @ApiProperty({ type: String })
  legalEntityLei!: string;

  @ApiProperty({ type: Boolean })
  netted!: boolean;

  @ApiProperty({ type: String, nullable: true })
  failingParty!: string | null;

  @ApiProperty({ type: String, nullable: true })
  failReasonCode!: string | null;

  @ApiProperty({ type: String })
  createdAt!: string;

  @ApiProperty({ type: String })
  updatedAt!: string;

  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ type: String })
  instructionId!: string;

  @ApiProperty({ type: [String], description: 'One trade, or several for a net instruction.' })
  tradeIds!: string[];

  @ApiProperty({ enum: ['DVP', 'FOP'] })
  type!: 'DVP' | 'FOP';

  @ApiProperty({ enum: ['DELIVER', 'RECEIVE'], description: 'DELIVER for a SELL, RECEIVE for a BUY.' })
  direction!: 'DELIVER' | 'RECEIVE';

  @ApiProperty({ type: String })
  isin!: string;

  @ApiProperty({ type: String })
  quantity!: string;

  @ApiProperty({ type: String, description: 'The net amount.' })
  settlementAmount!: string;

  @ApiProperty({ type: String })
  intendedSettlementDate!: string;

  @ApiProperty({ enum: ['CANCELLED', 'PENDING', 'INSTRUCTED', 'REJECTED'] })
  processingStatus!: 'CANCELLED' | 'PENDING' | 'INSTRUCTED' | 'REJECTED';

  @ApiProperty({ enum: ['UNMATCHED', 'MATCHED'] })
  matchingStatus!: 'UNMATCHED' | 'MATCHED';

  @ApiProperty({ enum: ['PENDING', 'FAILING', 'PARTIALLY_SETTLED', 'SETTLED'] })
  settlementStatus!: 'PENDING' | 'FAILING' | 'PARTIALLY_SETTLED' | 'SETTLED';

  @ApiProperty({ type: [String], description: 'Holds that block settlement (party hold for compliance, CSD hold); they can coexist.' })
  holds!: string[];

  @ApiProperty({ type: () => [HoldDetailDto], description: 'Each hold, in Postrade and at the custodian (a hold the custodian refused shows `custodian: REJECTED` with its reason).' })
  holdDetails!: HoldDetailDto[];

  @ApiProperty({ type: String })
  settledQuantity!: string;

  @ApiProperty({ type: String })
  settledAmount!: string;

  @ApiProperty({ type: () => [InstructionHistoryEntryDto] })
  history!: InstructionHistoryEntryDto[];
}

@ApiSchema({ name: 'SettlementDayClose' })
export class SettlementDayCloseDto {
  @ApiProperty({ type: String })
  date!: string;

  @ApiProperty({ type: Number, description: 'Instructions that became FAILING with this close.' })
  newlyFailing!: number;

  @ApiProperty({ type: Number, description: 'Fail days recorded by this close (an instruction already closed for the day is not counted again).' })
  failDays!: number;

  @ApiProperty({ type: Number })
  penaltiesAssessed!: number;
}

@ApiSchema({ name: 'FailView' })
export class FailViewDto {
  @ApiProperty({ type: Number, description: 'Settlement business days failed by the end of `day`, counting the ISD as 1.' })
  ageInBusinessDays!: number;

  @ApiProperty({ type: String })
  instructionId!: string;

  @ApiProperty({ type: String })
  day!: string;

  @ApiProperty({ type: String })
  intendedSettlementDate!: string;

  @ApiProperty({ type: String })
  settlementMarket!: string;

  @ApiProperty({ type: String })
  counterpartyLei!: string;

  @ApiProperty({ type: String })
  isin!: string;

  @ApiProperty({ type: String })
  unsettledQuantity!: string;

  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ type: String, nullable: true })
  failingParty!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reasonCode!: string | null;

  @ApiProperty({ type: String, nullable: true })
  penaltyAmount!: string | null;

  @ApiProperty({ type: String, nullable: true })
  penaltyDirection!: string | null;
}

@ApiSchema({ name: 'SettlementDaysFailsResponse' })
export class SettlementDaysFailsResponseDto {
  @ApiProperty({ type: () => [FailViewDto] })
  items!: FailViewDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiProperty({ type: String })
  asOf!: string;
}

/** A CSDR cash penalty for one instruction and one failing settlement day; `GET /api/v1/penalties`. */
@ApiSchema({ name: 'Penalty' })
export class PenaltyDto {
  @ApiProperty({ type: String })
  penaltyId!: string;

  @ApiProperty({ type: String })
  instructionId!: string;

  @ApiProperty({ type: String })
  date!: string;

  @ApiProperty({ type: String })
  counterpartyLei!: string;

  @ApiProperty({ type: String })
  isin!: string;

  @ApiProperty({ enum: ['LIQUID_SHARE', 'ILLIQUID_SHARE', 'SME_SHARE', 'SOVEREIGN_DEBT', 'OTHER_DEBT', 'SME_DEBT', 'OTHER'] })
  category!: 'LIQUID_SHARE' | 'ILLIQUID_SHARE' | 'SME_SHARE' | 'SOVEREIGN_DEBT' | 'OTHER_DEBT' | 'SME_DEBT' | 'OTHER';

  @ApiProperty({ type: String })
  failedQuantity!: string;

  @ApiProperty({ type: String })
  referencePrice!: string;

  @ApiProperty({ type: String, description: 'Daily rate in basis points, a decimal string (e.g. "0.25").' })
  rateBps!: string;

  @ApiProperty({ type: String, description: "Positive, rounded half-up to the currency's minor unit." })
  amount!: string;

  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ enum: ['RECEIVE', 'PAY'] })
  direction!: 'RECEIVE' | 'PAY';
}

@ApiSchema({ name: 'Item' })
export class ItemDto {
  @ApiProperty({ type: String })
  counterpartyLei!: string;

  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ type: Number })
  penalties!: number;

  @ApiProperty({ type: String })
  pay!: string;

  @ApiProperty({ type: String })
  receive!: string;

  @ApiProperty({ type: String })
  net!: string;
}

@ApiSchema({ name: 'SettlementDaysMonthlyResponse' })
export class SettlementDaysMonthlyResponseDto {
  @ApiProperty({ type: String })
  month!: string;

  @ApiProperty({ type: () => [ItemDto] })
  items!: ItemDto[];
}

/** A custodian's report on one instruction (REST, Kafka or ISO 20022). */
@ApiSchema({ name: 'StatusUpdate' })
export class StatusUpdateDto {
  @ApiProperty({ type: String })
  updateId!: string;

  @ApiProperty({ enum: ['MATCHED', 'REJECTED', 'PARTIALLY_SETTLED', 'SETTLED', 'FAILED'] })
  status!: 'MATCHED' | 'REJECTED' | 'PARTIALLY_SETTLED' | 'SETTLED' | 'FAILED';

  @ApiPropertyOptional({ type: String })
  settledQuantity?: string;

  @ApiPropertyOptional({ type: String })
  settledAmount?: string;

  @ApiPropertyOptional({ type: String })
  effectiveDate?: string;

  @ApiPropertyOptional({ enum: ['US', 'COUNTERPARTY'] })
  failingParty?: 'US' | 'COUNTERPARTY';

  @ApiPropertyOptional({ enum: ['LACK', 'MONY', 'CLAC', 'CMON', 'OTHR'] })
  reasonCode?: 'LACK' | 'MONY' | 'CLAC' | 'CMON' | 'OTHR';

  @ApiPropertyOptional({ type: String, description: 'Checked against the instruction when an ISO 20022 message names them.' })
  isin?: string;

  @ApiPropertyOptional({ type: String })
  currency?: string;
}

/** A Kafka status update waiting for its instruction. */
@ApiSchema({ name: 'ParkedStatusUpdate' })
export class ParkedStatusUpdateDto {
  @ApiProperty({ type: String })
  instructionId!: string;

  @ApiProperty({ type: () => StatusUpdateDto })
  update!: StatusUpdateDto;

  @ApiProperty({ type: String, nullable: true })
  eventId!: string | null;

  @ApiProperty({ type: String })
  parkedAt!: string;

  @ApiProperty({ type: String })
  expiresAt!: string;

  @ApiProperty({ type: Boolean })
  expired!: boolean;
}

@ApiSchema({ name: 'TradeSettlementView' })
export class TradeSettlementViewDto {
  @ApiProperty({ type: String })
  tradeId!: string;

  @ApiProperty({ type: Number, nullable: true })
  version!: number | null;

  @ApiProperty({ type: String, nullable: true })
  tradeStatus!: string | null;

  @ApiProperty({ type: String, nullable: true })
  matchStatus!: string | null;

  @ApiProperty({ type: String, nullable: true })
  complianceOutcome!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  complianceTradeVersion!: number | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "One of: GateDecision" })
  gate!: unknown;

  @ApiProperty({ type: String, nullable: true })
  instructionId!: string | null;
}

@ApiSchema({ name: 'ReferencePrice' })
export class ReferencePriceDto {
  @ApiProperty({ type: String })
  isin!: string;

  @ApiProperty({ type: String })
  date!: string;

  @ApiProperty({ type: String })
  price!: string;

  @ApiProperty({ type: String })
  currency!: string;
}

@ApiSchema({ name: 'PenaltyRate' })
export class PenaltyRateDto {
  @ApiProperty({ enum: ['LIQUID_SHARE', 'ILLIQUID_SHARE', 'SME_SHARE', 'SOVEREIGN_DEBT', 'OTHER_DEBT', 'SME_DEBT', 'OTHER'] })
  category!: 'LIQUID_SHARE' | 'ILLIQUID_SHARE' | 'SME_SHARE' | 'SOVEREIGN_DEBT' | 'OTHER_DEBT' | 'SME_DEBT' | 'OTHER';

  @ApiProperty({ type: String })
  effectiveFrom!: string;

  @ApiProperty({ type: String })
  rateBps!: string;
}

@ApiSchema({ name: 'SettlementReferenceDataPenaltyRateResponse' })
export class SettlementReferenceDataPenaltyRateResponseDto {
  @ApiProperty({ type: String })
  category!: string;

  @ApiProperty({ type: () => [PenaltyRateDto] })
  rates!: PenaltyRateDto[];
}

@ApiSchema({ name: 'CashPenaltyRate' })
export class CashPenaltyRateDto {
  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ type: String })
  effectiveFrom!: string;

  @ApiProperty({ type: String })
  annualPercent!: string;
}

@ApiSchema({ name: 'SettlementReferenceDataCashPenaltyRateResponse' })
export class SettlementReferenceDataCashPenaltyRateResponseDto {
  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ type: () => [CashPenaltyRateDto] })
  rates!: CashPenaltyRateDto[];
}

@ApiSchema({ name: 'SettlementReferenceDataNettingAgreementResponse' })
export class SettlementReferenceDataNettingAgreementResponseDto {
  @ApiProperty({ type: String })
  counterpartyLei!: string;

  @ApiProperty({ type: Boolean })
  enabled!: boolean;
}

@ApiSchema({ name: 'StatusMessagesReceiveResponse' })
export class StatusMessagesReceiveResponseDto {
  @ApiProperty({ type: String })
  messageType!: string;

  @ApiProperty({ type: [String] })
  updateIds!: string[];

  @ApiProperty({ type: () => InstructionViewDto })
  instruction!: InstructionViewDto;
}
