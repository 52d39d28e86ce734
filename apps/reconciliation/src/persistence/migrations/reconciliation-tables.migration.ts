import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createAuditTrailTables, grantRuntime } from '@postrade/persistence';

/**
 * Reconciliation's schema. Our side is projected from events into append-only movement tables
 * (effective-dated, so any past date's books are a sum up to that date and no row is ever a hot
 * aggregate) and one row per trade; their side arrives as statements, recorded once per
 * (statementId, account, asOf) with the result they produced. Breaks, their comments and
 * write-off requests, the reconciliation runs, the matches and the hash-chained audit trail.
 */
export class ReconciliationTables1797000000000 implements MigrationInterface {
  name = 'ReconciliationTables1797000000000';

  async up(q: QueryRunner): Promise<void> {
    // Captured trades, latest version: front-to-back, and which of our accounts a ledger posting of the trade moves.
    await q.query(`
      create table trades (
        trade_id             uuid primary key,
        version              integer not null,
        status               text not null,
        source_system        text not null,
        source_trade_id      text not null,
        trade_date           date not null,
        isin                 text not null,
        side                 text not null,
        quantity             numeric not null,
        price                numeric not null,
        currency             text not null,
        counterparty_lei     text not null,
        settlement_market    text not null,
        safekeeping_account  text,
        cash_account         text,
        event_id             uuid not null,
        updated_at           timestamptz not null
      )`);
    await q.query('create index trades_source on trades (source_system, trade_date)');
    await q.query('create index trades_safekeeping on trades (safekeeping_account) where safekeeping_account is not null');
    await q.query('create index trades_cash on trades (cash_account) where cash_account is not null');
    await grantRuntime(q, 'trades', 'read-write');

    // Settled securities and cash of our books from ledger.events.v1 (settlement-date basis), one row per posting.
    await q.query(`
      create table ledger_movements (
        entry_id        uuid not null,
        posting_no      smallint not null,
        trade_id        uuid,
        kind            text not null check (kind in ('SECURITIES', 'CASH')),
        asset           text not null,
        amount          numeric not null,
        effective_date  date not null,
        primary key (entry_id, posting_no)
      )`);
    await q.query('create index ledger_movements_trade on ledger_movements (trade_id, kind, effective_date)');
    await grantRuntime(q, 'ledger_movements', 'append-only');

    // Settled movements per instruction and day, from settlement.events.v1.
    await q.query(`
      create table settled_movements (
        movement_id      uuid primary key,
        instruction_id   text not null,
        account          text not null,
        cash_account     text not null,
        settlement_market text not null,
        isin             text not null,
        direction        text not null check (direction in ('RECEIVE', 'DELIVER')),
        quantity         numeric not null,
        amount           numeric not null,
        currency         text not null,
        settlement_date  date not null
      )`);
    await q.query('create index settled_movements_account on settled_movements (account, settlement_date)');
    await grantRuntime(q, 'settled_movements', 'append-only');

    // Penalties as assessed (the latest assessment of an instruction's day wins).
    await q.query(`
      create table penalties (
        instruction_id  text not null,
        penalty_date    date not null,
        penalty_id      text not null,
        account         text not null,
        amount          numeric not null,
        currency        text not null,
        direction       text not null check (direction in ('PAY', 'RECEIVE')),
        event_id        uuid not null,
        primary key (instruction_id, penalty_date)
      )`);
    await q.query('create index penalties_account on penalties (account, penalty_date)');
    await grantRuntime(q, 'penalties', 'read-write');

    // The market each of our accounts settles in, for ageing breaks in its business days.
    await q.query(`
      create table account_markets (
        account  text primary key,
        market   text not null
      )`);
    await grantRuntime(q, 'account_markets', 'read-write');

    // Their side: one row per statement (or blotter) received, with the result it produced.
    await q.query(`
      create table statements (
        statement_id    text not null,
        account         text not null,
        as_of           date not null,
        type            text not null,
        format          text not null,
        content_sha256  text not null,
        lines           integer not null,
        received_by     text not null,
        received_at     timestamptz not null,
        result          jsonb not null,
        primary key (statement_id, account, as_of)
      )`);
    await grantRuntime(q, 'statements', 'append-only');

    // One row per reconciliation run: what was compared, matched and found.
    await q.query(`
      create table reconciliation_runs (
        run_id           uuid primary key,
        statement_id     text not null,
        break_type       text not null,
        account          text not null,
        as_of            date not null,
        lines_compared   integer not null,
        matched          integer not null,
        breaks_found     integer not null,
        breaks_opened    integer not null,
        breaks_closed    integer not null,
        matches_by_rule  jsonb not null,
        ran_at           timestamptz not null
      )`);
    await q.query('create index reconciliation_runs_account on reconciliation_runs (account, break_type, as_of, ran_at)');
    await grantRuntime(q, 'reconciliation_runs', 'append-only');

    // Every match with the rule that made it, in chunks of consecutive matches (a million-line
    // statement writes a hundred rows, not a million): entries [{ rule, ours: [ids], theirs: [ids] }]
    // as JSON text, parsed only when someone reads them.
    await q.query(`
      create table matches (
        run_id   uuid not null,
        chunk    integer not null,
        entries  text not null,
        primary key (run_id, chunk)
      )`);
    await grantRuntime(q, 'matches', 'append-only');

    await q.query(`
      create table breaks (
        break_id          uuid primary key,
        type              text not null,
        account           text not null,
        key_string        text not null,
        key               jsonb not null,
        reason            text not null,
        as_of             date not null,
        ours              jsonb,
        theirs            jsonb,
        difference        numeric,
        fields            jsonb not null,
        market            text not null,
        first_seen        date not null,
        first_seen_at     timestamptz not null,
        status            text not null check (status in ('OPEN', 'ASSIGNED', 'RESOLVED', 'WRITTEN_OFF')),
        assignee          text,
        resolution        text,
        closed_on         date,
        last_source_id    text not null,
        updated_at        timestamptz not null
      )`);
    // One live break per key: a later statement finding the same difference updates it.
    await q.query(`create unique index breaks_live_key on breaks (type, account, key_string) where status in ('OPEN', 'ASSIGNED')`);
    await q.query('create index breaks_account on breaks (account, type, status)');
    await q.query('create index breaks_listing on breaks (updated_at, break_id)');
    await grantRuntime(q, 'breaks', 'read-write');

    await q.query(`
      create table break_comments (
        comment_id    uuid primary key,
        break_id      uuid not null,
        by_principal  text not null,
        at            timestamptz not null,
        text          text not null
      )`);
    await q.query('create index break_comments_break on break_comments (break_id, at)');
    await grantRuntime(q, 'break_comments', 'append-only');

    await q.query(`
      create table write_off_requests (
        request_id    uuid primary key,
        break_id      uuid not null,
        reason        text not null,
        requested_by  text not null,
        requested_at  timestamptz not null,
        status        text not null check (status in ('PENDING', 'APPROVED', 'DECLINED', 'WITHDRAWN')),
        decided_by    text,
        decided_at    timestamptz
      )`);
    await q.query(`create unique index write_off_requests_pending on write_off_requests (break_id) where status = 'PENDING'`);
    await grantRuntime(q, 'write_off_requests', 'read-write');


    await createAuditTrailTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_records', 'audit_chains', 'write_off_requests', 'break_comments', 'breaks', 'matches', 'reconciliation_runs', 'statements', 'account_markets', 'penalties', 'settled_movements', 'ledger_movements', 'trades']) {
      await q.query(`drop table if exists ${table} cascade`);
    }
  }
}
