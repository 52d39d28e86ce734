import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { ChainHead } from './hash-chain';

/**
 * Anchors: a signed statement, kept outside the database, of where a service's hash chains ended at
 * one moment. Verification recomputes the chains from the database and then compares them with the
 * latest anchor, so a rewrite of the records by someone with database access (hashes and chain
 * heads recomputed included) is still found: the record at an anchored position no longer has the
 * anchored hash, or the chain no longer reaches that position.
 *
 * What an anchor says and how it is signed and compared is here, once; publishing it (the service's
 * outbox, topic `audit.anchors.v1`) and reading the latest back are messaging's.
 */

/** How anchors are signed: HMAC-SHA256 over the canonical JSON of the anchor without its signature, hex. */
export const ANCHOR_ALGORITHM = 'HMAC-SHA256';

/** A signing key: its id travels in the anchor, so that verification picks the key that signed it. */
export interface AnchorKey {
  id: string;
  secret: string;
}

/** One chain's head as anchored. */
export interface AnchoredHead {
  chain: string;
  lastSequence: number;
  lastHash: string | null;
}

/** What an anchor says, before it is signed. */
export interface AnchorStatement {
  /** The service whose records these are (`ledger`, `compliance`, `reconciliation`). */
  service: string;
  /** The database schema the chains live in: two deployments (or test schemas) never mix anchors. */
  schema: string;
  /** Which chained records: `journal` (the ledger) or `audit` (an audit trail). */
  trail: string;
  /** Every chain's head, in chain id order. */
  heads: AnchoredHead[];
  /** When the heads were read (ISO 8601, UTC). */
  anchoredAt: string;
}

/** A signed anchor, as published. */
export interface ChainAnchor extends AnchorStatement {
  keyId: string;
  algorithm: typeof ANCHOR_ALGORITHM;
  /** Hex HMAC-SHA256 of the canonical JSON of every other field. */
  signature: string;
}

function signatureOf(anchor: Omit<ChainAnchor, 'signature'>, secret: string): string {
  const { service, schema, trail, heads, anchoredAt, keyId, algorithm } = anchor;
  return createHmac('sha256', secret).update(canonicalJson({ service, schema, trail, heads, anchoredAt, keyId, algorithm })).digest('hex');
}

/** Signs a statement of chain heads with `key`. */
export function signAnchor(statement: AnchorStatement, key: AnchorKey): ChainAnchor {
  const unsigned = {
    service: statement.service,
    schema: statement.schema,
    trail: statement.trail,
    heads: statement.heads.map((h) => ({ chain: h.chain, lastSequence: h.lastSequence, lastHash: h.lastHash })),
    anchoredAt: statement.anchoredAt,
    keyId: key.id,
    algorithm: ANCHOR_ALGORITHM,
  } as const;
  return { ...unsigned, signature: signatureOf(unsigned, key.secret) };
}

/**
 * Why an anchor's signature does not hold: signed with a key this service does not have, by another
 * algorithm, or the signature does not match its content (the anchor was altered or forged).
 */
export type AnchorSignatureProblem = 'UNKNOWN_KEY' | 'UNKNOWN_ALGORITHM' | 'BAD_SIGNATURE';

/** Null when `anchor` was signed by one of `keys` and is unaltered; else what is wrong with it. */
export function anchorSignatureProblem(anchor: ChainAnchor, keys: readonly AnchorKey[]): AnchorSignatureProblem | null {
  if (anchor.algorithm !== ANCHOR_ALGORITHM) return 'UNKNOWN_ALGORITHM';
  const key = keys.find((k) => k.id === anchor.keyId);
  if (!key) return 'UNKNOWN_KEY';
  const expected = Buffer.from(signatureOf(anchor, key.secret), 'hex');
  const given = Buffer.from(typeof anchor.signature === 'string' ? anchor.signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'BAD_SIGNATURE';
}

/**
 * How the chains differ from an anchor:
 * - `CHAIN_MISSING`: an anchored chain has no head any more;
 * - `TRUNCATED`: the chain no longer reaches the anchored position (records were removed from its end);
 * - `REWRITTEN`: the record at the anchored position has another hash (it, or one before it, was
 *   changed, even with every hash after it recomputed).
 */
export type AnchorDifferenceKind = 'CHAIN_MISSING' | 'TRUNCATED' | 'REWRITTEN';

export interface AnchorDifference {
  chain: string;
  problem: AnchorDifferenceKind;
  anchoredSequence: number;
  anchoredHash: string | null;
  /** The chain's head position now (null when the chain is gone). */
  currentSequence: number | null;
  /** The hash stored now at the anchored position (null when there is no record there). */
  hashFound: string | null;
}

/** The stored hash of the record at `sequence` of `chain`, or null when there is none. */
export type HashAtPosition = (chain: string, sequence: number) => Promise<string | null>;

/**
 * Compares the chains as stored now with an anchor, chain by chain: each anchored chain must still
 * exist, reach the anchored position, and hold the anchored hash there. Records appended after the
 * anchor are not its business (the next anchor covers them). An empty anchored chain says nothing.
 */
export async function compareWithAnchor(anchor: Pick<ChainAnchor, 'heads'>, current: readonly ChainHead[], hashAt: HashAtPosition): Promise<AnchorDifference[]> {
  const differences: AnchorDifference[] = [];
  const now = new Map(current.map((h) => [h.chain, h]));
  for (const anchored of anchor.heads) {
    if (anchored.lastSequence <= 0) continue;
    const base = { chain: anchored.chain, anchoredSequence: anchored.lastSequence, anchoredHash: anchored.lastHash };
    const head = now.get(anchored.chain);
    if (!head) {
      differences.push({ ...base, problem: 'CHAIN_MISSING', currentSequence: null, hashFound: null });
      continue;
    }
    const hashFound = await hashAt(anchored.chain, anchored.lastSequence);
    if (head.lastSequence < anchored.lastSequence || hashFound === null) {
      differences.push({ ...base, problem: 'TRUNCATED', currentSequence: head.lastSequence, hashFound });
    } else if (hashFound !== anchored.lastHash) {
      differences.push({ ...base, problem: 'REWRITTEN', currentSequence: head.lastSequence, hashFound });
    }
  }
  return differences;
}

/**
 * What comparing the chains with the latest anchor found:
 * - `NONE`: nothing anchored yet for this trail (nothing to compare; `ok`);
 * - `MATCHES`: the anchor's signature holds and every anchored chain still reaches its anchored
 *   position with the anchored hash there (`ok`);
 * - `DIFFERS`: the signature holds but `differences` names chains rewritten or cut short;
 * - `BAD_SIGNATURE`: the latest anchor is not signed by this service's key (`signatureProblem` says why);
 * - `UNAVAILABLE`: the anchors could not be read from Kafka (`error`), so nothing outside the
 *   database vouches for the chains: not `ok`.
 */
export type AnchorCheckStatus = 'NONE' | 'MATCHES' | 'DIFFERS' | 'BAD_SIGNATURE' | 'UNAVAILABLE';

export interface AnchorCheck {
  ok: boolean;
  status: AnchorCheckStatus;
  /** When the anchor compared with was taken, its key and where it is on the topic. */
  anchoredAt: string | null;
  keyId: string | null;
  partition: number | null;
  offset: string | null;
  chainsChecked: number;
  differences: AnchorDifference[];
  signatureProblem: AnchorSignatureProblem | null;
  error: string | null;
}
