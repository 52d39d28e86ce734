import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

// The response bodies of this service's API, as OpenAPI schemas: each mirrors the type its
// handler returns (the JSON is not changed by them; they only describe it).

/** `POST/GET /api/v1/confirmations` resource. Optional fields the sender left out stay out. */
@ApiSchema({ name: 'Confirmation' })
export class ConfirmationDto {
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ type: String })
  confirmationId!: string;

  @ApiProperty({ type: String })
  senderLei!: string;

  @ApiProperty({ type: String })
  receiverLei!: string;

  @ApiProperty({ type: String })
  tradeDate!: string;

  @ApiProperty({ type: String })
  settlementDate!: string;

  @ApiProperty({ type: String })
  side!: string;

  @ApiProperty({ type: String })
  isin!: string;

  @ApiProperty({ type: String })
  quantity!: string;

  @ApiProperty({ type: String })
  price!: string;

  @ApiProperty({ type: String })
  currency!: string;

  @ApiPropertyOptional({ type: String })
  grossAmount?: string;

  @ApiProperty({ type: String })
  netAmount!: string;

  @ApiPropertyOptional({ type: String })
  accruedInterest?: string;

  @ApiPropertyOptional({ type: String })
  commission?: string;

  @ApiPropertyOptional({ type: String })
  fees?: string;

  @ApiPropertyOptional({ type: String })
  ourReference?: string;

  @ApiProperty({ enum: ['CANCELLED', 'UNMATCHED', 'ALLEGED', 'MISMATCHED', 'MATCHED', 'AFFIRMED'] })
  matchStatus!: 'CANCELLED' | 'UNMATCHED' | 'ALLEGED' | 'MISMATCHED' | 'MATCHED' | 'AFFIRMED';

  @ApiProperty({ type: String, nullable: true })
  tradeId!: string | null;

  @ApiProperty({ type: Number })
  version!: number;

  @ApiProperty({ type: String })
  receivedAt!: string;
}

/** A level-2 difference between our trade and the counterparty's confirmation. */
@ApiSchema({ name: 'MatchBreak' })
export class MatchBreakDto {
  @ApiProperty({ type: String, description: 'The API field name: `price`, `netAmount`, `settlementDate`, …' })
  field!: string;

  @ApiProperty({ type: String, nullable: true })
  ours!: string | null;

  @ApiProperty({ type: String, nullable: true })
  theirs!: string | null;

  @ApiProperty({ enum: ['EXACT', 'PERCENT', 'PERCENT_CAPPED', 'ABSOLUTE', 'IGNORE'] })
  rule!: 'EXACT' | 'PERCENT' | 'PERCENT_CAPPED' | 'ABSOLUTE' | 'IGNORE';

  @ApiProperty({ type: String, nullable: true, description: 'The tolerance applied, as the profile states it; null for EXACT and IGNORE.' })
  tolerance!: string | null;

  @ApiProperty({ type: Number, description: 'FIX ConfirmRejReason (774): 6 instrument, 7 price, 9 settlement date, 11 quantity, 15 side, 16 net money, 17 trade date, …' })
  reasonCode!: number;
}

/** `postrade.match.*.v1` on `matching.results.v1`; `GET /api/v1/matches/by-trade/{tradeId}`. */
@ApiSchema({ name: 'Match' })
export class MatchDto {
  @ApiProperty({ type: String, nullable: true, description: 'Null only while ALLEGED: a confirmation no trade pairs with yet.' })
  tradeId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The sender's reference; null while UNMATCHED." })
  confirmationId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  senderLei!: string | null;

  @ApiProperty({ enum: ['CANCELLED', 'UNMATCHED', 'ALLEGED', 'MISMATCHED', 'MATCHED', 'AFFIRMED'] })
  status!: 'CANCELLED' | 'UNMATCHED' | 'ALLEGED' | 'MISMATCHED' | 'MATCHED' | 'AFFIRMED';

  @ApiProperty({ type: () => [MatchBreakDto] })
  breaks!: MatchBreakDto[];

  @ApiProperty({ type: String, description: 'Name of the matching profile applied.' })
  profile!: string;

  @ApiProperty({ type: String })
  updatedAt!: string;

  @ApiPropertyOptional({ type: String, description: "Queues and a trade's view: the trade's counterparty (an alleged confirmation's sender)." })
  counterpartyLei?: string;

  @ApiPropertyOptional({ type: String, description: 'Queues and a trade\'s view: the trade date.' })
  tradeDate?: string;

  @ApiPropertyOptional({ type: Number, description: 'Queues: seconds since the last change (time in the current status).' })
  ageSeconds?: number;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'US trades: 9 pm New York time on the trade date (SEC 15c6-2), as an instant.' })
  affirmationCutoff?: string | null;

  @ApiPropertyOptional({ enum: ['MET', 'AT_RISK', 'MISSED'], nullable: true, description: 'AT_RISK: not affirmed, cutoff ahead (will miss it unless affirmed); MISSED: not affirmed by it.' })
  cutoffStatus?: 'MET' | 'AT_RISK' | 'MISSED' | null;
}

@ApiSchema({ name: 'Action' })
export class ActionDto {
  @ApiProperty({ type: String })
  action!: string;

  @ApiProperty({ type: String, nullable: true })
  confirmationId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ type: String })
  actedBy!: string;

  @ApiProperty({ type: String })
  actedAt!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Who approved it, when the profile needs two people.' })
  approvedBy!: string | null;
}

/** A force-match or manual affirm proposed under a four-eyes profile. */
@ApiSchema({ name: 'MatchRequest' })
export class MatchRequestDto {
  @ApiProperty({ type: String }) requestId!: string;
  @ApiProperty({ type: String }) tradeId!: string;
  @ApiProperty({ enum: ['FORCE_MATCH', 'AFFIRM'] }) action!: 'FORCE_MATCH' | 'AFFIRM';
  @ApiProperty({ type: String, nullable: true }) confirmationId!: string | null;
  @ApiProperty({ type: Number }) tradeVersion!: number;
  @ApiProperty({ type: Number, nullable: true }) confirmationVersion!: number | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String }) requestedBy!: string;
  @ApiProperty({ enum: ['PENDING', 'APPROVED', 'DECLINED'] }) status!: 'PENDING' | 'APPROVED' | 'DECLINED';
  @ApiProperty({ type: String }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
}

/** A trade's match, with every operator action on it (who, when, why). */
@ApiSchema({ name: 'MatchView' })
export class MatchViewDto {
  @ApiProperty({ type: String, nullable: true, description: 'Null only while ALLEGED: a confirmation no trade pairs with yet.' })
  tradeId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The sender's reference; null while UNMATCHED." })
  confirmationId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  senderLei!: string | null;

  @ApiProperty({ enum: ['CANCELLED', 'UNMATCHED', 'ALLEGED', 'MISMATCHED', 'MATCHED', 'AFFIRMED'] })
  status!: 'CANCELLED' | 'UNMATCHED' | 'ALLEGED' | 'MISMATCHED' | 'MATCHED' | 'AFFIRMED';

  @ApiProperty({ type: () => [MatchBreakDto] })
  breaks!: MatchBreakDto[];

  @ApiProperty({ type: String, description: 'Name of the matching profile applied.' })
  profile!: string;

  @ApiProperty({ type: String })
  updatedAt!: string;

  @ApiProperty({ type: () => [ActionDto] })
  actions!: ActionDto[];

  @ApiProperty({ type: () => [MatchRequestDto] })
  requests!: MatchRequestDto[];
}

/** Above `above` (our net amount, exclusive), the tolerance becomes `tolerance`. */
@ApiSchema({ name: 'ToleranceTier' })
export class ToleranceTierDto {
  @ApiProperty({ type: String })
  above!: string;

  @ApiProperty({ type: String })
  tolerance!: string;
}

/** How one field is compared. `tolerance` is a percentage for PERCENT and PERCENT_CAPPED, an amount in units of the trade's currency (or of price) for ABSOLUTE; `cap` bounds PERCENT_CAPPED; `tiers` raise an ABSOLUTE tolerance with the size of our net amount (the settlement-amount rule). */
@ApiSchema({ name: 'FieldRule' })
export class FieldRuleDto {
  @ApiProperty({ enum: ['settlementDate', 'price', 'grossAmount', 'netAmount', 'accruedInterest', 'commission', 'fees'] })
  field!: 'settlementDate' | 'price' | 'grossAmount' | 'netAmount' | 'accruedInterest' | 'commission' | 'fees';

  @ApiProperty({ enum: ['EXACT', 'PERCENT', 'PERCENT_CAPPED', 'ABSOLUTE', 'IGNORE'] })
  rule!: 'EXACT' | 'PERCENT' | 'PERCENT_CAPPED' | 'ABSOLUTE' | 'IGNORE';

  @ApiPropertyOptional({ type: String })
  tolerance?: string;

  @ApiPropertyOptional({ type: String })
  cap?: string;

  @ApiPropertyOptional({ type: () => [ToleranceTierDto] })
  tiers?: ToleranceTierDto[];
}

@ApiSchema({ name: 'MatchingProfile' })
export class MatchingProfileDto {
  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ type: () => [FieldRuleDto] })
  rules!: FieldRuleDto[];

  @ApiProperty({ type: Boolean })
  autoAffirm!: boolean;

  @ApiProperty({ type: Boolean, description: 'Force-match and manual affirm need a second person.' })
  fourEyes!: boolean;

  @ApiProperty({ type: [String], description: 'LEIs of the counterparties this profile applies to (they win over currencies).' })
  counterparties!: string[];

  @ApiProperty({ type: [String], description: 'Currencies this profile applies to when no counterparty profile does.' })
  currencies!: string[];

  @ApiProperty({ type: Number, description: 'Increases with every change, so that a re-evaluation under a changed profile is noticed.' })
  revision!: number;

  @ApiProperty({ type: () => [ProfileChangeDto], description: 'Approved changes waiting for their effectiveFrom, soonest first.' })
  scheduledChanges!: ProfileChangeDto[];
}

/** The profile a change proposes (without its name and revision). */
@ApiSchema({ name: 'ProposedMatchingProfile' })
export class ProposedProfileDto {
  @ApiProperty({ type: () => [FieldRuleDto] }) rules!: FieldRuleDto[];
  @ApiProperty({ type: Boolean }) autoAffirm!: boolean;
  @ApiProperty({ type: Boolean }) fourEyes!: boolean;
  @ApiProperty({ type: [String] }) counterparties!: string[];
  @ApiProperty({ type: [String] }) currencies!: string[];
}

/** A change to a matching profile, maker-checker: PENDING, then SCHEDULED (approved, waiting for effectiveFrom) or APPLIED, or DECLINED. */
@ApiSchema({ name: 'MatchingProfileChange' })
export class ProfileChangeDto {
  @ApiProperty({ type: String }) changeId!: string;
  @ApiProperty({ type: String, description: 'The profile name.' }) profile!: string;
  @ApiProperty({ type: () => ProposedProfileDto }) proposed!: ProposedProfileDto;
  @ApiProperty({ type: Number, nullable: true, description: "The profile's revision when proposed; null for a new profile." }) baseRevision!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'When it applies; null: once approved.' }) effectiveFrom!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ enum: ['PENDING', 'SCHEDULED', 'APPLIED', 'DECLINED'] }) status!: 'PENDING' | 'SCHEDULED' | 'APPLIED' | 'DECLINED';
  @ApiProperty({ type: String }) requestedBy!: string;
  @ApiProperty({ type: String }) requestedAt!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) appliedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The profile revision the change made.' }) appliedRevision!: number | null;
}
