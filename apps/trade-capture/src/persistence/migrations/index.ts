import { MessagingTables1700000000000 } from '@postrade/messaging';
import { TradeCaptureTables1732300000000 } from './trade-capture-tables.migration';
import { TradeCaptureRealBooks1764460800000 } from './trade-capture-real-books.migration';

/** Every migration of the `trade_capture` schema, in order. The bootstrap step runs them as the schema owner. */
export const tradeCaptureMigrations = [MessagingTables1700000000000, TradeCaptureTables1732300000000, TradeCaptureRealBooks1764460800000];
