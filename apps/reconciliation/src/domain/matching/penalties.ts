import { Decimal, withinTolerance } from '@postrade/kernel';
import type { FieldDifference, OurPenalty, PenaltyLine, ReconciliationOutcome } from '../model';
import { amountTolerance, type ReconciliationConfig } from './config';
import { groupBothSides } from './keyed-groups';
import { decimalString, distinctJoined, field, MATCH_RULES, mentionedIn, oneOrMany, OutcomeBuilder, singleDifference } from './outcome';

const PENALTY = 'penalty:';

const penaltyKey = (p: { instructionId: string; date: string }): string => `${PENALTY}${p.instructionId}:${p.date}`;

const penaltyRecord = (p: OurPenalty | PenaltyLine): Record<string, string> => ({
  ...('penaltyId' in p ? { penaltyId: p.penaltyId } : {}),
  instructionId: p.instructionId,
  date: p.date,
  amount: decimalString(p.amount),
  currency: p.currency,
  direction: p.direction,
});

const total = (items: readonly { amount: Decimal }[]): Decimal => items.reduce((sum, p) => sum.plus(p.amount), new Decimal(0));

/**
 * The CSD's penalty report against the penalties our settlement service assessed, per instruction
 * and day (`penalty:<instructionId>:<date>`): amount within the PENALTY tolerance (0.01 by
 * default), direction and currency equal. Two reports of one key on a side add up, so a duplicate
 * shows as a difference.
 */
export function reconcilePenalties(
  ours: readonly OurPenalty[],
  theirs: readonly PenaltyLine[],
  config: ReconciliationConfig,
  openBreakKeys: ReadonlySet<string>,
): ReconciliationOutcome {
  const outcome = new OutcomeBuilder('PENALTY', theirs.length);
  const groups = groupBothSides(ours, theirs, penaltyKey, penaltyKey);
  for (const [keyString, group] of groups) {
    const { instructionId, date } = group.theirs[0] ?? group.ours[0];
    const base = { key: { instructionId, date }, keyString, ours: oneOrMany(group.ours.map(penaltyRecord)), theirs: oneOrMany(group.theirs.map(penaltyRecord)) };
    if (group.ours.length === 0 || group.theirs.length === 0) {
      outcome.break({ ...base, reason: group.ours.length === 0 ? 'MISSING_OURS' : 'MISSING_THEIRS', difference: null, fields: [] });
      continue;
    }
    const fields: FieldDifference[] = [];
    for (const name of ['direction', 'currency'] as const) {
      const ourValue = distinctJoined(group.ours, (p) => p[name]);
      const theirValue = distinctJoined(group.theirs, (p) => p[name]);
      if (ourValue !== theirValue) fields.push(field(name, ourValue, theirValue));
    }
    const amount = { ours: total(group.ours), theirs: total(group.theirs), differs: false };
    amount.differs = !withinTolerance(amount.ours, amount.theirs, amountTolerance(config.PENALTY.amount, amount.ours));
    if (amount.differs) fields.push(field('amount', decimalString(amount.ours), decimalString(amount.theirs)));
    if (fields.length > 0) {
      outcome.break({ ...base, reason: 'DIFFERENT', difference: singleDifference([amount]), fields });
      continue;
    }
    outcome.match(
      amount.ours.eq(amount.theirs) ? MATCH_RULES.PENALTY_EQUAL : MATCH_RULES.PENALTY_WITHIN_TOLERANCE,
      group.ours.map((p) => p.penaltyId),
      group.theirs.map((p) => `${p.instructionId}:${p.date}`),
    );
    outcome.agree(keyString);
  }
  return outcome.build(openBreakKeys, [PENALTY], (keys) => mentionedIn(keys, '', (key) => groups.has(key)));
}
