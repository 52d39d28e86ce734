import type { EntityManager } from 'typeorm';
import type { CouponFrequency, DayCount } from '@postrade/contracts';
import { withCouponTerms, type Counterparty, type Instrument, type LegalEntity, type StandingSettlementInstruction } from '../domain/reference-data';

interface InstrumentRow {
  isin: string;
  description: string;
  currency: string;
  asset_class: Instrument['assetClass'];
  price_type: Instrument['priceType'];
  settlement_market: Instrument['settlementMarket'];
  csdr_category: Instrument['csdrCategory'];
  coupon_rate: string | null;
  coupon_frequency: number | null;
  day_count: string | null;
  issue_date: string | null;
  first_coupon_date: string | null;
  maturity_date: string | null;
  minimum_denomination: string | null;
  denomination_increment: string | null;
  ex_coupon_days: number | null;
}
interface CounterpartyRow {
  lei: string;
  name: string;
  aliases: string[];
  country: string;
  bic: string;
}
interface SsiRow {
  lei: string;
  settlement_market: StandingSettlementInstruction['settlementMarket'];
  currency: string;
  agent_bic: string;
  safekeeping_account: string;
  cash_account: string;
  place_of_settlement: string;
}

const INSTRUMENT_COLUMNS = `isin, description, currency, asset_class, price_type, settlement_market, csdr_category, coupon_rate::text,
  coupon_frequency, day_count, to_char(issue_date, 'YYYY-MM-DD') as issue_date, to_char(first_coupon_date, 'YYYY-MM-DD') as first_coupon_date,
  to_char(maturity_date, 'YYYY-MM-DD') as maturity_date, minimum_denomination::text, denomination_increment::text, ex_coupon_days`;

const toInstrument = (r: InstrumentRow): Instrument =>
  withCouponTerms({
    isin: r.isin,
    description: r.description,
    currency: r.currency,
    assetClass: r.asset_class,
    priceType: r.price_type,
    settlementMarket: r.settlement_market,
    csdrCategory: r.csdr_category,
    couponRate: r.coupon_rate ?? undefined,
    couponFrequency: (r.coupon_frequency ?? undefined) as CouponFrequency | undefined,
    dayCount: (r.day_count ?? undefined) as DayCount | undefined,
    issueDate: r.issue_date ?? undefined,
    firstCouponDate: r.first_coupon_date,
    maturityDate: r.maturity_date ?? undefined,
    minimumDenomination: r.minimum_denomination,
    denominationIncrement: r.denomination_increment,
    exCouponDays: r.ex_coupon_days,
  });
const toCounterparty = (r: CounterpartyRow): Counterparty => ({ lei: r.lei, name: r.name, aliases: r.aliases, country: r.country, bic: r.bic });
const toLegalEntity = (r: LegalEntity): LegalEntity => ({ lei: r.lei, name: r.name, bic: r.bic });
const toSsi = (r: SsiRow): StandingSettlementInstruction => ({
  lei: r.lei,
  settlementMarket: r.settlement_market,
  currency: r.currency,
  agentBic: r.agent_bic,
  safekeepingAccount: r.safekeeping_account,
  cashAccount: r.cash_account,
  placeOfSettlement: r.place_of_settlement,
});

/** An SSI's key: whose, for which settlement market and currency. */
export interface SsiKey {
  lei: string;
  market: string;
  currency: string;
}

/** The SSI key as one string: also what its advisory lock is taken on. */
export const ssiKeyOf = (k: SsiKey): string => `${k.lei}/${k.market}/${k.currency}`;

/** Keyset page: rows after `after` in key order, up to `limit`. */
export interface KeysetQuery {
  after?: string[];
  limit: number;
}

/** Reference data in `trade_capture`, read and written through the caller's transaction. */
export class ReferenceDataRepository {
  async instrument(em: EntityManager, isin: string): Promise<Instrument | null> {
    const rows: InstrumentRow[] = await em.query(`select ${INSTRUMENT_COLUMNS} from instruments where isin = $1`, [isin]);
    return rows[0] ? toInstrument(rows[0]) : null;
  }

  async instruments(em: EntityManager, page: KeysetQuery): Promise<Instrument[]> {
    const rows: InstrumentRow[] = await em.query(`select ${INSTRUMENT_COLUMNS} from instruments where isin > $1 order by isin limit $2`, [page.after?.[0] ?? '', page.limit]);
    return rows.map(toInstrument);
  }

  async saveInstrument(em: EntityManager, i: Instrument): Promise<void> {
    await em.query(
      `insert into instruments (isin, description, currency, asset_class, price_type, settlement_market, csdr_category, coupon_rate,
         coupon_frequency, day_count, issue_date, first_coupon_date, maturity_date, minimum_denomination, denomination_increment, ex_coupon_days)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       on conflict (isin) do update set description = $2, currency = $3, asset_class = $4, price_type = $5,
         settlement_market = $6, csdr_category = $7, coupon_rate = $8, coupon_frequency = $9, day_count = $10, issue_date = $11,
         first_coupon_date = $12, maturity_date = $13, minimum_denomination = $14, denomination_increment = $15, ex_coupon_days = $16,
         updated_at = now()`,
      [
        i.isin, i.description, i.currency, i.assetClass, i.priceType, i.settlementMarket, i.csdrCategory, i.couponRate ?? null,
        i.couponFrequency ?? null, i.dayCount ?? null, i.issueDate ?? null, i.firstCouponDate ?? null, i.maturityDate ?? null,
        i.minimumDenomination ?? null, i.denominationIncrement ?? null, i.exCouponDays ?? null,
      ],
    );
  }

  async counterparty(em: EntityManager, lei: string): Promise<Counterparty | null> {
    const rows: CounterpartyRow[] = await em.query('select * from counterparties where lei = $1', [lei]);
    return rows[0] ? toCounterparty(rows[0]) : null;
  }

  /** Counterparties in LEI order, optionally only one LEI. */
  async counterparties(em: EntityManager, page: KeysetQuery & { lei?: string }): Promise<Counterparty[]> {
    const rows: CounterpartyRow[] = await em.query(
      'select * from counterparties where lei > $1 and ($3::text is null or lei = $3) order by lei limit $2',
      [page.after?.[0] ?? '', page.limit, page.lei ?? null],
    );
    return rows.map(toCounterparty);
  }

  async saveCounterparty(em: EntityManager, c: Counterparty): Promise<void> {
    await em.query(
      `insert into counterparties (lei, name, aliases, country, bic) values ($1, $2, $3, $4, $5)
       on conflict (lei) do update set name = $2, aliases = $3, country = $4, bic = $5, updated_at = now()`,
      [c.lei, c.name, c.aliases, c.country, c.bic],
    );
  }

  async legalEntity(em: EntityManager, lei: string): Promise<LegalEntity | null> {
    const rows: LegalEntity[] = await em.query('select lei, name, bic from legal_entities where lei = $1', [lei]);
    return rows[0] ? toLegalEntity(rows[0]) : null;
  }

  async legalEntities(em: EntityManager, page: KeysetQuery): Promise<LegalEntity[]> {
    const rows: LegalEntity[] = await em.query('select lei, name, bic from legal_entities where lei > $1 order by lei limit $2', [page.after?.[0] ?? '', page.limit]);
    return rows.map(toLegalEntity);
  }

  async saveLegalEntity(em: EntityManager, e: LegalEntity): Promise<void> {
    await em.query(
      `insert into legal_entities (lei, name, bic) values ($1, $2, $3)
       on conflict (lei) do update set name = $2, bic = $3, updated_at = now()`,
      [e.lei, e.name, e.bic],
    );
  }

  /**
   * Serialises storing an SSI with capturing a trade that looks it up (shared for the capture,
   * exclusive for the store): either the capture sees the new SSI, or the store's repair sees the
   * committed trade that lacked it. Without it a trade captured during the store would keep its
   * exception forever.
   */
  async lockSsiKey(em: EntityManager, ssiKey: SsiKey, mode: 'capture' | 'store'): Promise<void> {
    const lock = mode === 'store' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared';
    await em.query(`select ${lock}(hashtext('ssi'), hashtext($1))`, [ssiKeyOf(ssiKey)]);
  }

  /**
   * What enriching trades reads apart from their SSIs, in one round trip for any number of trades:
   * the instruments, counterparties and legal entities named, by ISIN and LEI (unknown ones absent).
   */
  async tradeParties(
    em: EntityManager,
    keys: readonly { isin: string; counterpartyLei: string; legalEntityLei: string }[],
  ): Promise<{ instruments: Map<string, Instrument>; counterparties: Map<string, Counterparty>; legalEntities: Map<string, LegalEntity> }> {
    const distinct = (values: string[]) => [...new Set(values)];
    const [row]: { instruments: InstrumentRow[]; counterparties: CounterpartyRow[]; legal_entities: LegalEntity[] }[] = await em.query(
      `select (select coalesce(json_agg(i), '[]') from (select ${INSTRUMENT_COLUMNS} from instruments where isin = any($1::text[])) i) as instruments,
              (select coalesce(json_agg(c), '[]') from counterparties c where c.lei = any($2::text[])) as counterparties,
              (select coalesce(json_agg(l), '[]') from (select lei, name, bic from legal_entities where lei = any($3::text[])) l) as legal_entities`,
      [distinct(keys.map((k) => k.isin)), distinct(keys.map((k) => k.counterpartyLei)), distinct(keys.map((k) => k.legalEntityLei))],
    );
    return {
      instruments: new Map(row.instruments.map((r) => [r.isin, toInstrument(r)])),
      counterparties: new Map(row.counterparties.map((r) => [r.lei, toCounterparty(r)])),
      legalEntities: new Map(row.legal_entities.map((r) => [r.lei, toLegalEntity(r)])),
    };
  }

  /**
   * SSIs, each under its capture lock (`lockSsiKey`), in two round trips for any number: the locks
   * (in key order), then the read, keyed by `ssiKeyOf`. The read must be a statement of its own,
   * after the locks: under READ COMMITTED a statement sees what was committed when it began, so a
   * read in the locking statement would miss an SSI stored while it waited.
   */
  async lockedSsis(em: EntityManager, keys: readonly SsiKey[]): Promise<Map<string, StandingSettlementInstruction>> {
    const distinct = [...new Map(keys.map((k) => [ssiKeyOf(k), k])).values()].sort((a, b) => (ssiKeyOf(a) < ssiKeyOf(b) ? -1 : 1));
    if (distinct.length === 0) return new Map();
    await em.query(`select pg_advisory_xact_lock_shared(hashtext('ssi'), hashtext(k)) from unnest($1::text[]) with ordinality as u(k, ord) order by ord`, [
      distinct.map(ssiKeyOf),
    ]);
    const rows: SsiRow[] = await em.query(
      `select s.* from ssis s join unnest($1::text[], $2::text[], $3::text[]) as k(lei, market, currency)
          on s.lei = k.lei and s.settlement_market = k.market and s.currency = k.currency`,
      [distinct.map((k) => k.lei), distinct.map((k) => k.market), distinct.map((k) => k.currency)],
    );
    return new Map(rows.map((r) => [ssiKeyOf({ lei: r.lei, market: r.settlement_market, currency: r.currency }), toSsi(r)]));
  }

  async ssi(em: EntityManager, lei: string, market: string, currency: string): Promise<StandingSettlementInstruction | null> {
    const rows: SsiRow[] = await em.query('select * from ssis where lei = $1 and settlement_market = $2 and currency = $3', [lei, market, currency]);
    return rows[0] ? toSsi(rows[0]) : null;
  }

  /** SSIs in key order, optionally only those of one LEI. */
  async ssis(em: EntityManager, page: KeysetQuery & { lei?: string }): Promise<StandingSettlementInstruction[]> {
    const [lei, market, currency] = page.after ?? ['', '', ''];
    const rows: SsiRow[] = await em.query(
      `select * from ssis where (lei, settlement_market, currency) > ($1, $2, $3) and ($5::text is null or lei = $5)
       order by lei, settlement_market, currency limit $4`,
      [lei, market, currency, page.limit, page.lei ?? null],
    );
    return rows.map(toSsi);
  }

  async saveSsi(em: EntityManager, s: StandingSettlementInstruction): Promise<void> {
    await em.query(
      `insert into ssis (lei, settlement_market, currency, agent_bic, safekeeping_account, cash_account, place_of_settlement)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (lei, settlement_market, currency) do update set agent_bic = $4, safekeeping_account = $5,
         cash_account = $6, place_of_settlement = $7, updated_at = now()`,
      [s.lei, s.settlementMarket, s.currency, s.agentBic, s.safekeepingAccount, s.cashAccount, s.placeOfSettlement],
    );
  }
}
