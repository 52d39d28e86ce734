/**
 * Hash chains: the tamper evidence of the ledger's journal and the compliance audit trail.
 *
 * A service keeps many chains side by side (one per Kafka partition it consumes, a few for its
 * REST actions) so that appends to different chains never wait on each other; each chain is
 * ordered by its own position (`chainSequence`) and verified on its own. What a record's hash
 * covers is the service's business (its {@link HashChainRule}); how records link, where a chain
 * starts and how it is walked is here, once.
 *
 * `G` is the type of the genesis hash: `null` for a chain whose first record names no predecessor,
 * `string` for one that starts from a fixed value (e.g. 64 zeros).
 */

/** What one kind of chained record hashes, and the predecessor hash of a chain's first record. */
export interface HashChainRule<C, G extends string | null = string | null> {
  readonly genesis: G;
  /** The record's hash from its content and its predecessor's hash. */
  hash(content: C, previousHash: string | G): string;
}

/** Where a chain ends: the position and hash of its last record (0 and the genesis when empty). */
export interface ChainHead<G extends string | null = string | null> {
  chain: string;
  lastSequence: number;
  lastHash: string | G;
}

/** A record's place in its chain. */
export interface ChainLink<G extends string | null = string | null> {
  chain: string;
  /** 1, 2, 3, … within the chain, without gaps. */
  chainSequence: number;
  previousHash: string | G;
  hash: string;
}

export type Chained<C, G extends string | null = string | null> = C & ChainLink<G>;

/** The head of a chain nothing was appended to yet. */
export function emptyChain<G extends string | null>(rule: HashChainRule<unknown, G>, chain: string): ChainHead<G> {
  return { chain, lastSequence: 0, lastHash: rule.genesis };
}

/**
 * Chains records after a head, in the order given: each names its predecessor's hash and takes the
 * next position. Returns the records and the chain's new head (the caller stores both together).
 */
export function appendToChain<C extends object, G extends string | null>(
  rule: HashChainRule<C, G>,
  head: ChainHead<G>,
  contents: readonly C[],
): { records: Chained<C, G>[]; head: ChainHead<G> } {
  let lastSequence = head.lastSequence;
  let lastHash: string | G = head.lastHash;
  const records = contents.map((content) => {
    const hash = rule.hash(content, lastHash);
    const record: Chained<C, G> = { ...content, chain: head.chain, chainSequence: ++lastSequence, previousHash: lastHash, hash };
    lastHash = hash;
    return record;
  });
  return { records, head: { chain: head.chain, lastSequence, lastHash } };
}

/**
 * Walks one chain record by record, in chain order, page after page. The first record that is out
 * of place (another chain, a gap in the positions), names the wrong predecessor, or whose content
 * no longer yields its stored hash is the first bad one: an edited, removed, inserted or reordered
 * record is found where it is. {@link endsAt} then tells a chain cut short at its end.
 */
export class HashChainVerifier<C, G extends string | null = string | null, R extends Chained<C, G> = Chained<C, G>> {
  private previousHash: string | G;
  private expectedSequence = 1;
  checked = 0;
  firstBad: R | null = null;

  constructor(
    private readonly rule: HashChainRule<C, G>,
    readonly chain: string,
  ) {
    this.previousHash = rule.genesis;
  }

  /** Returns false once a bad record has been found (there is no need to read further). */
  check(record: R): boolean {
    if (this.firstBad !== null) return false;
    this.checked++;
    const fits =
      record.chain === this.chain &&
      record.chainSequence === this.expectedSequence &&
      record.previousHash === this.previousHash &&
      this.rule.hash(record, this.previousHash) === record.hash;
    if (!fits) {
      this.firstBad = record;
      return false;
    }
    this.previousHash = record.hash;
    this.expectedSequence++;
    return true;
  }

  /** True when every record so far fitted and the last one is the one the head names. */
  endsAt(head: ChainHead<G>): boolean {
    return this.firstBad === null && this.expectedSequence - 1 === head.lastSequence && this.previousHash === head.lastHash;
  }
}

/** What verifying every chain found: `firstBad` is null when every record fits (or when a chain is only cut short at its end). */
export interface ChainsVerification<R> {
  ok: boolean;
  checked: number;
  firstBad: R | null;
}

/** Reads one chain's records with positions in (`after`, `through`], in chain order, at most `limit`. */
export type ChainPageReader<R> = (chain: string, after: number, through: number, limit: number) => Promise<R[]>;

/**
 * Verifies every chain up to its head as it stood when verification began (appends that commit
 * meanwhile are left for the next run), each chain on its own. Of the bad records found (the
 * first of each broken chain), the earliest by `earlier` is reported (by default, the one of the
 * first chain in `heads` order).
 */
export async function verifyChains<C, G extends string | null, R extends Chained<C, G>>(
  rule: HashChainRule<C, G>,
  heads: readonly ChainHead<G>[],
  read: ChainPageReader<R>,
  options: { pageSize: number; earlier?: (a: R, b: R) => boolean },
): Promise<ChainsVerification<R>> {
  let ok = true;
  let checked = 0;
  let firstBad: R | null = null;
  for (const head of heads) {
    const verifier = new HashChainVerifier<C, G, R>(rule, head.chain);
    for (let after = 0; after < head.lastSequence; ) {
      const page = await read(head.chain, after, head.lastSequence, options.pageSize);
      if (page.length === 0 || !page.every((record) => verifier.check(record))) break;
      after = page[page.length - 1].chainSequence;
    }
    checked += verifier.checked;
    if (verifier.endsAt(head)) continue;
    ok = false;
    const bad = verifier.firstBad;
    if (bad !== null && (firstBad === null || (options.earlier?.(bad, firstBad) ?? false))) firstBad = bad;
  }
  return { ok, checked, firstBad };
}
