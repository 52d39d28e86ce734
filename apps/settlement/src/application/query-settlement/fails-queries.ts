import { CSDR_CATEGORIES } from '@postrade/contracts';
import { CURRENCY_CODES, Decimal, LocalDate, marketToday, minorUnits, nextSettlementBusinessDay, SETTLEMENT_MARKETS, type SettlementMarket } from '@postrade/kernel';
import type { EntityManager } from 'typeorm';
import { ageBucket, failAge, FAIL_AGE_BUCKETS, PENALTY_MARKETS, type FailAgeBucket } from '../../domain/penalty';
import { resolvedCashRates } from '../../domain/penalty-close';
import { ratesOf } from '../../domain/penalty-rate-change';
import type { CashPenaltyRateRepository } from '../../persistence/cash-penalty-rate.repository';
import type { FailRow, FailViewParameters, PenaltyRepository } from '../../persistence/penalty.repository';
import type { ReferenceRepository } from '../../persistence/reference.repository';

export interface FailView extends FailRow {
  /** Settlement business days failed by the end of `day`, counting the ISD as 1. */
  ageInBusinessDays: number;
  ageBucket: FailAgeBucket;
}

interface PayReceive {
  pay: string;
  receive: string;
}

export interface FailsSummary {
  /** Instructions failing at the day's close. */
  failing: number;
  buckets: { bucket: FailAgeBucket; count: number }[];
  /** Per currency: the day's penalties, those to date of what is failing, and tomorrow's forecast for it. */
  byCurrency: { currency: string; failing: number; day: PayReceive; toDate: PayReceive; forecast: PayReceive }[];
}

/**
 * The fails view: what failed at a closed day's close (the state the close recorded), how old each
 * fail is in business days of its market, what it has cost so far and that day, and what the next
 * business day will cost if it goes on.
 */
export class FailsQueries {
  constructor(
    private readonly reader: EntityManager,
    private readonly penalties: PenaltyRepository,
    private readonly reference: ReferenceRepository,
    private readonly cashRates: CashPenaltyRateRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Without `asOf`: the latest day closed, else the EU's business today. */
  async defaultAsOf(): Promise<string> {
    const rows: { day: string | null }[] = await this.reader.query(`select to_char(max(day), 'YYYY-MM-DD') as day from settlement_day_closes`);
    return rows[0]?.day ?? marketToday('EU', this.now());
  }

  async page(asOf: string, after: string | undefined, limit: number): Promise<FailView[]> {
    const rows = await this.penalties.fails(this.reader, await this.parameters(asOf), { after, limit });
    return rows.map(withAge);
  }

  async summary(asOf: string): Promise<FailsSummary> {
    const rows = (await this.penalties.fails(this.reader, await this.parameters(asOf))).map(withAge);
    const counts = new Map<FailAgeBucket, number>(FAIL_AGE_BUCKETS.map((b) => [b, 0]));
    const currencies = new Map<string, { failing: number; sums: Record<'day' | 'toDate' | 'forecast', { pay: Decimal; receive: Decimal }> }>();
    const zero = () => ({ pay: new Decimal(0), receive: new Decimal(0) });
    for (const row of rows) {
      counts.set(row.ageBucket, (counts.get(row.ageBucket) ?? 0) + 1);
      const entry = currencies.get(row.currency) ?? { failing: 0, sums: { day: zero(), toDate: zero(), forecast: zero() } };
      entry.failing += 1;
      if (row.penaltyAmount !== null) add(entry.sums.day, row.penaltyDirection, row.penaltyAmount);
      entry.sums.toDate.pay = entry.sums.toDate.pay.plus(row.penaltiesToDate.pay);
      entry.sums.toDate.receive = entry.sums.toDate.receive.plus(row.penaltiesToDate.receive);
      if (row.forecast !== null) add(entry.sums.forecast, row.forecast.direction, row.forecast.amount);
      currencies.set(row.currency, entry);
    }
    const text = (p: { pay: Decimal; receive: Decimal }, currency: string) => ({ pay: p.pay.toFixed(minorUnits(currency)), receive: p.receive.toFixed(minorUnits(currency)) });
    return {
      failing: rows.length,
      buckets: FAIL_AGE_BUCKETS.map((bucket) => ({ bucket, count: counts.get(bucket) ?? 0 })),
      byCurrency: [...currencies.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, e]) => ({ currency, failing: e.failing, day: text(e.sums.day, currency), toDate: text(e.sums.toDate, currency), forecast: text(e.sums.forecast, currency) })),
    };
  }

  private async parameters(asOf: string): Promise<FailViewParameters> {
    LocalDate.parse(asOf, 'asOf');
    const rates = await this.reference.penaltyRates(this.reader);
    return {
      asOf,
      penaltyMarkets: [...PENALTY_MARKETS],
      nextDays: SETTLEMENT_MARKETS.map((market) => ({ market, day: nextSettlementBusinessDay(market, asOf) })),
      categoryRates: CSDR_CATEGORIES.flatMap((category) => rates.filter((r) => r.category === category)),
      cashRates: resolvedCashRates(ratesOf(await this.cashRates.changes(this.reader))),
      minorUnits: CURRENCY_CODES.map((currency) => ({ currency, units: minorUnits(currency) })),
    };
  }
}

function withAge(row: FailRow): FailView {
  const age = failAge(row.settlementMarket as SettlementMarket, row.intendedSettlementDate, row.day);
  return { ...row, ageInBusinessDays: age, ageBucket: ageBucket(age) };
}

function add(sums: { pay: Decimal; receive: Decimal }, direction: string | null, amount: string): void {
  if (direction === 'PAY') sums.pay = sums.pay.plus(amount);
  else sums.receive = sums.receive.plus(amount);
}
