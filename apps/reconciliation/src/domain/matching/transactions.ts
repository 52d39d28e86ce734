import { Decimal, DomainError, withinTolerance, type LocalDate, type SettlementMarket } from '@postrade/kernel';
import type { FieldDifference, OurMovement, ReconciliationOutcome, TransactionLine } from '../model';
import { SettlementDateWindow } from './business-days';
import { amountsAgree, widestAmountTolerance, type ReconciliationConfig, type TransactionTolerances } from './config';
import { decimalString, distinctJoined, field, MATCH_RULES, OutcomeBuilder, singleDifference, type MatchRule } from './outcome';

const INSTRUCTION = 'instruction:';
const REFERENCE = 'reference:';

/** A possible pairing found by attributes; tier 0 is an exact fit, 1 a fit within tolerance. */
interface Candidate {
  other: number;
  tier: 0 | 1;
}

const movementRecord = (m: OurMovement): Record<string, string> => ({
  movementId: m.movementId,
  instructionId: m.instructionId,
  isin: m.isin,
  quantity: decimalString(m.quantity),
  amount: decimalString(m.amount),
  currency: m.currency,
  direction: m.direction,
  settlementDate: m.settlementDate,
});

const lineRecord = (l: TransactionLine): Record<string, string> => ({
  reference: l.reference,
  ...(l.instructionId !== null ? { instructionId: l.instructionId } : {}),
  isin: l.isin,
  quantity: decimalString(l.quantity),
  amount: decimalString(l.amount),
  currency: l.currency,
  direction: l.direction,
  settlementDate: l.settlementDate,
});

const sum = (items: readonly { quantity: Decimal; amount: Decimal }[], of: 'quantity' | 'amount'): Decimal => {
  let total = items[0][of];
  for (let k = 1; k < items.length; k++) total = total.plus(items[k][of]);
  return total;
};

/** The date an instruction is settled by: its last (partial) settlement, on either side. */
const latestDate = (items: readonly { settlementDate: LocalDate }[]): LocalDate => {
  let latest = items[0].settlementDate;
  for (const item of items) if (item.settlementDate > latest) latest = item.settlementDate;
  return latest;
};

function instructionRule(lines: number, movements: number): MatchRule {
  if (lines === 1) return movements === 1 ? MATCH_RULES.INSTRUCTION_ID_ONE_TO_ONE : MATCH_RULES.INSTRUCTION_ID_ONE_TO_MANY;
  return movements === 1 ? MATCH_RULES.INSTRUCTION_ID_MANY_TO_ONE : MATCH_RULES.INSTRUCTION_ID_MANY_TO_MANY;
}

/** Our movements that share a bucket key; split into grid cells only once the bucket is big. */
interface Bucket {
  movements: number[];
  cells: Map<string, number[]> | null;
}

/** Below this, scanning a bucket is cheaper than computing grid cells. */
const GRID_THRESHOLD = 16;

/**
 * More fits than this for one line (or one movement) is a crowd of look-alikes no rule can tell
 * apart. The crowd is cut off there and none of it is paired: without the cap, a statement of
 * thousands of identical unreferenced trades would cost thousands squared.
 */
export const MAX_ATTRIBUTE_CANDIDATES = 32;

/**
 * Grid cells over quantity and amount: cell = floor(value / width) with width the tolerance
 * (0: the exact value). Two values within the tolerance are in the same or adjacent cells, so a
 * line looks in at most 3 × 3 cells of a big bucket.
 */
class CandidateGrid {
  constructor(
    private readonly quantityWidth: Decimal,
    private readonly amountWidth: Decimal,
  ) {}

  private static cell(value: Decimal, width: Decimal, offset: number): string {
    return width.isZero() ? value.toFixed() : value.div(width).floor().plus(offset).toFixed();
  }

  private static offsets(width: Decimal): number[] {
    return width.isZero() ? [0] : [-1, 0, 1];
  }

  private key(quantityCell: string, amountCell: string): string {
    return `${quantityCell}|${amountCell}`;
  }

  /** The cells (lists of our movements) a movement fitting the line must be in. */
  near(bucket: Bucket, line: TransactionLine, ours: readonly OurMovement[]): readonly (readonly number[])[] {
    if (bucket.movements.length < GRID_THRESHOLD) return [bucket.movements];
    if (bucket.cells === null) {
      bucket.cells = new Map();
      for (const i of bucket.movements) {
        const key = this.key(CandidateGrid.cell(ours[i].quantity, this.quantityWidth, 0), CandidateGrid.cell(ours[i].amount, this.amountWidth, 0));
        const cell = bucket.cells.get(key);
        if (cell === undefined) bucket.cells.set(key, [i]);
        else cell.push(i);
      }
    }
    const near: number[][] = [];
    for (const q of CandidateGrid.offsets(this.quantityWidth)) {
      const quantityCell = CandidateGrid.cell(line.quantity, this.quantityWidth, q);
      for (const a of CandidateGrid.offsets(this.amountWidth)) {
        const cell = bucket.cells.get(this.key(quantityCell, CandidateGrid.cell(line.amount, this.amountWidth, a)));
        if (cell !== undefined) near.push(cell);
      }
    }
    return near;
  }
}

/**
 * One reconciliation of a transactions statement. Each pass takes what it can pair and leaves the
 * rest to the next; whatever no pass took is reported at the end, so a later pass may still take
 * what an earlier one left.
 */
class TransactionReconciliation {
  readonly outcome: OutcomeBuilder;
  private readonly lineDone: Uint8Array;
  private readonly movementDone: Uint8Array;
  private readonly window: SettlementDateWindow;
  /** Instructions the attribute pass agreed on (it may pair several movements of one), so that each is agreed once. */
  private readonly agreedByAttributes = new Set<string>();
  /** Movements in a crowd (see MAX_ATTRIBUTE_CANDIDATES): never paired by attributes. */
  private readonly contested: Uint8Array;
  /** Lines the attribute pass could not pair, with the movements that fit them: an ambiguity unless a later pass takes them. */
  private readonly attributeCandidates = new Map<number, Candidate[]>();

  constructor(
    private readonly ours: readonly OurMovement[],
    private readonly theirs: readonly TransactionLine[],
    private readonly tolerances: TransactionTolerances,
    market: SettlementMarket,
  ) {
    this.outcome = new OutcomeBuilder('TRANSACTION', theirs.length);
    this.lineDone = new Uint8Array(theirs.length);
    this.movementDone = new Uint8Array(ours.length);
    this.contested = new Uint8Array(ours.length);
    this.window = new SettlementDateWindow(market, tolerances.settlementDateBusinessDays);
  }

  private agreeInstruction(instructionId: string): void {
    if (!this.agreedByAttributes.has(instructionId)) this.outcome.agree(`${INSTRUCTION}${instructionId}`);
  }

  /**
   * Pass INSTRUCTION_ID: everything both sides say about one instruction, compared as a whole, so
   * that partial settlements (one line, several movements) and a net instruction reported per trade
   * (several lines, one movement) agree when their sums do.
   */
  byInstructionId(): void {
    // A hash lookup or two per item: each instruction gets a group number, and its movements and lines
    // are chained through index arrays in input order. A million-line statement would otherwise
    // cost a million small arrays and several map operations per line.
    const groupOf = new Map<string, number>();
    const firstMovement: number[] = [];
    const lastMovement: number[] = [];
    const nextMovement = new Int32Array(this.ours.length).fill(-1);
    for (let i = 0; i < this.ours.length; i++) {
      if (this.movementDone[i]) continue;
      const id = this.ours[i].instructionId;
      const group = groupOf.get(id);
      if (group === undefined) {
        groupOf.set(id, firstMovement.length);
        firstMovement.push(i);
        lastMovement.push(i);
      } else {
        nextMovement[lastMovement[group]] = i;
        lastMovement[group] = i;
      }
    }
    const firstLine = new Int32Array(firstMovement.length).fill(-1);
    const lastLine = new Int32Array(firstMovement.length);
    const nextLine = new Int32Array(this.theirs.length).fill(-1);
    const reported: number[] = [];
    for (let j = 0; j < this.theirs.length; j++) {
      const id = this.theirs[j].instructionId;
      if (this.lineDone[j] || id === null) continue;
      const group = groupOf.get(id);
      if (group === undefined) continue;
      if (firstLine[group] === -1) {
        firstLine[group] = j;
        reported.push(group);
      } else nextLine[lastLine[group]] = j;
      lastLine[group] = j;
    }
    for (const group of reported) {
      const [j, i] = [firstLine[group], firstMovement[group]];
      if (nextLine[j] === -1 && nextMovement[i] === -1 && this.oneToOneAgrees(j, i)) continue;
      const lineIndexes: number[] = [];
      for (let k = j; k !== -1; k = nextLine[k]) lineIndexes.push(k);
      const movementIndexes: number[] = [];
      for (let k = i; k !== -1; k = nextMovement[k]) movementIndexes.push(k);
      this.compareInstruction(this.ours[i].instructionId, lineIndexes, movementIndexes);
    }
  }

  /** The common case, one line for one movement, without building groups; false leaves it to compareInstruction. */
  private oneToOneAgrees(j: number, i: number): boolean {
    const line = this.theirs[j];
    const movement = this.ours[i];
    const agrees =
      line.isin === movement.isin &&
      line.direction === movement.direction &&
      line.currency === movement.currency &&
      withinTolerance(movement.quantity, line.quantity, this.tolerances.quantity) &&
      amountsAgree(this.tolerances.amount, movement.amount, line.amount) &&
      this.window.contains(movement.settlementDate, line.settlementDate);
    if (!agrees) return false;
    this.lineDone[j] = 1;
    this.movementDone[i] = 1;
    this.outcome.match(MATCH_RULES.INSTRUCTION_ID_ONE_TO_ONE, [movement.movementId], [line.reference]);
    this.agreeInstruction(movement.instructionId);
    this.outcome.agree(`${REFERENCE}${line.reference}`);
    return true;
  }

  private compareInstruction(instructionId: string, lineIndexes: number[], movementIndexes: number[]): void {
    const lines = lineIndexes.map((j) => this.theirs[j]);
    const movements = movementIndexes.map((i) => this.ours[i]);
    for (const j of lineIndexes) this.lineDone[j] = 1;
    for (const i of movementIndexes) this.movementDone[i] = 1;

    const fields: FieldDifference[] = [];
    for (const name of ['isin', 'direction', 'currency'] as const) {
      const ourValue = distinctJoined(movements, (m) => m[name]);
      const theirValue = distinctJoined(lines, (l) => l[name]);
      if (ourValue !== theirValue) fields.push(field(name, ourValue, theirValue));
    }
    const quantity = { ours: sum(movements, 'quantity'), theirs: sum(lines, 'quantity'), differs: false };
    quantity.differs = !withinTolerance(quantity.ours, quantity.theirs, this.tolerances.quantity);
    const amount = { ours: sum(movements, 'amount'), theirs: sum(lines, 'amount'), differs: false };
    amount.differs = !amountsAgree(this.tolerances.amount, amount.ours, amount.theirs);
    for (const [name, n] of [['quantity', quantity] as const, ['amount', amount] as const]) {
      if (n.differs) fields.push(field(name, decimalString(n.ours), decimalString(n.theirs)));
    }
    const ourDate = latestDate(movements);
    const theirDate = latestDate(lines);
    if (!this.window.contains(ourDate, theirDate)) fields.push(field('settlementDate', ourDate, theirDate));

    if (fields.length === 0) {
      this.outcome.match(
        instructionRule(lines.length, movements.length),
        movements.map((m) => m.movementId),
        lines.map((l) => l.reference),
      );
      this.agreeInstruction(instructionId);
      for (const line of lines) this.outcome.agree(`${REFERENCE}${line.reference}`);
      return;
    }
    this.outcome.break({
      reason: 'DIFFERENT',
      key: { instructionId },
      keyString: `${INSTRUCTION}${instructionId}`,
      ours: movements.map(movementRecord),
      theirs: lines.map(lineRecord),
      difference: singleDifference([quantity, amount]),
      fields,
    });
  }

  /**
   * Pass ATTRIBUTES: a line without a usable instruction id pairs with the one movement it fits
   * (ISIN, direction, currency, quantity, amount, settlement date) when that movement fits no other
   * line as well. An exact fit is better than a fit within tolerance; equal fits are never decided
   * by guessing. Pairing is repeated as pairs are taken, since taking one can leave another unique.
   */
  byAttributes(): void {
    const { lineCandidates, movementCandidates } = this.candidates();
    const queue = [...lineCandidates.keys()];
    for (let head = 0; head < queue.length; head++) {
      const j = queue[head];
      if (this.lineDone[j]) continue;
      const best = this.uniqueBest(lineCandidates.get(j), this.movementDone);
      if (best === null || this.contested[best.other] || this.uniqueBest(movementCandidates.get(best.other), this.lineDone)?.other !== j) continue;
      const i = best.other;
      this.lineDone[j] = 1;
      this.movementDone[i] = 1;
      const line = this.theirs[j];
      const movement = this.ours[i];
      this.outcome.match(best.tier === 0 ? MATCH_RULES.ATTRIBUTES : MATCH_RULES.ATTRIBUTES_WITHIN_TOLERANCE, [movement.movementId], [line.reference]);
      this.outcome.agree(`${REFERENCE}${line.reference}`);
      if (!this.agreedByAttributes.has(movement.instructionId)) {
        this.agreedByAttributes.add(movement.instructionId);
        this.outcome.agree(`${INSTRUCTION}${movement.instructionId}`);
      }
      // The lines that fit this movement lost a candidate; the movements this line fitted lost a
      // line, which may leave one of their other lines as their only best fit.
      for (const c of movementCandidates.get(i)!) if (!this.lineDone[c.other]) queue.push(c.other);
      for (const c of lineCandidates.get(j)!) {
        if (this.movementDone[c.other]) continue;
        for (const back of movementCandidates.get(c.other)!) if (!this.lineDone[back.other]) queue.push(back.other);
      }
    }
    for (const [j, candidates] of lineCandidates) if (!this.lineDone[j]) this.attributeCandidates.set(j, candidates);
  }

  /** The one best-tier candidate still free, or null when there are none or several. */
  private uniqueBest(candidates: readonly Candidate[] | undefined, done: Uint8Array): Candidate | null {
    let best: Candidate | null = null;
    let ties = 0;
    for (const c of candidates ?? []) {
      if (done[c.other]) continue;
      if (best === null || c.tier < best.tier) {
        best = c;
        ties = 1;
      } else if (c.tier === best.tier) ties++;
    }
    return ties === 1 ? best : null;
  }

  /**
   * Every (line, movement) pair that fits, found through an index instead of by scanning. The
   * bucket key holds what must be equal (ISIN, direction, currency; the quantity and the date when
   * they must be exact). A bucket with many movements (a hot ISIN traded in round lots) is split
   * further into grid cells of the quantity and amount as wide as their tolerances, so that a
   * fitting movement lies in the line's cell or a neighbouring one.
   */
  private candidates(): { lineCandidates: Map<number, Candidate[]>; movementCandidates: Map<number, Candidate[]> } {
    const exactQuantity = this.tolerances.quantity.isZero();
    const exactDate = this.tolerances.settlementDateBusinessDays === 0;
    const bucketKey = (t: OurMovement | TransactionLine) =>
      `${t.isin}|${t.direction}|${t.currency}|${exactDate ? t.settlementDate : ''}|${exactQuantity ? t.quantity.toFixed() : ''}`;
    const grid = new CandidateGrid(this.tolerances.quantity, widestAmountTolerance(this.tolerances.amount));

    const buckets = new Map<string, Bucket>();
    for (let i = 0; i < this.ours.length; i++) {
      if (this.movementDone[i]) continue;
      const key = bucketKey(this.ours[i]);
      const bucket = buckets.get(key);
      if (bucket === undefined) buckets.set(key, { movements: [i], cells: null });
      else bucket.movements.push(i);
    }

    const lineCandidates = new Map<number, Candidate[]>();
    const movementCandidates = new Map<number, Candidate[]>();
    const crowdedCells = new Set<readonly number[]>();
    for (let j = 0; j < this.theirs.length; j++) {
      if (this.lineDone[j]) continue;
      const line = this.theirs[j];
      const bucket = buckets.get(bucketKey(line));
      if (bucket === undefined) continue;
      const found: Candidate[] = [];
      const near = grid.near(bucket, line, this.ours);
      scan: for (const cell of near) {
        for (const i of cell) {
          const tier = this.fit(line, this.ours[i]);
          if (tier === null) continue;
          if (found.length === MAX_ATTRIBUTE_CANDIDATES) {
            // A crowd: whatever else in these cells it may fit, none of it can be paired.
            for (const crowded of near) crowdedCells.add(crowded);
            break scan;
          }
          found.push({ other: i, tier });
          const back = movementCandidates.get(i);
          if (back === undefined) movementCandidates.set(i, [{ other: j, tier }]);
          else if (back.length < MAX_ATTRIBUTE_CANDIDATES) back.push({ other: j, tier });
          else this.contested[i] = 1;
        }
      }
      if (found.length > 0) lineCandidates.set(j, found);
    }
    for (const cell of crowdedCells) for (const i of cell) this.contested[i] = 1;
    return { lineCandidates, movementCandidates };
  }

  private fit(line: TransactionLine, movement: OurMovement): 0 | 1 | null {
    if (!withinTolerance(movement.quantity, line.quantity, this.tolerances.quantity)) return null;
    if (!amountsAgree(this.tolerances.amount, movement.amount, line.amount)) return null;
    if (!this.window.contains(movement.settlementDate, line.settlementDate)) return null;
    const exact = movement.quantity.eq(line.quantity) && movement.amount.eq(line.amount) && movement.settlementDate === line.settlementDate;
    return exact ? 0 : 1;
  }

  /**
   * What no pass took: a line that still fits free movements is AMBIGUOUS (they are listed and not
   * reported again as missing); a line that fits none is MISSING_OURS; our movements left over are
   * MISSING_THEIRS, one break per instruction.
   */
  reportLeftovers(): void {
    const inAmbiguity = new Uint8Array(this.ours.length);
    const leftoverReferences = new Set<string>();
    this.theirs.forEach((line, j) => {
      if (this.lineDone[j]) return;
      // The reference is the break's identity: two such lines would be two breaks with one key.
      if (leftoverReferences.has(line.reference)) throw DomainError.invalid(`lines[${j}].reference`, `"${line.reference}" appears twice in the statement`);
      leftoverReferences.add(line.reference);
      const free = (this.attributeCandidates.get(j) ?? []).filter((c) => !this.movementDone[c.other]).map((c) => c.other);
      const base = { key: { reference: line.reference }, keyString: `${REFERENCE}${line.reference}`, theirs: lineRecord(line), difference: null, fields: [] };
      if (free.length === 0) {
        this.outcome.break({ ...base, reason: 'MISSING_OURS', ours: null });
        return;
      }
      for (const i of free) {
        inAmbiguity[i] = 1;
        this.outcome.disagree(`${INSTRUCTION}${this.ours[i].instructionId}`);
      }
      this.outcome.break({ ...base, reason: 'AMBIGUOUS', ours: free.map((i) => movementRecord(this.ours[i])) });
    });
    const missing = new Map<string, OurMovement[]>();
    this.ours.forEach((m, i) => {
      if (this.movementDone[i] || inAmbiguity[i]) return;
      const group = missing.get(m.instructionId);
      if (group === undefined) missing.set(m.instructionId, [m]);
      else group.push(m);
    });
    for (const [instructionId, movements] of missing) {
      this.outcome.break({
        reason: 'MISSING_THEIRS',
        key: { instructionId },
        keyString: `${INSTRUCTION}${instructionId}`,
        ours: movements.map(movementRecord),
        theirs: null,
        difference: null,
        fields: [],
      });
    }
  }

  /** Those of `keys` (instruction: and reference: keys) either side still has something under: one scan, no key strings built. */
  stillMentioned(keys: ReadonlySet<string>): Set<string> {
    const references = new Set<string>();
    const instructions = new Set<string>();
    for (const key of keys) {
      if (key.startsWith(REFERENCE)) references.add(key.slice(REFERENCE.length));
      else instructions.add(key.slice(INSTRUCTION.length));
    }
    const mentioned = new Set<string>();
    for (const line of this.theirs) {
      if (references.has(line.reference)) mentioned.add(`${REFERENCE}${line.reference}`);
      if (line.instructionId !== null && instructions.has(line.instructionId)) mentioned.add(`${INSTRUCTION}${line.instructionId}`);
    }
    if (instructions.size > 0) {
      for (const m of this.ours) if (instructions.has(m.instructionId)) mentioned.add(`${INSTRUCTION}${m.instructionId}`);
    }
    return mentioned;
  }
}

/**
 * A transactions statement against our settled movements of the account. The passes run in the
 * configured order (default: INSTRUCTION_ID, then ATTRIBUTES); breaks are keyed `instruction:<id>`
 * (differences and our missing movements) or `reference:<ref>` (their lines we cannot pair).
 * Settlement dates are compared in business days of `market`, the account's market. Linear in
 * lines and movements: every lookup goes through a hash map.
 */
export function reconcileTransactions(
  ours: readonly OurMovement[],
  theirs: readonly TransactionLine[],
  config: ReconciliationConfig,
  market: SettlementMarket,
  openBreakKeys: ReadonlySet<string>,
): ReconciliationOutcome {
  const run = new TransactionReconciliation(ours, theirs, config.TRANSACTION, market);
  for (const key of config.TRANSACTION.keys) {
    if (key === 'INSTRUCTION_ID') run.byInstructionId();
    else run.byAttributes();
  }
  run.reportLeftovers();
  return run.outcome.build(openBreakKeys, [INSTRUCTION, REFERENCE], (keys) => run.stillMentioned(keys));
}
