import { ApiProperty, ApiSchema } from '@nestjs/swagger';

// The response bodies of this service's API, as OpenAPI schemas: each mirrors the type its
// handler returns (the JSON is not changed by them; they only describe it).

@ApiSchema({ name: 'ComplianceAlert' })
export class ComplianceAlertDto {
  @ApiProperty({ type: String })
  alertId!: string;

  @ApiProperty({ enum: ['RESTRICTED_LIST', 'WATCH_LIST', 'SANCTIONS', 'EXPOSURE_LIMIT', 'SELF_TRADE', 'WASH_TRADE', 'LARGE_TRADER'] })
  rule!: 'RESTRICTED_LIST' | 'WATCH_LIST' | 'SANCTIONS' | 'EXPOSURE_LIMIT' | 'SELF_TRADE' | 'WASH_TRADE' | 'LARGE_TRADER';

  @ApiProperty({ type: String })
  severity!: string;

  @ApiProperty({ type: String })
  status!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: true }, description: 'What the check saw: the matched list entry, the score, the limit and exposure, …' })
  details!: unknown;
}

/** `postrade.compliance.*.v1` on `compliance.decisions.v1`; `GET /api/v1/decisions/by-trade/{tradeId}`. */
@ApiSchema({ name: 'ComplianceDecision' })
export class ComplianceDecisionDto {
  @ApiProperty({ type: String })
  tradeId!: string;

  @ApiProperty({ type: Number, description: 'The trade version screened: an amendment screens afresh.' })
  tradeVersion!: number;

  @ApiProperty({ enum: ['REJECTED', 'CLEARED', 'HELD', 'RELEASED'] })
  outcome!: 'REJECTED' | 'CLEARED' | 'HELD' | 'RELEASED';

  @ApiProperty({ type: () => [ComplianceAlertDto] })
  alerts!: ComplianceAlertDto[];
}

@ApiSchema({ name: 'AlertListItem' })
export class AlertListItemDto {
  @ApiProperty({ type: String })
  tradeId!: string;

  @ApiProperty({ type: Number })
  tradeVersion!: number;

  @ApiProperty({ type: String })
  raisedAt!: string;

  @ApiProperty({ type: String, nullable: true })
  closedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  closeReason!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Who works the alert (work queue).' })
  assignee!: string | null;

  @ApiProperty({ type: String, nullable: true })
  escalatedBy!: string | null;

  @ApiProperty({ type: String, nullable: true })
  escalatedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  closedBy!: string | null;

  @ApiProperty({ type: String })
  alertId!: string;

  @ApiProperty({ enum: ['RESTRICTED_LIST', 'WATCH_LIST', 'SANCTIONS', 'EXPOSURE_LIMIT', 'SELF_TRADE', 'WASH_TRADE', 'LARGE_TRADER'] })
  rule!: 'RESTRICTED_LIST' | 'WATCH_LIST' | 'SANCTIONS' | 'EXPOSURE_LIMIT' | 'SELF_TRADE' | 'WASH_TRADE' | 'LARGE_TRADER';

  @ApiProperty({ type: String })
  severity!: string;

  @ApiProperty({ type: String })
  status!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: true }, description: 'What the check saw: the matched list entry, the score, the limit and exposure, …' })
  details!: unknown;
}

/** A proposal (maker) to release or reject a held trade, which a supervisor other than the maker approves or declines (checker). */
@ApiSchema({ name: 'ReleaseRequest' })
export class ReleaseRequestDto {
  @ApiProperty({ type: String })
  requestId!: string;

  @ApiProperty({ type: String })
  tradeId!: string;

  @ApiProperty({ enum: ['RELEASE', 'REJECT'] })
  action!: 'RELEASE' | 'REJECT';

  @ApiProperty({ type: String })
  reason!: string;

  @ApiProperty({ type: String })
  requestedBy!: string;

  @ApiProperty({ type: [String], nullable: true, description: 'The open alerts the request was made against: approval resolves these and no others (409 if another is open).' })
  alertIds!: string[] | null;

  @ApiProperty({ enum: ['PENDING', 'APPROVED', 'DECLINED', 'WITHDRAWN'], description: 'WITHDRAWN: a new alert, an amendment or a cancellation ended it.' })
  status!: unknown;

  @ApiProperty({ type: String })
  createdAt!: string;

  @ApiProperty({ type: String, nullable: true })
  decidedBy!: string | null;

  @ApiProperty({ type: String, nullable: true })
  decidedAt!: string | null;
}

/** An ISIN on the restricted list (trading it holds the trade) or the watch list (an alert only), from one date to another, both inclusive; `to` null means until further notice. */
@ApiSchema({ name: 'RestrictedListEntry' })
export class RestrictedListEntryDto {
  @ApiProperty({ type: String })
  isin!: string;

  @ApiProperty({ enum: ['RESTRICTED', 'WATCH'] })
  kind!: 'RESTRICTED' | 'WATCH';

  @ApiProperty({ type: String })
  from!: string;

  @ApiProperty({ type: String, nullable: true })
  to!: string | null;

  @ApiProperty({ type: String })
  reason!: string;
}

@ApiSchema({ name: 'RestrictedListListResponse' })
export class RestrictedListListResponseDto {
  @ApiProperty({ type: () => [RestrictedListEntryDto] })
  items!: RestrictedListEntryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiProperty({ type: String })
  asOf!: string;
}

@ApiSchema({ name: 'ExposureLimit' })
export class ExposureLimitDto {
  @ApiProperty({ type: String })
  counterpartyLei!: string;

  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ type: String })
  limit!: string;
}

@ApiSchema({ name: 'NewHit' })
export class NewHitDto {
  @ApiProperty({ type: String })
  counterpartyLei!: string;

  @ApiProperty({ type: String })
  entryId!: string;

  @ApiProperty({ type: String })
  matchedName!: string;

  @ApiProperty({ type: String })
  screenedName!: string;

  @ApiProperty({ type: Number })
  score!: number;
}

@ApiSchema({ name: 'SanctionsListLoaded' })
export class SanctionsListLoadedDto {
  @ApiProperty({ type: String })
  source!: string;

  @ApiProperty({ type: String })
  version!: string;

  @ApiProperty({ type: Number })
  entryCount!: number;

  @ApiProperty({ type: Boolean, description: 'False when this version of the source was already loaded: nothing changed.' })
  loaded!: boolean;

  @ApiProperty({ type: Number })
  counterpartiesScreened!: number;

  @ApiProperty({ type: () => [NewHitDto] })
  newHits!: NewHitDto[];

  @ApiProperty({ type: [String] })
  heldTradeIds!: string[];
}
