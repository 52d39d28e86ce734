import { Module } from '@nestjs/common';
import { MessagingModule } from '@postrade/messaging';
import { PlatformModule } from '@postrade/platform';
import { confirmationMatchingDatabase } from './persistence/confirmation-matching.database';

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'confirmation-matching', port: 3002 }),
    MessagingModule.forService({ service: 'confirmation-matching', database: confirmationMatchingDatabase, consumers: [] }),
  ],
})
export class ConfirmationMatchingModule {}
