import { withinTolerance, type Decimal } from '@postrade/kernel';
import type { BlotterTrade, FieldDifference, OurTrade, ReconciliationOutcome } from '../model';
import type { ReconciliationConfig, TradeField } from './config';
import { groupBothSides } from './keyed-groups';
import { decimalString, field, MATCH_RULES, mentionedIn, oneOrMany, OutcomeBuilder, singleDifference } from './outcome';

const TRADE = 'trade:';

const tradeRecord = (t: OurTrade | BlotterTrade): Record<string, string> => ({
  ...('tradeId' in t ? { tradeId: t.tradeId } : {}),
  sourceTradeId: t.sourceTradeId,
  isin: t.isin,
  side: t.side,
  quantity: decimalString(t.quantity),
  price: decimalString(t.price),
  currency: t.currency,
  counterpartyLei: t.counterpartyLei,
});

const NUMERIC_FIELDS: readonly TradeField[] = ['quantity', 'price'];

/**
 * Front-to-back: the OMS end-of-day blotter against the trades we captured from that source
 * system on that trade date, per source trade id (`trade:<sourceTradeId>`). Only the configured
 * fields are compared; quantity and price within their TRADE tolerances. A trade id twice on a
 * side is a break of its own (field `occurrences`): which of the two to compare would be a guess.
 */
export function reconcileTrades(
  ours: readonly OurTrade[],
  theirs: readonly BlotterTrade[],
  config: ReconciliationConfig,
  openBreakKeys: ReadonlySet<string>,
): ReconciliationOutcome {
  const { fields: compared, quantity: quantityTolerance, price: priceTolerance } = config.TRADE;
  const tolerance = { quantity: quantityTolerance, price: priceTolerance } as Record<TradeField, Decimal>;
  const outcome = new OutcomeBuilder('TRADE', theirs.length);
  const groups = groupBothSides(ours, theirs, (t) => `${TRADE}${t.sourceTradeId}`, (t) => `${TRADE}${t.sourceTradeId}`);
  for (const [keyString, group] of groups) {
    const sourceTradeId = (group.theirs[0] ?? group.ours[0]).sourceTradeId;
    const base = { key: { sourceTradeId }, keyString, ours: oneOrMany(group.ours.map(tradeRecord)), theirs: oneOrMany(group.theirs.map(tradeRecord)) };
    if (group.ours.length === 0 || group.theirs.length === 0) {
      outcome.break({ ...base, reason: group.ours.length === 0 ? 'MISSING_OURS' : 'MISSING_THEIRS', difference: null, fields: [] });
      continue;
    }
    if (group.ours.length > 1 || group.theirs.length > 1) {
      outcome.break({
        ...base,
        reason: 'DIFFERENT',
        difference: null,
        fields: [field('occurrences', String(group.ours.length), String(group.theirs.length))],
      });
      continue;
    }
    const [our, their] = [group.ours[0], group.theirs[0]];
    const fields: FieldDifference[] = [];
    const numeric: { differs: boolean; ours: Decimal; theirs: Decimal }[] = [];
    let exact = true;
    for (const name of compared) {
      if (NUMERIC_FIELDS.includes(name)) {
        const [o, t] = [our[name] as Decimal, their[name] as Decimal];
        const differs = !withinTolerance(o, t, tolerance[name]);
        numeric.push({ differs, ours: o, theirs: t });
        exact &&= o.eq(t);
        if (differs) fields.push(field(name, decimalString(o), decimalString(t)));
      } else if (our[name] !== their[name]) {
        fields.push(field(name, our[name] as string, their[name] as string));
      }
    }
    if (fields.length > 0) {
      outcome.break({ ...base, reason: 'DIFFERENT', difference: singleDifference(numeric), fields });
      continue;
    }
    outcome.match(exact ? MATCH_RULES.TRADE_EQUAL : MATCH_RULES.TRADE_WITHIN_TOLERANCE, [our.tradeId], [their.sourceTradeId]);
    outcome.agree(keyString);
  }
  return outcome.build(openBreakKeys, [TRADE], (keys) => mentionedIn(keys, '', (key) => groups.has(key)));
}
