import { ApiProperty, ApiSchema } from '@nestjs/swagger';

// The anchoring bodies (docs/anchors.md), shared by the ledger's journal and the audit trails: each
// mirrors a type of @postrade/kernel's hash-chain/anchor (the JSON is not changed by them).

/** One chain's head as anchored. */
@ApiSchema({ name: 'AnchoredHead' })
export class AnchoredHeadDto {
  @ApiProperty({ type: String, example: 'trade-capture.trades.v1:3' })
  chain!: string;

  @ApiProperty({ type: Number, description: 'Position of the chain’s last record (0 for an empty chain).' })
  lastSequence!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Hash of that record (the genesis hash for an empty chain).' })
  lastHash!: string | null;
}

/** A signed statement of where every chain of a trail ended, as published on `audit.anchors.v1`. */
@ApiSchema({ name: 'ChainAnchor' })
export class ChainAnchorDto {
  @ApiProperty({ type: String, example: 'ledger' })
  service!: string;

  @ApiProperty({ type: String, description: 'The database schema the chains live in.' })
  schema!: string;

  @ApiProperty({ type: String, enum: ['journal', 'audit'] })
  trail!: string;

  @ApiProperty({ type: () => [AnchoredHeadDto] })
  heads!: AnchoredHeadDto[];

  @ApiProperty({ type: String, format: 'date-time' })
  anchoredAt!: string;

  @ApiProperty({ type: String, description: 'Id of the key that signed the anchor (AUDIT_ANCHOR_KEY_ID).' })
  keyId!: string;

  @ApiProperty({ type: String, enum: ['HMAC-SHA256'] })
  algorithm!: string;

  @ApiProperty({ type: String, description: 'Hex HMAC-SHA256 of the canonical JSON of every other field.' })
  signature!: string;
}

/** A chain that no longer fits the anchor. */
@ApiSchema({ name: 'AnchorDifference' })
export class AnchorDifferenceDto {
  @ApiProperty({ type: String })
  chain!: string;

  @ApiProperty({ type: String, enum: ['CHAIN_MISSING', 'TRUNCATED', 'REWRITTEN'] })
  problem!: string;

  @ApiProperty({ type: Number })
  anchoredSequence!: number;

  @ApiProperty({ type: String, nullable: true })
  anchoredHash!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The chain’s head position now (null when the chain is gone).' })
  currentSequence!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'The hash stored now at the anchored position (null when no record is there).' })
  hashFound!: string | null;
}

/** What comparing the chains with the latest anchor on `audit.anchors.v1` found. */
@ApiSchema({ name: 'AnchorCheck' })
export class AnchorCheckDto {
  @ApiProperty({ type: Boolean })
  ok!: boolean;

  @ApiProperty({ type: String, enum: ['NONE', 'MATCHES', 'DIFFERS', 'BAD_SIGNATURE', 'UNAVAILABLE'] })
  status!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  anchoredAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  keyId!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  partition!: number | null;

  @ApiProperty({ type: String, nullable: true })
  offset!: string | null;

  @ApiProperty({ type: Number })
  chainsChecked!: number;

  @ApiProperty({ type: () => [AnchorDifferenceDto] })
  differences!: AnchorDifferenceDto[];

  @ApiProperty({ type: String, nullable: true, enum: ['UNKNOWN_KEY', 'UNKNOWN_ALGORITHM', 'BAD_SIGNATURE'] })
  signatureProblem!: string | null;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;
}
