import { Decimal, minorUnits, parseDecimal, toDecimalString } from '@postrade/kernel';
import type { AssetClass, CsdrCategory, FailReasonCode, FailingParty, PriceType, SettlementType, TradeSide } from '@postrade/contracts';
import { tradeAmounts, proRata } from './amounts';
import { HOME_CURRENCY, nextSettlementDay, simulationCalendar, type SimulatedMarket, type SimulationCalendar } from './days';
import { letterCode, makeBic, makeIsin, makeLei } from './identifiers';
import { Prng, zipfWeights } from './prng';

/** What a run is asked for (the command-line options that shape the scenario). */
export interface ScenarioOptions {
  trades: number;
  days: number;
  seed: string;
  /** Trades per second the upstream system offers. */
  rate: number;
  /** Share of confirmations out of tolerance (price, quantity or net amount). */
  breakShare: number;
  /** Share of instructions that fail at the depository. */
  failShare: number;
  counterparties: number;
  legalEntities: 1 | 2;
  /** Share of statement lines and blotter trades sent to reconciliation with a difference injected (0: none). */
  statementBreakShare: number;
  /**
   * Share of settling instructions the custodian first rejects for a bad SSI of the counterparty
   * (unknown safekeeping account, SAFE), which operations repair so that settlement re-sends them
   * (absent in scenarios before it: none).
   */
  ssiRepairShare?: number;
  /** Share of the party holds set on instructions the custodian has that it refuses (HOLD_REJECTED; absent: none). */
  holdRejectShare?: number;
}

export const DEFAULT_OPTIONS: ScenarioOptions = {
  trades: 1000,
  days: 1,
  seed: '1',
  rate: 25,
  breakShare: 0.08,
  failShare: 0.1,
  counterparties: 200,
  legalEntities: 1,
  statementBreakShare: 0.02,
  ssiRepairShare: 0.02,
  holdRejectShare: 0.3,
};

export type Channel = 'KAFKA' | 'REST';
export type StatusChannel = 'KAFKA' | 'REST' | 'XML';

export interface CouponTermsPlan {
  couponRate: string;
  couponFrequency: 1 | 2 | 4 | 12;
  dayCount: 'ACT_ACT_ICMA' | 'THIRTY_360' | 'THIRTY_E_360' | 'ACT_360' | 'ACT_365F';
  issueDate: string;
  maturityDate: string;
  exCouponDays?: number;
}

export interface ScenarioInstrument {
  isin: string;
  description: string;
  currency: string;
  assetClass: AssetClass;
  priceType: PriceType;
  settlementMarket: SimulatedMarket;
  csdrCategory: CsdrCategory;
  coupon: CouponTermsPlan | null;
  /** A typical price, a price tick and a lot: trades are whole lots at whole ticks around it. */
  basePrice: string;
  tick: string;
  lot: string;
  /** Book family: EQ for shares, FI for bonds. */
  desk: 'EQ' | 'FI';
}

export interface ScenarioCounterparty {
  lei: string;
  name: string;
  aliases: string[];
  country: string;
  bic: string;
  /** 1 = the biggest: trades are drawn with Zipf-like weights by rank. */
  rank: number;
  /** MANUAL: its matching profile does not auto-affirm, operations affirm. */
  profile: 'AUTO' | 'MANUAL';
}

export interface ScenarioLegalEntity {
  lei: string;
  name: string;
  bic: string;
}

export interface ScenarioSsi {
  lei: string;
  market: SimulatedMarket;
  currency: string;
  agentBic: string;
  safekeepingAccount: string;
  cashAccount: string;
  placeOfSettlement: string;
}

/** A trade as the upstream system reports it (the trade submission's fields). */
export interface TradeTerms {
  tradeDate: string;
  executionTime: string;
  side: TradeSide;
  isin: string;
  quantity: string;
  price: string;
  currency: string;
  counterpartyLei: string;
  legalEntityLei: string;
  book: string;
  commission: string;
  fees: string;
  settlementType: SettlementType;
  /** Given explicitly by some upstream messages (the standard date); else trade capture derives it. */
  settlementDate?: string;
}

export interface TradeVersionPlan {
  version: number;
  terms: TradeTerms;
  /** Position in the day's stream of upstream and counterparty messages. */
  slot: number;
  /** An AMEND sent before its NEW: parked by trade capture until the NEW arrives. */
  beforeNew?: boolean;
}

export interface ConfirmationBody {
  confirmationId: string;
  senderLei: string;
  receiverLei: string;
  tradeDate: string;
  settlementDate: string;
  side: TradeSide;
  isin: string;
  quantity: string;
  price: string;
  currency: string;
  netAmount: string;
  ourReference?: string;
}

export type ConfirmationKind = 'AGREE' | 'PRICE' | 'QUANTITY' | 'NET' | 'MISSING';

export interface ConfirmationPlan {
  kind: ConfirmationKind;
  /** EARLY: before our trade (alleged first); LATE: the next processing day, after operations' cut-off. */
  timing: 'EARLY' | 'NORMAL' | 'LATE';
  channel: Channel;
  slot: number;
  /** Sent twice with the same terms (no second effect). */
  resend: boolean;
  body: ConfirmationBody | null;
}

/**
 * SETTLE on the intended date; PARTIAL_SETTLE part then the rest the next day; FAIL_SETTLE failing
 * (matched) then settled the next day; FAIL_OPEN failing (matched) to the end; FAIL_UNMATCHED
 * failing while still unmatched at the depository (no CSDR penalty); REJECT; PARTIAL_CANCEL part,
 * then the trade is cancelled upstream.
 */
export type CustodianOutcome = 'SETTLE' | 'PARTIAL_SETTLE' | 'FAIL_SETTLE' | 'FAIL_OPEN' | 'FAIL_UNMATCHED' | 'REJECT' | 'PARTIAL_CANCEL';

/** What the custodian reports for the trade's instruction, if the trade is instructed. */
export interface CustodianPlan {
  outcome: CustodianOutcome;
  isd: string;
  /** The next settlement day: when a failed trade or the rest of a partial settles. */
  laterDay: string;
  partialQuantity: string | null;
  partialAmount: string | null;
  failingParty: FailingParty | null;
  reasonCode: FailReasonCode | null;
  /** The channel of each report, in order. */
  channels: StatusChannel[];
  /**
   * Rejected first, on the intended date, for a bad SSI of the counterparty (the reason code, e.g.
   * SAFE: unknown safekeeping account); operations then store its corrected SSI (the safekeeping
   * account given here, new to the platform) and settlement re-sends the instruction, which the
   * custodian answers as `outcome` says. Absent: not rejected.
   */
  ssiRepair?: { reasonCode: string; safekeepingAccount: string };
  /**
   * The trade is on the custodian's books when the mid-day sanctions list holds it: the custodian
   * answers settlement's hold request with HOLD_CONFIRMED or refuses it (HOLD_REJECTED, reason
   * code given). Absent: no hold request is certain for it.
   */
  holdAnswer?: { status: 'HOLD_CONFIRMED' } | { status: 'HOLD_REJECTED'; reasonCode: string };
}

export interface ScenarioTrade {
  sourceTradeId: string;
  dayIndex: number;
  tradeDate: string;
  slot: number;
  /** How the upstream system reports this trade (all its versions and its cancel go the same way). */
  channel: Channel;
  /** Versions that apply, ascending; the first is the NEW (version 1). */
  versions: TradeVersionPlan[];
  /** NEW sent again: REPLAY with a new message id (acknowledged REPLAYED), REDELIVER the same message. */
  duplicate: 'NONE' | 'REPLAY' | 'REDELIVER';
  /** An AMEND below the final version with other content, sent after it: rejected as stale. */
  stale: TradeVersionPlan | null;
  cancel: { version: number; when: 'INTRADAY' | 'AFTER_PARTIAL'; slot: number; reason: string } | null;
  confirmation: ConfirmationPlan;
  ops: { forceMatch: boolean; holdAction: 'RELEASE' | 'REJECT' | 'NONE' };
  custodian: CustodianPlan | null;
}

export interface SanctionsPlan {
  source: string;
  version: string;
  counterpartyLei: string;
  entryId: string;
  /** Loaded during this day's trading, after this slot. */
  dayIndex: number;
  slot: number;
  /** Entries taken from the repository's SDN fixture, loaded with ours. */
  sdnEntries: number;
}

export interface Scenario {
  format: 1;
  seed: string;
  runTag: string;
  sourceSystem: string;
  today: string;
  options: ScenarioOptions;
  calendar: SimulationCalendar;
  legalEntities: ScenarioLegalEntity[];
  counterparties: ScenarioCounterparty[];
  instruments: ScenarioInstrument[];
  ssis: ScenarioSsi[];
  profiles: { auto: string; manual: string };
  compliance: {
    restrictedIsin: string;
    watchIsin: string;
    sanctions: SanctionsPlan;
    cappedCounterpartyLei: string;
    limits: { counterpartyLei: string; currency: string; limit: string }[];
  };
  referencePrices: { isin: string; date: string; price: string; currency: string }[];
  trades: ScenarioTrade[];
}

const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NL', 'JP', 'CH', 'IE', 'LU', 'CA'];
const CSD: Record<SimulatedMarket, string> = { US: 'DTCYUS33', EU: 'DAKVDEFF', UK: 'CRSTGB22', JP: 'JJSDJPJT' };
const NAME_SYLLABLES = ['var', 'nel', 'quo', 'strum', 'tal', 'bri', 'zen', 'mor', 'kai', 'lu', 'dra', 'vex', 'pol', 'yr', 'sand', 'oth', 'mir', 'gal', 'tor', 'ven'];
const NAME_SUFFIXES = ['Capital', 'Securities', 'Markets', 'Partners', 'Investments', 'Brokerage', 'Asset Management', 'Trading'];

/** A run tag of six letters from the seed and the time: unique identifiers per run on a kept platform. */
export function runTagOf(seed: string, time: number): string {
  return new Prng(`${seed}@${time}`).letters(6);
}

/** Everything that happens in a run, generated from the seed alone (plus the run tag and today). */
export function generateScenario(options: ScenarioOptions, runTag: string, today: string): Scenario {
  if (!/^[A-Z]{6}$/.test(runTag)) throw new Error(`run tag ${runTag} must be six upper-case letters`);
  const root = new Prng(options.seed);
  const calendar = simulationCalendar(options.days, today);
  const legalEntities = makeLegalEntities(runTag, options.legalEntities);
  const counterparties = makeCounterparties(root.fork('counterparties'), runTag, options.counterparties);
  const instruments = makeInstruments(root.fork('instruments'), runTag);
  const sourceSystem = `SIM${runTag}`;
  const profiles = { auto: `SIM-${runTag}-AUTO`, manual: `SIM-${runTag}-MANUAL` };

  const byRank = [...counterparties].sort((a, b) => a.rank - b.rank);
  // The sanctioned counterparty gets a name of random letters, like no other counterparty's (whose
  // names are built from syllables and carry the run tag): screening must hit it, and nothing else.
  // Random per run (the tag): a counterparty of an earlier run with the same seed must not hit this list.
  const distinct = root.fork(`sanctioned/${runTag}`);
  const sanctioned = byRank[Math.min(6, byRank.length - 1)];
  sanctioned.name = `${capitalised(distinct.letters(9))} ${capitalised(distinct.letters(8))} Holdings`;
  sanctioned.aliases = [];
  const capped = byRank[Math.min(11, byRank.length - 1)];
  const eligibleForRestriction = instruments.filter((i) => i.desk === 'EQ' && i.settlementMarket !== 'EU');
  const restricted = eligibleForRestriction[eligibleForRestriction.length - 1];
  const watched = instruments.filter((i) => i.desk === 'EQ')[1];

  const trades = makeTrades(root.fork('trades'), options, runTag, calendar, counterparties, instruments, legalEntities, sanctioned.lei);
  const ssis = makeSsis(trades, counterparties, legalEntities, instruments);

  const firstDayTrades = trades.filter((t) => t.dayIndex === 0).length;
  const sanctions: SanctionsPlan = {
    source: `SIM-${runTag}`,
    version: calendar.tradeDays[0],
    counterpartyLei: sanctioned.lei,
    entryId: `SIM-${runTag}-1`,
    dayIndex: 0,
    slot: Math.floor(firstDayTrades / 2) + 0.5,
    sdnEntries: 300,
  };
  // Forks of their own: the draws above (and so every earlier scenario of a seed) stay as they were.
  planSsiRepairs(root.fork('ssi-repairs'), options, trades, instruments, ssis, {
    restrictedIsin: restricted.isin,
    heldLeis: new Set([sanctioned.lei, capped.lei]),
  });
  planHoldAnswers(root.fork('hold-answers'), options, trades, sanctions, new Set(byRank.filter((c) => c.profile === 'MANUAL').map((c) => c.lei)), { restrictedIsin: restricted.isin, cappedLei: capped.lei });
  const limits = [
    ...CURRENCIES.map((currency) => ({ counterpartyLei: capped.lei, currency, limit: '1.00' })),
    ...byRank.slice(0, 3).flatMap((cp) => CURRENCIES.map((currency) => ({ counterpartyLei: cp.lei, currency, limit: '1000000000000.00' }))),
  ];

  const prices = root.fork('reference-prices');
  const referencePrices = instruments
    .filter((i) => i.settlementMarket === 'EU' || i.settlementMarket === 'UK')
    .flatMap((instrument) =>
      calendar.processingDays.map((date) => ({
        isin: instrument.isin,
        date,
        price: toDecimalString(new Decimal(instrument.basePrice).plus(new Decimal(instrument.tick).times(prices.int(-20, 20)))),
        currency: instrument.currency,
      })),
    );

  return {
    format: 1,
    seed: options.seed,
    runTag,
    sourceSystem,
    today,
    options,
    calendar,
    legalEntities,
    counterparties,
    instruments,
    ssis,
    profiles,
    compliance: { restrictedIsin: restricted.isin, watchIsin: watched.isin, sanctions, cappedCounterpartyLei: capped.lei, limits },
    referencePrices,
    trades,
  };
}

function capitalised(word: string): string {
  return word[0] + word.slice(1).toLowerCase();
}

function makeLegalEntities(tag: string, count: number): ScenarioLegalEntity[] {
  return Array.from({ length: count }, (_, i) => ({
    lei: makeLei(tag, 'LE', i + 1),
    name: `Postrade Simulated Fund ${i + 1} ${tag}`,
    bic: makeBic(letterCode(100 + i), 'GB', 'XXX'),
  }));
}

function makeCounterparties(rng: Prng, tag: string, count: number): ScenarioCounterparty[] {
  if (count < 20) throw new Error('--counterparties must be at least 20');
  const word = () => {
    const parts = rng.int(2, 3);
    let text = '';
    for (let i = 0; i < parts; i++) text += rng.pick(NAME_SYLLABLES);
    return text[0].toUpperCase() + text.slice(1);
  };
  const names = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    let name = '';
    do name = `${word()} ${word()} ${rng.pick(NAME_SUFFIXES)} ${tag}`;
    while (names.has(name));
    names.add(name);
    const country = rng.pick(COUNTRIES);
    return {
      lei: makeLei(tag, 'CP', i + 1),
      name,
      aliases: rng.chance(0.3) ? [`${name.split(' ').slice(0, 2).join(' ')} ${tag}`] : [],
      country,
      bic: makeBic(letterCode(2000 + i), country),
      rank: i + 1,
      profile: i % 10 === 4 ? 'MANUAL' : 'AUTO',
    };
  });
}

function makeInstruments(rng: Prng, tag: string): ScenarioInstrument[] {
  let serial = 0;
  const isin = (country: string) => makeIsin(country, tag, ++serial);
  const share = (country: string, market: SimulatedMarket, n: number, category: CsdrCategory = 'LIQUID_SHARE'): ScenarioInstrument => {
    const currency = HOME_CURRENCY[market];
    const jpy = currency === 'JPY';
    return {
      isin: isin(country),
      description: `Sim ${market} Equity ${n} ${tag}`,
      currency,
      assetClass: 'EQUITY',
      priceType: 'UNIT',
      settlementMarket: market,
      csdrCategory: category,
      coupon: null,
      basePrice: jpy ? String(rng.int(800, 9000)) : toDecimalString(new Decimal(rng.int(1500, 40000)).dividedBy(100)),
      tick: jpy ? '1' : '0.01',
      lot: '100',
      desk: 'EQ',
    };
  };
  const bond = (country: string, market: SimulatedMarket, assetClass: AssetClass, category: CsdrCategory, description: string, coupon: CouponTermsPlan): ScenarioInstrument => ({
    isin: isin(country),
    description: `${description} ${tag}`,
    currency: HOME_CURRENCY[market],
    assetClass,
    priceType: 'PERCENT_OF_PAR',
    settlementMarket: market,
    csdrCategory: category,
    coupon,
    basePrice: toDecimalString(new Decimal(rng.int(9400, 10300)).dividedBy(100)),
    tick: '0.01',
    lot: '10000',
    desk: 'FI',
  });
  return [
    share('US', 'US', 1), share('US', 'US', 2), share('US', 'US', 3), share('US', 'US', 4), share('US', 'US', 5),
    share('DE', 'EU', 1), share('FR', 'EU', 2), share('DE', 'EU', 3), share('NL', 'EU', 4), share('FR', 'EU', 5, 'ILLIQUID_SHARE'),
    share('GB', 'UK', 1), share('GB', 'UK', 2), share('GB', 'UK', 3),
    share('JP', 'JP', 1), share('JP', 'JP', 2), share('JP', 'JP', 3),
    bond('US', 'US', 'GOVT_BOND', 'SOVEREIGN_DEBT', 'Sim UST 4.25% 2034', {
      couponRate: '4.25', couponFrequency: 2, dayCount: 'ACT_ACT_ICMA', issueDate: '2024-11-15', maturityDate: '2034-11-15',
    }),
    bond('DE', 'EU', 'GOVT_BOND', 'SOVEREIGN_DEBT', 'Sim Bund 2.5% 2034', {
      couponRate: '2.5', couponFrequency: 1, dayCount: 'ACT_ACT_ICMA', issueDate: '2024-02-15', maturityDate: '2034-02-15',
    }),
    bond('FR', 'EU', 'CORP_BOND', 'OTHER_DEBT', 'Sim Corp 3.75% 2030', {
      couponRate: '3.75', couponFrequency: 1, dayCount: 'THIRTY_E_360', issueDate: '2023-06-20', maturityDate: '2030-06-20',
    }),
    bond('GB', 'UK', 'GOVT_BOND', 'SOVEREIGN_DEBT', 'Sim Gilt 4.125% 2029', {
      couponRate: '4.125', couponFrequency: 2, dayCount: 'ACT_ACT_ICMA', issueDate: '2019-01-22', maturityDate: '2029-07-22', exCouponDays: 7,
    }),
  ];
}

/** Our SSI and each counterparty's for every market and currency the trades use. */
function makeSsis(trades: ScenarioTrade[], counterparties: ScenarioCounterparty[], legalEntities: ScenarioLegalEntity[], instruments: ScenarioInstrument[]): ScenarioSsi[] {
  const instrumentOf = new Map(instruments.map((i) => [i.isin, i]));
  const bicOf = new Map<string, string>([...counterparties.map((c) => [c.lei, c.bic] as const), ...legalEntities.map((l) => [l.lei, l.bic] as const)]);
  const needed = new Map<string, ScenarioSsi>();
  const add = (lei: string, market: SimulatedMarket, currency: string) => {
    const key = `${lei}|${market}|${currency}`;
    if (needed.has(key)) return;
    needed.set(key, {
      lei,
      market,
      currency,
      agentBic: bicOf.get(lei)!,
      // The run tag (the LEI's first six letters) keeps each run's accounts apart on a kept platform.
      safekeepingAccount: `SK-${lei.slice(0, 8)}${lei.slice(10, 18)}-${market}`,
      cashAccount: `CA-${lei.slice(0, 8)}${lei.slice(10, 18)}-${currency}`,
      placeOfSettlement: CSD[market],
    });
  };
  for (const trade of trades) {
    for (const version of trade.versions) {
      const instrument = instrumentOf.get(version.terms.isin)!;
      add(version.terms.counterpartyLei, instrument.settlementMarket, version.terms.currency);
      add(version.terms.legalEntityLei, instrument.settlementMarket, version.terms.currency);
    }
  }
  return [...needed.values()].sort((a, b) => (a.lei + a.market + a.currency).localeCompare(b.lei + b.market + b.currency));
}

const MARKET_HOURS_UTC: Record<SimulatedMarket, [number, number]> = { US: [14, 20], EU: [8, 15], UK: [8, 15], JP: [0, 5] };

function makeTrades(
  rng: Prng,
  options: ScenarioOptions,
  tag: string,
  calendar: SimulationCalendar,
  counterparties: ScenarioCounterparty[],
  instruments: ScenarioInstrument[],
  legalEntities: ScenarioLegalEntity[],
  sanctionedLei: string,
): ScenarioTrade[] {
  const cpWeights = zipfWeights(counterparties.length, 1.1);
  const hotOrder = rng.shuffle(instruments);
  const instrumentWeights = zipfWeights(hotOrder.length, 1.0);
  const pairingKeys = new Set<string>();
  const trades: ScenarioTrade[] = [];
  const perDay = Math.floor(options.trades / options.days);

  for (let day = 0; day < options.days; day++) {
    const tradeDate = calendar.tradeDays[day];
    const count = day === options.days - 1 ? options.trades - perDay * (options.days - 1) : perDay;
    for (let i = 0; i < count; i++) {
      const counterparty = counterparties[rng.weightedIndex(cpWeights)];
      const instrument = hotOrder[rng.weightedIndex(instrumentWeights)];
      const legalEntity = legalEntities.length === 1 || rng.chance(0.75) ? legalEntities[0] : legalEntities[1];
      const sourceTradeId = `${tag}-${day + 1}-${String(i + 1).padStart(5, '0')}`;
      const unique = (terms: TradeTerms): TradeTerms => uniqueQuantity(terms, instrument, pairingKeys);

      const [open, close] = MARKET_HOURS_UTC[instrument.settlementMarket];
      const executionTime = `${tradeDate}T${String(rng.int(open, close)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}.${String(rng.int(0, 999)).padStart(3, '0')}Z`;
      const fop = instrument.desk === 'EQ' && rng.chance(0.03);
      const v1 = unique({
        tradeDate,
        executionTime,
        side: rng.chance(0.5) ? 'BUY' : 'SELL',
        isin: instrument.isin,
        quantity: drawQuantity(rng, instrument),
        price: drawPrice(rng, instrument, 30),
        currency: instrument.currency,
        counterpartyLei: counterparty.lei,
        legalEntityLei: legalEntity.lei,
        book: `${tag}-${instrument.desk}-${instrument.settlementMarket}-${legalEntities.indexOf(legalEntity) + 1}`,
        commission: drawCharge(rng, instrument.currency, ['0', '5', '12.5', '25']),
        fees: drawCharge(rng, instrument.currency, ['0', '1.2', '3.4']),
        settlementType: fop ? 'FOP' : 'DVP',
        ...(rng.chance(0.2) ? { settlementDate: tradeAmountsDate(instrument, tradeDate) } : {}),
      });

      const channel: Channel = rng.chance(0.2) ? 'REST' : 'KAFKA';
      const versions: TradeVersionPlan[] = [{ version: 1, terms: v1, slot: i }];
      let stale: TradeVersionPlan | null = null;
      const amendments = rng.chance(0.12) ? (rng.chance(0.25) ? 2 : 1) : 0;
      let slot = i;
      for (let a = 0; a < amendments; a++) {
        const previous = versions[versions.length - 1];
        slot += rng.int(1, 20);
        const gap = rng.chance(0.2) ? 2 : 1;
        versions.push({ version: previous.version + gap, terms: unique(amend(rng, previous.terms, instrument)), slot });
      }
      if (channel === 'KAFKA' && amendments > 0 && rng.chance(0.25)) {
        versions[1] = { ...versions[1], slot: i - 0.5, beforeNew: true };
      }
      if (channel === 'KAFKA' && rng.chance(0.02)) {
        // v1, then v3, then a v2 with other content: the v2 is stale and rejected.
        const last = versions[versions.length - 1];
        slot += rng.int(1, 5);
        versions.push({ version: last.version + 2, terms: unique(amend(rng, last.terms, instrument)), slot });
        slot += 1;
        stale = { version: last.version + 1, terms: amend(rng, last.terms, instrument), slot };
      }
      const duplicate: ScenarioTrade['duplicate'] = rng.chance(0.05) ? 'REPLAY' : channel === 'KAFKA' && rng.chance(0.02) ? 'REDELIVER' : 'NONE';
      const lastVersion = versions[versions.length - 1];
      const final = lastVersion.terms;
      const amounts = tradeAmounts(instrument, final);

      const cancelledIntraday = counterparty.lei !== sanctionedLei && rng.chance(0.02);
      const confirmation = planConfirmation(rng, options, sourceTradeId, final, amounts, instrument, pairingKeys, cancelledIntraday, i);
      const custodian = cancelledIntraday ? null : planCustodian(rng, options, final, amounts, instrument);
      const cancel = cancelledIntraday
        ? { version: lastVersion.version + 1, when: 'INTRADAY' as const, slot: slot + rng.int(1, 10), reason: 'booked in error' }
        : custodian?.outcome === 'PARTIAL_CANCEL'
          ? { version: lastVersion.version + 1, when: 'AFTER_PARTIAL' as const, slot: -1, reason: 'cancelled after partial settlement: allocation withdrawn' }
          : null;
      const holdAction: ScenarioTrade['ops']['holdAction'] =
        counterparty.lei === sanctionedLei ? (rng.chance(0.6) ? 'RELEASE' : 'REJECT') : rng.weighted({ RELEASE: 0.5, REJECT: 0.25, NONE: 0.25 });
      trades.push({
        sourceTradeId,
        dayIndex: day,
        tradeDate,
        slot: i,
        channel,
        versions,
        duplicate,
        stale,
        cancel,
        confirmation,
        ops: { forceMatch: rng.chance(0.5), holdAction },
        custodian,
      });
    }
  }
  return trades;
}

function tradeAmountsDate(instrument: ScenarioInstrument, tradeDate: string): string {
  return tradeAmounts(instrument, {
    tradeDate, executionTime: `${tradeDate}T12:00:00.000Z`, side: 'BUY', isin: instrument.isin, quantity: instrument.lot, price: instrument.basePrice,
    currency: instrument.currency, counterpartyLei: '', legalEntityLei: '', book: '', commission: '0', fees: '0', settlementType: 'DVP',
  }).settlementDate;
}

function drawQuantity(rng: Prng, instrument: ScenarioInstrument): string {
  const lots = instrument.desk === 'FI' ? rng.int(5, 300) : Math.max(1, Math.floor(Math.pow(rng.next(), 3) * 200));
  return toDecimalString(new Decimal(instrument.lot).times(lots));
}

function drawPrice(rng: Prng, instrument: ScenarioInstrument, spread: number): string {
  const price = new Decimal(instrument.basePrice).plus(new Decimal(instrument.tick).times(rng.int(-spread, spread)));
  return toDecimalString(Decimal.max(price, instrument.tick));
}

function drawCharge(rng: Prng, currency: string, choices: string[]): string {
  const value = new Decimal(rng.pick(choices)).times(currency === 'JPY' ? 100 : 1);
  return toDecimalString(value, minorUnits(currency));
}

/** A pairing key (counterparty, ISIN, trade date, quantity) used by no other trade or confirmation of the run. */
function uniqueQuantity(terms: TradeTerms, instrument: ScenarioInstrument, keys: Set<string>): TradeTerms {
  let quantity = new Decimal(terms.quantity);
  const key = () => `${terms.counterpartyLei}|${terms.isin}|${terms.tradeDate}|${toDecimalString(quantity)}`;
  while (keys.has(key())) quantity = quantity.plus(instrument.lot);
  keys.add(key());
  return { ...terms, quantity: toDecimalString(quantity) };
}

/** A correction: the price, the quantity, or the charges. */
function amend(rng: Prng, terms: TradeTerms, instrument: ScenarioInstrument): TradeTerms {
  const what = rng.weighted({ price: 0.6, quantity: 0.3, charges: 0.1 });
  if (what === 'price') {
    const moved = new Decimal(terms.price).plus(new Decimal(instrument.tick).times(rng.pick([-3, -2, -1, 1, 2, 3])));
    return { ...terms, price: toDecimalString(Decimal.max(moved, instrument.tick)) };
  }
  if (what === 'quantity') return { ...terms, quantity: toDecimalString(new Decimal(terms.quantity).plus(new Decimal(instrument.lot).times(rng.int(1, 5)))) };
  return { ...terms, commission: toDecimalString(new Decimal(terms.commission).plus(terms.currency === 'JPY' ? 300 : 3), minorUnits(terms.currency)) };
}

function planConfirmation(
  rng: Prng,
  options: ScenarioOptions,
  sourceTradeId: string,
  final: TradeTerms,
  amounts: ReturnType<typeof tradeAmounts>,
  instrument: ScenarioInstrument,
  pairingKeys: Set<string>,
  cancelled: boolean,
  slot: number,
): ConfirmationPlan {
  const missingShare = 0.03;
  const kind: ConfirmationKind = cancelled
    ? rng.chance(0.5) ? 'AGREE' : 'MISSING'
    : rng.weighted({
        AGREE: Math.max(0, 1 - options.breakShare - missingShare),
        PRICE: options.breakShare * 0.4,
        QUANTITY: options.breakShare * 0.2,
        NET: options.breakShare * 0.4,
        MISSING: missingShare,
      });
  const timing = rng.weighted({ EARLY: 0.06, NORMAL: 0.88, LATE: 0.06 });
  const channel: Channel = rng.chance(0.3) ? 'REST' : 'KAFKA';
  const plan: ConfirmationPlan = {
    kind,
    timing,
    channel,
    slot: timing === 'EARLY' ? slot - 0.75 : timing === 'LATE' ? 0 : slot + rng.int(2, 30),
    resend: rng.chance(0.03),
    body: null,
  };
  if (kind === 'MISSING') return plan;
  let price = final.price;
  let quantity = final.quantity;
  let netAmount = amounts.netAmount;
  const theirNet = (terms: TradeTerms) => tradeAmounts(instrument, terms).netAmount;
  if (kind === 'PRICE') {
    price = toDecimalString(new Decimal(final.price).plus(new Decimal(instrument.tick).times(rng.pick([-2, -1, 1, 2]))));
    netAmount = theirNet({ ...final, price });
  } else if (kind === 'QUANTITY') {
    let q = new Decimal(final.quantity).plus(instrument.lot);
    const key = () => `${final.counterpartyLei}|${final.isin}|${final.tradeDate}|${toDecimalString(q)}`;
    while (pairingKeys.has(key())) q = q.plus(instrument.lot);
    pairingKeys.add(key());
    quantity = toDecimalString(q);
    netAmount = theirNet({ ...final, quantity });
  } else if (kind === 'NET') {
    const tolerance = new Decimal(amounts.netAmount).abs().greaterThan(100000) ? 25 : 2;
    const off = new Decimal(tolerance + rng.int(1, 40)).times(rng.chance(0.5) ? 1 : -1);
    netAmount = toDecimalString(new Decimal(amounts.netAmount).plus(off), minorUnits(final.currency));
  }
  plan.body = {
    confirmationId: `CF-${sourceTradeId}`,
    senderLei: final.counterpartyLei,
    receiverLei: final.legalEntityLei,
    tradeDate: final.tradeDate,
    settlementDate: amounts.settlementDate,
    side: final.side === 'BUY' ? 'SELL' : 'BUY',
    isin: final.isin,
    quantity,
    price,
    currency: final.currency,
    netAmount,
    ...(rng.chance(0.8) ? { ourReference: sourceTradeId } : {}),
  };
  return plan;
}

function planCustodian(rng: Prng, options: ScenarioOptions, final: TradeTerms, amounts: ReturnType<typeof tradeAmounts>, instrument: ScenarioInstrument): CustodianPlan {
  const fop = final.settlementType === 'FOP';
  const lots = parseDecimal(final.quantity, 'quantity').dividedBy(instrument.lot).toNumber();
  const canSplit = !fop && lots >= 2;
  let outcome: CustodianOutcome = rng.weighted({
    SETTLE: Math.max(0, 1 - options.failShare - 0.13),
    PARTIAL_SETTLE: 0.1,
    FAIL_SETTLE: options.failShare * 0.55,
    FAIL_OPEN: options.failShare * 0.3,
    FAIL_UNMATCHED: options.failShare * 0.15,
    REJECT: 0.02,
    PARTIAL_CANCEL: 0.01,
  });
  if (!canSplit && (outcome === 'PARTIAL_SETTLE' || outcome === 'PARTIAL_CANCEL')) outcome = 'SETTLE';
  const market = instrument.settlementMarket;
  const isd = amounts.settlementDate;
  let partialQuantity: string | null = null;
  let partialAmount: string | null = null;
  if (outcome === 'PARTIAL_SETTLE' || outcome === 'PARTIAL_CANCEL') {
    const part = new Decimal(instrument.lot).times(rng.int(1, lots - 1));
    partialQuantity = toDecimalString(part);
    partialAmount = proRata(amounts.netAmount, partialQuantity, final.quantity, final.currency);
  }
  let failingParty: FailingParty | null = null;
  let reasonCode: FailReasonCode | null = null;
  if (outcome === 'FAIL_SETTLE' || outcome === 'FAIL_OPEN' || outcome === 'FAIL_UNMATCHED') {
    failingParty = rng.chance(0.5) ? 'US' : 'COUNTERPARTY';
    reasonCode = rng.chance(0.1) ? 'OTHR' : failingParty === 'US' ? (rng.chance(0.7) ? 'LACK' : 'MONY') : rng.chance(0.7) ? 'CLAC' : 'CMON';
  }
  const reports = outcome === 'REJECT' ? 1 : outcome === 'SETTLE' ? 2 : 3;
  const channels = Array.from({ length: reports }, (): StatusChannel => rng.weighted({ REST: 0.4, KAFKA: 0.4, XML: 0.2 }));
  // OTHR does not say who failed, so it cannot travel as a sese.024: it is reported as JSON.
  if (reasonCode === 'OTHR' && channels[1] === 'XML') channels[1] = 'REST';
  return { outcome, isd, laterDay: nextSettlementDay(market, final.currency, isd), partialQuantity, partialAmount, failingParty, reasonCode, channels };
}

/**
 * Picks, with the seed, the settling instructions the custodian first rejects for a bad SSI of the
 * counterparty (SAFE: unknown safekeeping account) at `ssiRepairShare`: trades that settle plainly
 * (outcome SETTLE), are never held, and whose counterparty, market and currency no other trade is
 * rejected for (settlement re-sends every rejected instruction of a party, market and currency when
 * its SSI is corrected: a plain rejection there would be re-sent too). Each repair stores an SSI of
 * its own (a safekeeping account suffixed `-R<n>`), so that every repair is a change.
 */
function planSsiRepairs(
  rng: Prng,
  options: ScenarioOptions,
  trades: ScenarioTrade[],
  instruments: ScenarioInstrument[],
  ssis: ScenarioSsi[],
  held: { restrictedIsin: string; heldLeis: Set<string> },
): void {
  const share = options.ssiRepairShare ?? 0;
  if (share <= 0) return;
  const marketOf = new Map(instruments.map((i) => [i.isin, i.settlementMarket]));
  const final = (t: ScenarioTrade) => t.versions[t.versions.length - 1].terms;
  const keyOf = (t: ScenarioTrade) => `${final(t).counterpartyLei}|${marketOf.get(final(t).isin)}|${final(t).currency}`;
  const rejectedKeys = new Set(trades.filter((t) => t.custodian?.outcome === 'REJECT').map(keyOf));
  let serial = 0;
  for (const trade of trades) {
    const plan = trade.custodian;
    const terms = final(trade);
    const eligible =
      plan !== null &&
      plan.outcome === 'SETTLE' &&
      trade.cancel === null &&
      terms.isin !== held.restrictedIsin &&
      !held.heldLeis.has(terms.counterpartyLei) &&
      trade.versions.every((v) => v.terms.counterpartyLei === terms.counterpartyLei && marketOf.get(v.terms.isin) === marketOf.get(terms.isin) && v.terms.currency === terms.currency) &&
      !rejectedKeys.has(keyOf(trade));
    if (!eligible || !rng.chance(share)) continue;
    const ssi = ssis.find((s) => s.lei === terms.counterpartyLei && s.market === marketOf.get(terms.isin) && s.currency === terms.currency)!;
    plan.ssiRepair = { reasonCode: 'SAFE', safekeepingAccount: `${ssi.safekeepingAccount}-R${++serial}` };
  }
}

/**
 * The trades of the sanctioned counterparty that are certainly on the custodian's books when the
 * mid-day sanctions list holds them: every message of theirs (versions, confirmation) goes before
 * the list, their profile affirms by itself and nothing else holds them. The run waits for their
 * instructions before loading the list, so that settlement sends each a hold request; the
 * custodian refuses a seeded share of them (`holdRejectShare`, reason LATE) and confirms the rest.
 */
function planHoldAnswers(
  rng: Prng,
  options: ScenarioOptions,
  trades: ScenarioTrade[],
  sanctions: SanctionsPlan,
  manualLeis: Set<string>,
  other: { restrictedIsin: string; cappedLei: string },
): void {
  const share = options.holdRejectShare ?? 0;
  for (const trade of heldOnCustodianBooks(trades, sanctions, manualLeis, other)) {
    trade.custodian!.holdAnswer = rng.chance(share) ? { status: 'HOLD_REJECTED', reasonCode: 'LATE' } : { status: 'HOLD_CONFIRMED' };
  }
}

/** The trades a hold request certainly goes out for (see planHoldAnswers). */
export function heldOnCustodianBooks(
  trades: ScenarioTrade[],
  sanctions: SanctionsPlan,
  manualLeis: Set<string>,
  other: { restrictedIsin: string; cappedLei: string },
): ScenarioTrade[] {
  return trades.filter((t) => {
    const terms = t.versions[t.versions.length - 1].terms;
    const confirmation = t.confirmation;
    return (
      t.dayIndex === sanctions.dayIndex &&
      t.custodian !== null &&
      t.cancel === null &&
      terms.counterpartyLei === sanctions.counterpartyLei &&
      terms.isin !== other.restrictedIsin &&
      terms.counterpartyLei !== other.cappedLei &&
      !manualLeis.has(terms.counterpartyLei) &&
      t.versions.every((v) => v.slot < sanctions.slot) &&
      (t.stale === null || t.stale.slot < sanctions.slot) &&
      confirmation.kind === 'AGREE' &&
      confirmation.timing !== 'LATE' &&
      confirmation.slot < sanctions.slot
    );
  });
}
