import { Module } from '@nestjs/common';
import { MessagingModule } from '@postrade/messaging';
import { PlatformModule } from '@postrade/platform';
import { ledgerDatabase } from './persistence/ledger.database';

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'ledger', port: 3004 }),
    MessagingModule.forService({ service: 'ledger', database: ledgerDatabase, consumers: [] }),
  ],
})
export class LedgerModule {}
