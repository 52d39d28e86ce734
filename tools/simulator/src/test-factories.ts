import { tradeAmounts } from './amounts';
import { DEFAULT_OPTIONS, generateScenario, type CustodianPlan, type Scenario, type ScenarioTrade, type TradeTerms } from './scenario';

/** A small generated scenario: its reference data and calendar, for tests that write their own trades. */
export function smallScenario(seed = 'unit', trades = 60): Scenario {
  return generateScenario({ ...DEFAULT_OPTIONS, seed, trades, counterparties: 20 }, 'UNITTS', '2026-12-07');
}

/**
 * One trade of `scenario`, agreed by its counterparty and cleared, with the given terms and
 * custodian outcome (SETTLE unless said otherwise).
 */
export function aTrade(scenario: Scenario, overrides: { id: string; terms?: Partial<TradeTerms>; custodian?: Partial<CustodianPlan>; cancel?: ScenarioTrade['cancel'] }): ScenarioTrade {
  const instrument = scenario.instruments.find((i) => i.settlementMarket === 'EU' && i.desk === 'EQ' && i.isin !== scenario.compliance.restrictedIsin)!;
  const counterparty = scenario.counterparties.find(
    (c) => c.profile === 'AUTO' && c.lei !== scenario.compliance.sanctions.counterpartyLei && c.lei !== scenario.compliance.cappedCounterpartyLei,
  )!;
  const tradeDate = scenario.calendar.tradeDays[0];
  const terms: TradeTerms = {
    tradeDate,
    executionTime: `${tradeDate}T10:00:00.000Z`,
    side: 'BUY',
    isin: instrument.isin,
    quantity: '1000',
    price: '50.25',
    currency: instrument.currency,
    counterpartyLei: counterparty.lei,
    legalEntityLei: scenario.legalEntities[0].lei,
    book: 'BOOK-A',
    commission: '10.00',
    fees: '1.50',
    settlementType: 'DVP',
    ...overrides.terms,
  };
  const amounts = tradeAmounts(instrument, terms);
  return {
    sourceTradeId: overrides.id,
    dayIndex: 0,
    tradeDate,
    slot: 0,
    channel: 'KAFKA',
    versions: [{ version: 1, terms, slot: 0 }],
    duplicate: 'NONE',
    stale: null,
    cancel: overrides.cancel ?? null,
    confirmation: {
      kind: 'AGREE',
      timing: 'NORMAL',
      channel: 'KAFKA',
      slot: 1,
      resend: false,
      body: {
        confirmationId: `CF-${overrides.id}`,
        senderLei: terms.counterpartyLei,
        receiverLei: terms.legalEntityLei,
        tradeDate,
        settlementDate: amounts.settlementDate,
        side: terms.side === 'BUY' ? 'SELL' : 'BUY',
        isin: terms.isin,
        quantity: terms.quantity,
        price: terms.price,
        currency: terms.currency,
        netAmount: amounts.netAmount,
      },
    },
    ops: { forceMatch: false, holdAction: 'NONE' },
    custodian: {
      outcome: 'SETTLE',
      isd: amounts.settlementDate,
      laterDay: scenario.calendar.lastDay,
      partialQuantity: null,
      partialAmount: null,
      failingParty: null,
      reasonCode: null,
      channels: ['REST', 'REST', 'REST'],
      ...overrides.custodian,
    },
  };
}

export function withTrades(scenario: Scenario, trades: ScenarioTrade[]): Scenario {
  return { ...scenario, trades };
}
