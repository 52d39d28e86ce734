import { CSDR_CATEGORIES } from '@postrade/contracts';
import { CURRENCY_CODES, DomainError, LocalDate, marketToday, minorUnits, SETTLEMENT_MARKETS, type SettlementMarket } from '@postrade/kernel';
import type { EntityManager } from 'typeorm';
import type { TransactionRunner } from '@postrade/persistence';
import { PENALTY_MARKETS } from '../../domain/penalty';
import { penaltyDaysUpTo, resolvedCashRates } from '../../domain/penalty-close';
import { ratesOf } from '../../domain/penalty-rate-change';
import { CashPenaltyRateRepository } from '../../persistence/cash-penalty-rate.repository';
import { marketsClosing, marketsThatReached } from '../../domain/settlement-day';
import type { PenaltyRepository, CloseParameters } from '../../persistence/penalty.repository';
import type { ReferenceRepository } from '../../persistence/reference.repository';
import type { InstructionEvent, InstructionEvents } from '../instruction-resource';

export interface SettlementDayClose {
  date: string;
  /** Instructions that became FAILING with this close. */
  newlyFailing: number;
  /** Fail days recorded by this close (an instruction already closed for the day is not counted again). */
  failDays: number;
  penaltiesAssessed: number;
}

/** Instructions per transaction: bounded memory and lock time, whatever the number due. */
export const DEFAULT_CLOSE_CHUNK = 10_000;
const NO_INSTRUCTION = '00000000-0000-0000-0000-000000000000';

/**
 * End of settlement day D: every instruction due on or before D and not settled in full is
 * FAILING, gets a fail day for D (if D is a settlement business day of its market, and D has
 * begun in the market's own time zone: each market's business today, never UTC's) and, where
 * CSDR penalties apply and the inputs are on file, D's penalty. Runs set-based in chunks of
 * instructions, each chunk one transaction with its events; a close interrupted part-way, or run
 * again, picks up what is due and adds nothing twice (unique per instruction and day).
 */
export class CloseSettlementDayHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    /** For the reads outside the close's transactions (the rates). */
    private readonly reader: EntityManager,
    private readonly penalties: PenaltyRepository,
    private readonly reference: ReferenceRepository,
    private readonly events: InstructionEvents,
    private readonly chunk: number = DEFAULT_CLOSE_CHUNK,
    private readonly now: () => Date = () => new Date(),
    /** The cash penalty rates in force (approved changes). */
    private readonly cashRateChanges: CashPenaltyRateRepository = new CashPenaltyRateRepository(),
  ) {}

  async close(day: string, closedBy: string): Promise<SettlementDayClose> {
    LocalDate.parse(day, 'date');
    const now = this.now();
    if (marketsThatReached(day, now).length === 0) {
      const furthestAhead = SETTLEMENT_MARKETS.map((market) => marketToday(market, now)).sort().pop();
      throw DomainError.unprocessable(`${day} is in the future in every settlement market (the furthest ahead is on ${furthestAhead}): it cannot be closed`, [
        { field: 'date', message: 'must not be in the future' },
      ]);
    }
    const parameters = await this.parameters(day, now);
    const totals: SettlementDayClose = { date: day, newlyFailing: 0, failDays: 0, penaltiesAssessed: 0 };
    let after = NO_INSTRUCTION;
    for (;;) {
      const result = await this.transactions.run(async (em) => {
        const chunk = await this.penalties.closeChunk(em, parameters, after, this.chunk);
        const events: InstructionEvent[] = [
          ...chunk.newlyFailing.map((instructionId): InstructionEvent => ({ instructionId, event: 'failed', change: { reason: 'END_OF_SETTLEMENT_DAY', effectiveDate: day } })),
          ...chunk.penalties.map((penalty): InstructionEvent => ({ instructionId: penalty.instructionId, event: 'penalty-assessed', change: { penalty } })),
        ];
        await this.events.publish(em, events, { correlationId: `settlement-day-close:${day}` });
        return chunk;
      });
      totals.newlyFailing += result.newlyFailing.length;
      totals.failDays += result.failDays;
      totals.penaltiesAssessed += result.penalties.length;
      if (result.last === null) break;
      after = result.last;
    }
    await this.transactions.run((em) => this.penalties.recordClose(em, day, closedBy, { newlyFailing: totals.newlyFailing, failDays: totals.failDays, penalties: totals.penaltiesAssessed }));
    return totals;
  }

  /**
   * The rates (every effective-dated row: a late-matching penalty is charged at each of its days'
   * rates) and calendars, resolved once for the whole close.
   */
  private async parameters(day: string, now: Date): Promise<CloseParameters> {
    const rates = await this.reference.penaltyRates(this.reader);
    const cashRates = ratesOf(await this.cashRateChanges.changes(this.reader));
    return {
      day,
      openMarkets: marketsClosing(day, now),
      penaltyMarkets: [...PENALTY_MARKETS],
      categoryRates: CSDR_CATEGORIES.flatMap((category) => rates.filter((r) => r.category === category)),
      cashRates: resolvedCashRates(cashRates),
      minorUnits: CURRENCY_CODES.map((currency) => ({ currency, units: minorUnits(currency) })),
      penaltyBusinessDays: PENALTY_MARKETS.flatMap((market: SettlementMarket) => penaltyDaysUpTo(market, day).map((d) => ({ market, day: d }))),
    };
  }
}
