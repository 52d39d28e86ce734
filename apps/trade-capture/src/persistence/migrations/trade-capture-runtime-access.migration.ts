import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/** The runtime role's access to the trade-capture tables, under the two-role model. */
export class TradeCaptureRuntimeAccess1732400000000 implements MigrationInterface {
  name = 'TradeCaptureRuntimeAccess1732400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['instruments', 'counterparties', 'legal_entities', 'ssis', 'trades', 'parked_trade_actions']) {
      await grantRuntime(q, table, 'read-write');
    }
    // A version, once written, is history: the trade row carries the current state.
    await grantRuntime(q, 'trade_versions', 'append-only');
    await grantRuntime(q, 'idempotency_keys', 'read-write');
  }

  async down(): Promise<void> {
    // Grants go with the tables.
  }
}
