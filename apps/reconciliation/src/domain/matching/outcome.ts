import { toDecimalString, type Decimal } from '@postrade/kernel';
import type { BreakFinding, BreakType, FieldDifference, MatchRecord, ReconciliationOutcome } from '../model';

/** Every rule a match can record. The service stores the name; a report groups by it. */
export const MATCH_RULES = {
  POSITION_EQUAL: 'POSITION_EQUAL',
  POSITION_WITHIN_TOLERANCE: 'POSITION_WITHIN_TOLERANCE',
  CASH_EQUAL: 'CASH_EQUAL',
  CASH_WITHIN_TOLERANCE: 'CASH_WITHIN_TOLERANCE',
  INSTRUCTION_ID_ONE_TO_ONE: 'INSTRUCTION_ID_ONE_TO_ONE',
  INSTRUCTION_ID_ONE_TO_MANY: 'INSTRUCTION_ID_ONE_TO_MANY',
  INSTRUCTION_ID_MANY_TO_ONE: 'INSTRUCTION_ID_MANY_TO_ONE',
  INSTRUCTION_ID_MANY_TO_MANY: 'INSTRUCTION_ID_MANY_TO_MANY',
  /** Same ISIN, direction, currency, quantity, amount and settlement date. */
  ATTRIBUTES: 'ATTRIBUTES',
  ATTRIBUTES_WITHIN_TOLERANCE: 'ATTRIBUTES_WITHIN_TOLERANCE',
  PENALTY_EQUAL: 'PENALTY_EQUAL',
  PENALTY_WITHIN_TOLERANCE: 'PENALTY_WITHIN_TOLERANCE',
  TRADE_EQUAL: 'TRADE_EQUAL',
  TRADE_WITHIN_TOLERANCE: 'TRADE_WITHIN_TOLERANCE',
} as const;
export type MatchRule = (typeof MATCH_RULES)[keyof typeof MATCH_RULES];

/** Decimal strings at the edge, never "-0". */
export const decimalString = (value: Decimal): string => toDecimalString(value);

/** One item as a break shows it: the single record, or the list when there are several. */
export function oneOrMany(records: Record<string, string>[]): Record<string, string> | Record<string, string>[] | null {
  if (records.length === 0) return null;
  return records.length === 1 ? records[0] : records;
}

/**
 * The difference a break carries: theirs − ours of the one numeric field that differs; null when
 * none or several do (the fields list then says it all).
 */
export function singleDifference(numeric: { differs: boolean; ours: Decimal; theirs: Decimal }[]): string | null {
  const differing = numeric.filter((n) => n.differs);
  return differing.length === 1 ? decimalString(differing[0].theirs.minus(differing[0].ours)) : null;
}

export type BreakDraft = Omit<BreakFinding, 'type'>;

/**
 * Collects one reconciliation's matches, breaks and agreed keys. A key is agreed only if no break
 * of this run has it, whatever the order the two were found in: an instruction partly matched and
 * partly missing is not in agreement. Open break keys that neither side mentions any more are
 * agreed at the end (the statement no longer reports what the break was about, nor do we).
 * Agreed keys are kept in a plain list (a million-line statement agrees on two million keys):
 * callers agree each key at most once.
 */
export class OutcomeBuilder {
  private readonly matches: MatchRecord[] = [];
  private readonly breaks: BreakFinding[] = [];
  private readonly agreed: string[] = [];
  private readonly disagreed = new Set<string>();

  constructor(
    private readonly type: BreakType,
    private readonly linesCompared: number,
  ) {}

  match(rule: MatchRule, ours: string[], theirs: string[]): void {
    this.matches.push({ rule, ours, theirs });
  }

  agree(keyString: string): void {
    this.agreed.push(keyString);
  }

  /** The key is not in agreement, though no break of its own may be raised for it (e.g. part of an ambiguity). */
  disagree(keyString: string): void {
    this.disagreed.add(keyString);
  }

  break(draft: BreakDraft): void {
    this.disagree(draft.keyString);
    this.breaks.push({ type: this.type, ...draft });
  }

  /**
   * Only open keys with one of `prefixes` belong to this reconciler; the others are left alone.
   * `stillMentioned(keys)` returns those of `keys` either side still has something under.
   */
  build(
    openBreakKeys: ReadonlySet<string>,
    prefixes: readonly string[],
    stillMentioned: (keys: ReadonlySet<string>) => ReadonlySet<string>,
  ): ReconciliationOutcome {
    const agreed = this.disagreed.size === 0 ? this.agreed : this.agreed.filter((key) => !this.disagreed.has(key));
    const open = new Set<string>();
    for (const key of openBreakKeys) {
      if (prefixes.some((p) => key.startsWith(p)) && !this.disagreed.has(key)) open.add(key);
    }
    if (open.size > 0) {
      const mentioned = stillMentioned(open);
      for (const key of open) if (!mentioned.has(key)) agreed.push(key);
    }
    return { linesCompared: this.linesCompared, matches: this.matches, breaks: this.breaks, agreedKeys: agreed };
  }
}

/** The keys of `keys` (all starting with `prefix`) whose remainder `has` knows: for stillMentioned over a map. */
export function mentionedIn(keys: ReadonlySet<string>, prefix: string, has: (key: string) => boolean): Set<string> {
  const mentioned = new Set<string>();
  for (const key of keys) if (has(key.slice(prefix.length))) mentioned.add(key);
  return mentioned;
}

export const field = (name: string, ours: string | null, theirs: string | null): FieldDifference => ({ field: name, ours, theirs });

/** Distinct values in first-seen order, joined: how a group with mixed values shows one field. */
export function distinctJoined<T>(items: readonly T[], value: (item: T) => string): string {
  if (items.length === 1) return value(items[0]);
  return [...new Set(items.map(value))].join(',');
}
