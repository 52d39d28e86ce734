import { assertCurrency, DomainError, LocalDate } from '@postrade/kernel';
import type { EntityManager } from 'typeorm';
import type { TransactionRunner } from '@postrade/persistence';
import { dailyBpsOfAnnualPercent, effectiveOn, type CashPenaltyRate } from '../../domain/penalty';
import { approveChange, assertProposal, declineChange, ratesOf, type CashPenaltyRateChange } from '../../domain/penalty-rate-change';
import type { CashPenaltyRateRepository } from '../../persistence/cash-penalty-rate.repository';

export interface CashPenaltyRatesView {
  currency: string;
  asOf: string;
  /** The rate in force on `asOf`: the latest approved change effective on or before it. */
  effective: (CashPenaltyRate & { dailyRateBps: string }) | null;
  /** The rates in force over time (approved changes, the last approval for a date winning). */
  rates: CashPenaltyRate[];
  /** Every change, proposed, approved or declined, by effective date. */
  history: CashPenaltyRateChange[];
}

/**
 * The cash penalty rate of each currency (the central bank's overnight credit rate), as
 * effective-dated reference data with four eyes: ops or a supervisor proposes a rate from a date, a
 * supervisor other than the proposer approves (it is then in force from that date for every day not
 * yet assessed; days already assessed keep the rate they were charged) or declines.
 */
export class CashPenaltyRateChanges {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly reader: EntityManager,
    private readonly changes: CashPenaltyRateRepository,
  ) {}

  propose(currency: string, proposal: { effectiveFrom: string; annualPercent: string; reason?: string }, proposedBy: string): Promise<CashPenaltyRateChange> {
    assertCurrency(currency, 'currency');
    assertProposal(proposal);
    return this.transactions.run((em) =>
      this.changes.insert(em, { currency, effectiveFrom: proposal.effectiveFrom, annualPercent: proposal.annualPercent, reason: proposal.reason ?? null, proposedBy }),
    );
  }

  approve(currency: string, changeId: string, approver: string): Promise<CashPenaltyRateChange> {
    return this.decide(currency, changeId, (change) => approveChange(change, approver, new Date().toISOString()));
  }

  decline(currency: string, changeId: string, by: string): Promise<CashPenaltyRateChange> {
    return this.decide(currency, changeId, (change) => declineChange(change, by, new Date().toISOString()));
  }

  async view(currency: string, asOf: string): Promise<CashPenaltyRatesView> {
    assertCurrency(currency, 'currency');
    LocalDate.parse(asOf, 'asOf');
    const history = await this.changes.changes(this.reader, currency);
    const rates = ratesOf(history);
    const effective = effectiveOn(rates, asOf);
    return {
      currency,
      asOf,
      effective: effective === null ? null : { ...effective, dailyRateBps: dailyBpsOfAnnualPercent(effective.annualPercent).toFixed() },
      rates,
      history,
    };
  }

  /** The rates in force of every currency, for a close. */
  async rates(em: EntityManager = this.reader): Promise<CashPenaltyRate[]> {
    return ratesOf(await this.changes.changes(em));
  }

  private decide(currency: string, changeId: string, decision: (change: CashPenaltyRateChange) => CashPenaltyRateChange): Promise<CashPenaltyRateChange> {
    return this.transactions.run(async (em) => {
      const change = await this.changes.lock(em, currency, changeId);
      if (change === null) throw DomainError.notFound('Cash penalty rate change', changeId);
      return this.changes.saveDecision(em, decision(change));
    });
  }
}
