import { MessagingTables1700000000000 } from '@postrade/messaging';

/** Every migration of the `trade_capture` schema, in order. The bootstrap step runs them as the service role. */
export const tradeCaptureMigrations = [MessagingTables1700000000000];
