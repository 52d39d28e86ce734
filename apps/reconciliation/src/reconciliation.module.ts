import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { text } from 'express';
import { DataSource } from 'typeorm';
import { Topics } from '@postrade/contracts';
import { anchoredAuditTrailProviders, MessagingModule, Outbox } from '@postrade/messaging';
import { AuditQueries, AuditTrail, AuditTrailRepository, TransactionRunner } from '@postrade/persistence';
import { AuditController, PlatformModule } from '@postrade/platform';
import { SERVICE_PORTS } from '@postrade/contracts';
import { BreaksController } from './api/breaks.controller';
import { BLOTTERS_PATH, CSV_CONTENT_TYPES, STATEMENTS_PATH, StatementsController, XML_CONTENT_TYPES } from './api/statements.controller';
import { ReconciliationQueries } from './application/query/reconciliation-queries';
import { BreakEvents } from './application/reconcile/break-events';
import { ReconcileStatement } from './application/reconcile/reconcile-statement';
import { StatementIntake } from './application/reconcile/statement-intake';
import { reconciliationConfigFromEnv } from './application/reconciliation-config';
import { BreakWorkflow } from './application/work-breaks/break-workflow';
import { LedgerEventsHandler, SettlementEventsHandler, TradeEventsHandler } from './messaging/our-books.handlers';
import { StatementReceivedHandler } from './messaging/statement-received.handler';
import { BreaksRepository } from './persistence/breaks.repository';
import { OurBooksRepository } from './persistence/our-books.repository';
import { reconciliationDatabase } from './persistence/reconciliation.database';
import { StatementsRepository } from './persistence/statements.repository';

/**
 * Statements run to a hundred thousand lines: a JSON statement gets more room than the platform's
 * 1 MB default (`HTTP_BODY_LIMIT` still overrides it).
 */
export const RECONCILIATION_JSON_BODY_LIMIT = '64mb';

/** Largest statement or blotter body accepted as XML or CSV: statements run to a million lines. */
const STATEMENT_BODY_LIMIT = process.env.RECONCILIATION_STATEMENT_BODY_LIMIT ?? '256mb';

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'reconciliation', port: SERVICE_PORTS.reconciliation, httpBodyLimit: RECONCILIATION_JSON_BODY_LIMIT }),
    MessagingModule.forService({
      service: 'reconciliation',
      database: reconciliationDatabase,
      consumers: [
        // Our side: projections of what the other services said.
        { consumer: 'reconciliation', topics: [Topics.tradeCaptureTrades, Topics.ledgerEvents, Topics.settlementEvents], handlers: [TradeEventsHandler, LedgerEventsHandler, SettlementEventsHandler] },
        // Their side, in a group of its own: a million-line statement never holds up our books.
        { consumer: 'reconciliation.statements', topics: [Topics.statementsInbound], handlers: [StatementReceivedHandler] },
      ],
    }),
  ],
  controllers: [StatementsController, BreaksController, AuditController],
  providers: [
    { provide: OurBooksRepository, useValue: new OurBooksRepository() },
    { provide: BreaksRepository, useValue: new BreaksRepository() },
    { provide: StatementsRepository, useValue: new StatementsRepository() },
    { provide: AuditTrailRepository, useValue: new AuditTrailRepository() },
    { provide: AuditTrail, useFactory: (records: AuditTrailRepository) => new AuditTrail(records), inject: [AuditTrailRepository] },
    { provide: AuditQueries, useFactory: (db: DataSource, records: AuditTrailRepository) => new AuditQueries(db, records), inject: [DataSource, AuditTrailRepository] },
    // AUDIT_TRAIL_READER: the trail, anchored to audit.anchors.v1 (docs/anchors.md).
    ...anchoredAuditTrailProviders('reconciliation', reconciliationDatabase.schema),
    { provide: BreakEvents, useFactory: (outbox: Outbox, audit: AuditTrail) => new BreakEvents(outbox, audit), inject: [Outbox, AuditTrail] },
    {
      provide: ReconcileStatement,
      useFactory: (books: OurBooksRepository, breaks: BreaksRepository, statements: StatementsRepository, events: BreakEvents) => {
        const config = reconciliationConfigFromEnv();
        return new ReconcileStatement(books, breaks, statements, events, () => config);
      },
      inject: [OurBooksRepository, BreaksRepository, StatementsRepository, BreakEvents],
    },
    { provide: StatementIntake, useFactory: (tx: TransactionRunner, r: ReconcileStatement) => new StatementIntake(tx, r), inject: [TransactionRunner, ReconcileStatement] },
    {
      provide: BreakWorkflow,
      useFactory: (tx: TransactionRunner, breaks: BreaksRepository, events: BreakEvents) => new BreakWorkflow(tx, breaks, events),
      inject: [TransactionRunner, BreaksRepository, BreakEvents],
    },
    {
      provide: ReconciliationQueries,
      useFactory: (db: DataSource, breaks: BreaksRepository, statements: StatementsRepository, books: OurBooksRepository) => new ReconciliationQueries(db, breaks, statements, books),
      inject: [DataSource, BreaksRepository, StatementsRepository, OurBooksRepository],
    },
    { provide: TradeEventsHandler, useFactory: (books: OurBooksRepository) => new TradeEventsHandler(books), inject: [OurBooksRepository] },
    { provide: LedgerEventsHandler, useFactory: (books: OurBooksRepository) => new LedgerEventsHandler(books), inject: [OurBooksRepository] },
    { provide: SettlementEventsHandler, useFactory: (books: OurBooksRepository) => new SettlementEventsHandler(books), inject: [OurBooksRepository] },
    { provide: StatementReceivedHandler, useFactory: (r: ReconcileStatement) => new StatementReceivedHandler(r), inject: [ReconcileStatement] },
  ],
})
export class ReconciliationModule implements NestModule {
  /** The platform parses JSON bodies only: statements also come as XML or CSV, and blotters as CSV, each kept as text for its parser. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(text({ type: [...XML_CONTENT_TYPES, ...CSV_CONTENT_TYPES], limit: STATEMENT_BODY_LIMIT }))
      .forRoutes({ path: STATEMENTS_PATH, method: RequestMethod.POST }, { path: BLOTTERS_PATH, method: RequestMethod.POST });
  }
}
