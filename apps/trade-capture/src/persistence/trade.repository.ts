import type { EntityManager } from 'typeorm';
import type { TradeAction, TradeException, TradeStatus } from '@postrade/contracts';
import type { CapturedTrade } from '../domain/trade';
import type { RecordedVersion } from '../domain/trade-lifecycle';
import { columnsOf, TRADE_COLUMNS, tradeOf, type TradeRow } from './trade-columns';

export interface TradeListFilter {
  status?: TradeStatus;
  counterpartyLei?: string;
  isin?: string;
  tradeDate?: string;
  settlementDate?: string;
  book?: string;
  /** Only these source systems (an upstream key's own); undefined for every system. */
  sourceSystems?: readonly string[];
  sourceSystem?: string;
  sourceTradeId?: string;
  exception?: TradeException;
  after?: { createdAt: string; tradeId: string };
  limit: number;
}

/** A listed trade and its position in the list order. */
export interface ListedTrade {
  trade: CapturedTrade;
  createdAt: string;
}

/** An upstream trade's key. */
export interface SourceKey {
  sourceSystem: string;
  sourceTradeId: string;
}

export const sourceKeyOf = (sourceSystem: string, sourceTradeId: string): string => `${sourceSystem}\u0000${sourceTradeId}`;

/** Rows per multi-row insert: about 60 parameters a trade, under Postgres's 65,535. */
const ROWS_PER_INSERT = 500;

/** Trades (current version) and their version history. */
export class TradeRepository {
  /** Serialises every action on one upstream trade, including the first NEW (no row to lock yet). */
  async lockSourceTrade(em: EntityManager, sourceSystem: string, sourceTradeId: string): Promise<void> {
    await this.lockSourceTrades(em, [{ sourceSystem, sourceTradeId }]);
  }

  /**
   * `lockSourceTrade` for many upstream trades in one round trip, in key order (no two batches wait
   * for each other in a cycle). Two 32-bit keys: a hash collision only serialises two unrelated
   * trades, never merges them.
   */
  async lockSourceTrades(em: EntityManager, keys: readonly SourceKey[]): Promise<void> {
    if (keys.length === 0) return;
    await em.query(
      `select pg_advisory_xact_lock(hashtext(s), hashtext(t))
         from (select distinct s, t from unnest($1::text[], $2::text[]) as k(s, t) order by s, t) as ordered`,
      [keys.map((k) => k.sourceSystem), keys.map((k) => k.sourceTradeId)],
    );
  }

  /** The current versions of many upstream trades, locked, keyed by `sourceKeyOf`. */
  async bySourceKeys(em: EntityManager, keys: readonly SourceKey[]): Promise<Map<string, CapturedTrade>> {
    if (keys.length === 0) return new Map();
    const rows: TradeRow[] = await em.query(
      `select ${TRADE_COLUMNS} from trades t join unnest($1::text[], $2::text[]) as k(s, id) on t.source_system = k.s and t.source_trade_id = k.id
        order by t.trade_id for update of t`,
      [keys.map((k) => k.sourceSystem), keys.map((k) => k.sourceTradeId)],
    );
    return new Map(rows.map((r) => [sourceKeyOf(r.source_system, r.source_trade_id), tradeOf(r)]));
  }

  /** The current version; with `lock`, the row is locked for the rest of the transaction. */
  async bySourceKey(em: EntityManager, sourceSystem: string, sourceTradeId: string, options: { lock?: boolean } = {}): Promise<CapturedTrade | null> {
    const rows: TradeRow[] = await em.query(
      `select ${TRADE_COLUMNS} from trades where source_system = $1 and source_trade_id = $2${options.lock ? ' for update' : ''}`,
      [sourceSystem, sourceTradeId],
    );
    return rows[0] ? tradeOf(rows[0]) : null;
  }

  async byId(em: EntityManager, tradeId: string, options: { lock?: boolean } = {}): Promise<CapturedTrade | null> {
    const rows: TradeRow[] = await em.query(`select ${TRADE_COLUMNS} from trades where trade_id = $1${options.lock ? ' for update' : ''}`, [tradeId]);
    return rows[0] ? tradeOf(rows[0]) : null;
  }

  async recordedVersion(em: EntityManager, tradeId: string, version: number): Promise<RecordedVersion | null> {
    const rows: { version: number; content_hash: string }[] = await em.query(
      'select version, content_hash from trade_versions where trade_id = $1 and version = $2',
      [tradeId, version],
    );
    return rows[0] ? { version: rows[0].version, contentHash: rows[0].content_hash } : null;
  }

  async versions(em: EntityManager, tradeId: string): Promise<CapturedTrade[]> {
    const rows: { resource: CapturedTrade }[] = await em.query('select resource from trade_versions where trade_id = $1 order by version', [tradeId]);
    return rows.map((r) => r.resource);
  }

  /** Writes the trade's current version and appends it to the history. */
  async save(em: EntityManager, trade: CapturedTrade, action: TradeAction, contentHash: string): Promise<void> {
    await this.saveCurrent(em, trade);
    await em.query(
      'insert into trade_versions (trade_id, version, action, content_hash, resource) values ($1, $2, $3, $4, $5)',
      [trade.tradeId, trade.version, action, contentHash, JSON.stringify(trade)],
    );
  }

  /** New trades (first versions) and their history rows, two statements for any number. */
  async saveNew(em: EntityManager, created: readonly { trade: CapturedTrade; contentHash: string }[]): Promise<void> {
    for (let start = 0; start < created.length; start += ROWS_PER_INSERT) {
      const chunk = created.slice(start, start + ROWS_PER_INSERT);
      const [columns] = columnsOf(chunk[0].trade);
      const values: unknown[] = [];
      const rows = chunk.map(({ trade }) => {
        const [, row] = columnsOf(trade);
        const first = values.length;
        values.push(...row);
        return `(${row.map((_, i) => `$${first + i + 1}`).join(', ')})`;
      });
      await em.query(`insert into trades (${columns.join(', ')}) values ${rows.join(', ')}`, values);
      await em.query(
        `insert into trade_versions (trade_id, version, action, content_hash, resource)
         select trade_id, version, 'NEW', content_hash, resource from unnest($1::uuid[], $2::int[], $3::text[], $4::jsonb[]) as v(trade_id, version, content_hash, resource)`,
        [chunk.map((c) => c.trade.tradeId), chunk.map((c) => c.trade.version), chunk.map((c) => c.contentHash), chunk.map((c) => JSON.stringify(c.trade))],
      );
    }
  }

  /** Writes the current version (insert, or update in place: an amendment, a cancel, an SSI filled in). */
  async saveCurrent(em: EntityManager, trade: CapturedTrade): Promise<void> {
    const [columns, values] = columnsOf(trade);
    const placeholders = columns.map((_, i) => `$${i + 1}`);
    const updates = columns.filter((c) => c !== 'trade_id' && c !== 'created_at').map((c) => `${c} = excluded.${c}`);
    await em.query(
      `insert into trades (${columns.join(', ')}) values (${placeholders.join(', ')})
       on conflict (trade_id) do update set ${updates.join(', ')}`,
      values,
    );
  }

  /**
   * Live trades waiting for an SSI that has now been stored, locked for the re-enrichment: ours
   * when the LEI is the trade's legal entity, theirs when it is the counterparty.
   */
  async lockTradesMissingSsi(em: EntityManager, lei: string, market: string, currency: string): Promise<CapturedTrade[]> {
    const rows: TradeRow[] = await em.query(
      `select ${TRADE_COLUMNS} from trades
       where status <> 'CANCELLED' and settlement_market = $2 and currency = $3
         and ((legal_entity_lei = $1 and 'MISSING_OUR_SSI' = any(exceptions))
           or (counterparty_lei = $1 and 'MISSING_COUNTERPARTY_SSI' = any(exceptions)))
       order by trade_id
       for update`,
      [lei, market, currency],
    );
    return rows.map(tradeOf);
  }

  async list(em: EntityManager, filter: TradeListFilter): Promise<ListedTrade[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.counterpartyLei) add('counterparty_lei = ?', filter.counterpartyLei);
    if (filter.isin) add('isin = ?', filter.isin);
    if (filter.tradeDate) add('trade_date = ?::date', filter.tradeDate);
    if (filter.settlementDate) add('settlement_date = ?::date', filter.settlementDate);
    if (filter.book) add('book = ?', filter.book);
    if (filter.sourceSystems) add('source_system = any(?::text[])', filter.sourceSystems);
    if (filter.sourceSystem) add('source_system = ?', filter.sourceSystem);
    if (filter.sourceTradeId) add('source_trade_id = ?', filter.sourceTradeId);
    if (filter.exception) add('? = any(exceptions)', filter.exception);
    if (filter.after) {
      params.push(filter.after.createdAt, filter.after.tradeId);
      where.push(`(created_at, trade_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    const rows: (TradeRow & { position: string })[] = await em.query(
      `select ${TRADE_COLUMNS}, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position from trades
       ${where.length ? `where ${where.join(' and ')}` : ''} order by created_at, trade_id limit $${params.length}`,
      params,
    );
    return rows.map((r) => ({ trade: tradeOf(r), createdAt: r.position }));
  }
}
