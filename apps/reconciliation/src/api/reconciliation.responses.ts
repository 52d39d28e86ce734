import { ApiProperty, ApiSchema } from '@nestjs/swagger';

// The response bodies of this service's API, as OpenAPI schemas: each mirrors the type its
// handler returns (the JSON is not changed by them; they only describe it).

@ApiSchema({ name: 'Field' })
export class FieldDto {
  @ApiProperty({ type: String })
  field!: string;

  @ApiProperty({ type: String, nullable: true })
  ours!: string | null;

  @ApiProperty({ type: String, nullable: true })
  theirs!: string | null;
}

@ApiSchema({ name: 'BreakComment' })
export class BreakCommentDto {
  @ApiProperty({ type: String })
  by!: string;

  @ApiProperty({ type: String })
  at!: string;

  @ApiProperty({ type: String })
  text!: string;
}

/** A difference between our books and theirs that someone owns until it is explained. */
@ApiSchema({ name: 'Break' })
export class BreakDto {
  @ApiProperty({ type: String })
  breakId!: string;

  @ApiProperty({ enum: ['POSITION', 'CASH', 'TRANSACTION', 'PENALTY', 'TRADE'] })
  type!: unknown;

  @ApiProperty({ type: String, description: 'The safekeeping or cash account; the source system for a front-to-back (TRADE) break.' })
  account!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  key!: unknown;

  @ApiProperty({ type: String, description: 'The latest statement (or blotter) date the break was seen on.' })
  asOf!: string;

  @ApiProperty({ type: String, description: 'Why the sides differ: MISSING_OURS, MISSING_THEIRS, DIFFERENT or AMBIGUOUS.' })
  reason!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  ours!: unknown;

  @ApiProperty({ type: 'object', additionalProperties: true })
  theirs!: unknown;

  @ApiProperty({ type: String, nullable: true })
  difference!: string | null;

  @ApiProperty({ type: () => [FieldDto] })
  fields!: FieldDto[];

  @ApiProperty({ type: String })
  firstSeen!: string;

  @ApiProperty({ type: Number })
  ageBusinessDays!: number;

  @ApiProperty({ enum: ['OPEN', 'ASSIGNED', 'RESOLVED', 'WRITTEN_OFF'] })
  status!: unknown;

  @ApiProperty({ type: String, nullable: true })
  assignee!: string | null;

  @ApiProperty({ type: () => [BreakCommentDto] })
  comments!: BreakCommentDto[];

  @ApiProperty({ type: String, nullable: true })
  resolution!: string | null;

  @ApiProperty({ type: String, description: 'The statement or blotter that last opened, changed or closed it.' })
  lastSourceId!: string;

  @ApiProperty({ type: String })
  updatedAt!: string;
}

@ApiSchema({ name: 'WriteOffRequest' })
export class WriteOffRequestDto {
  @ApiProperty({ type: String })
  requestId!: string;

  @ApiProperty({ type: String })
  breakId!: string;

  @ApiProperty({ type: String })
  reason!: string;

  @ApiProperty({ type: String })
  requestedBy!: string;

  @ApiProperty({ type: String })
  requestedAt!: string;

  @ApiProperty({ enum: ['PENDING', 'APPROVED', 'DECLINED', 'WITHDRAWN'] })
  status!: 'PENDING' | 'APPROVED' | 'DECLINED' | 'WITHDRAWN';

  @ApiProperty({ type: String, nullable: true })
  decidedBy!: string | null;

  @ApiProperty({ type: String, nullable: true })
  decidedAt!: string | null;
}

/** Construct a type with a set of properties K of type T */
@ApiSchema({ name: 'Record' })
export class RecordDto {
  @ApiProperty({ type: Number })
  '0'!: number;

  @ApiProperty({ type: Number })
  '1-2'!: number;

  @ApiProperty({ type: Number })
  '3-5'!: number;

  @ApiProperty({ type: Number })
  '6+'!: number;
}

@ApiSchema({ name: 'ReconciliationSummary' })
export class ReconciliationSummaryDto {
  @ApiProperty({ type: String })
  account!: string;

  @ApiProperty({ enum: ['POSITION', 'CASH', 'TRANSACTION', 'PENALTY', 'TRADE'] })
  type!: 'POSITION' | 'CASH' | 'TRANSACTION' | 'PENALTY' | 'TRADE';

  @ApiProperty({ type: String })
  asOf!: string;

  @ApiProperty({ type: Number })
  linesCompared!: number;

  @ApiProperty({ type: Number })
  matched!: number;

  @ApiProperty({ type: Number })
  openBreaks!: number;

  @ApiProperty({ type: () => RecordDto })
  breaksByAge!: RecordDto;

  @ApiProperty({ type: String })
  statementId!: string;

  @ApiProperty({ type: String, description: 'The run; its matches, each with the rule that made it, at `GET /api/v1/reconciliations/{runId}/matches`.' })
  runId!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  matchesByRule!: unknown;

  @ApiProperty({ type: String })
  ranAt!: string;
}

@ApiSchema({ name: 'BreaksMatchesItem' })
export class BreaksMatchesItemDto {
  @ApiProperty({ type: Number })
  ord!: number;

  @ApiProperty({ type: String })
  rule!: string;

  @ApiProperty({ type: [String] })
  ours!: string[];

  @ApiProperty({ type: [String] })
  theirs!: string[];
}

@ApiSchema({ name: 'Item' })
export class ItemDto {
  @ApiProperty({ type: String })
  isin!: string;

  @ApiProperty({ type: String })
  quantity!: string;
}

@ApiSchema({ name: 'BreaksPositionsResponse' })
export class BreaksPositionsResponseDto {
  @ApiProperty({ type: String })
  account!: string;

  @ApiProperty({ type: String })
  asOf!: string;

  @ApiProperty({ type: () => [ItemDto] })
  items!: ItemDto[];
}

@ApiSchema({ name: 'Item2' })
export class Item2Dto {
  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ type: String })
  amount!: string;
}

@ApiSchema({ name: 'BreaksCashResponse' })
export class BreaksCashResponseDto {
  @ApiProperty({ type: String })
  account!: string;

  @ApiProperty({ type: String })
  asOf!: string;

  @ApiProperty({ type: () => [Item2Dto] })
  items!: Item2Dto[];
}

@ApiSchema({ name: 'BreaksUnassignedItem' })
export class BreaksUnassignedItemDto {
  @ApiProperty({ type: String })
  entryId!: string;

  @ApiProperty({ type: String, nullable: true })
  tradeId!: string | null;

  @ApiProperty({ type: String })
  kind!: string;

  @ApiProperty({ type: String })
  asset!: string;

  @ApiProperty({ type: String })
  amount!: string;

  @ApiProperty({ type: String })
  effectiveDate!: string;
}

/** What applying a statement (or blotter) produced: API.md's answer to `POST /statements`. */
@ApiSchema({ name: 'StatementResult' })
export class StatementResultDto {
  @ApiProperty({ type: String })
  statementId!: string;

  @ApiProperty({ type: String })
  type!: string;

  @ApiProperty({ type: String })
  account!: string;

  @ApiProperty({ type: String })
  asOf!: string;

  @ApiProperty({ type: Number })
  lines!: number;

  @ApiProperty({ type: Number })
  matched!: number;

  @ApiProperty({ type: Number })
  breaksOpened!: number;

  @ApiProperty({ type: Number })
  breaksClosed!: number;
}
