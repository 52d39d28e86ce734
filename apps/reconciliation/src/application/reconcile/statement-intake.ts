import type { TransactionRunner } from '@postrade/persistence';
import type { Blotter, Statement } from '../../domain/model';
import type { Applied, ReconcileStatement, StatementSource } from './reconcile-statement';

/** REST's way in: one statement or blotter in one transaction of its own. */
export class StatementIntake {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly reconcile: ReconcileStatement,
  ) {}

  statement(statement: Statement, source: StatementSource): Promise<Applied> {
    return this.transactions.run((em) => this.reconcile.applyStatement(em, statement, source));
  }

  blotter(blotter: Blotter, source: StatementSource): Promise<Applied> {
    return this.transactions.run((em) => this.reconcile.applyBlotter(em, blotter, source));
  }
}
