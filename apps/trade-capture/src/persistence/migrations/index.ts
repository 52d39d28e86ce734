import { messagingMigrations } from '@postrade/messaging';
import { TradeCaptureTables1732300000000 } from './trade-capture-tables.migration';
import { TradeCaptureRuntimeAccess1732400000000 } from './trade-capture-runtime-access.migration';
import { TradeCaptureRealBooks1764460800000 } from './trade-capture-real-books.migration';
import { TradeCaptureTradeColumns1764460900000 } from './trade-capture-trade-columns.migration';
import { TradeCaptureParkedMillis1764461000000 } from './trade-capture-parked-millis.migration';
import { TradeCaptureParkedInputs1798200000000 } from './trade-capture-parked-inputs.migration';

/** Every migration of the `trade_capture` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const tradeCaptureMigrations = [
  ...messagingMigrations,
  TradeCaptureTables1732300000000,
  TradeCaptureRuntimeAccess1732400000000,
  TradeCaptureRealBooks1764460800000,
  TradeCaptureTradeColumns1764460900000,
  TradeCaptureParkedMillis1764461000000,
  TradeCaptureParkedInputs1798200000000,
];
