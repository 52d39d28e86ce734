import type { EntityManager } from 'typeorm';
import type { TradeForMatching } from '../../domain/matching';
import type { TradeRepository } from '../../persistence/trade.repository';
import { addPairingKey, type Causation, type PairingKeyMatcher } from '../rematch/pairing-key-matcher';

export interface ApplyTradeVersion extends Causation {
  trade: TradeForMatching;
}

/**
 * Trades from `trade-capture.trades.v1` (captured, amended, cancelled, enriched), one or a run of
 * many: a version newer than the one held replaces it (an older or equal one, such as an
 * `enriched` event or a re-delivery, changes nothing), then every pairing key the trade left or
 * entered is re-matched. Runs inside the caller's transaction.
 */
export class ApplyTradeVersionsHandler {
  constructor(
    private readonly trades: TradeRepository,
    private readonly matcher: PairingKeyMatcher,
  ) {}

  async execute(em: EntityManager, versions: readonly ApplyTradeVersion[]): Promise<void> {
    await this.matcher.locks.lockItems(em, versions.map((v) => `trade:${v.trade.tradeId}`));
    const held = new Map((await this.trades.byIds(em, [...new Set(versions.map((v) => v.trade.tradeId))])).map((t) => [t.tradeId, t as TradeForMatching]));

    const keys = new Map();
    const newer = new Map<string, TradeForMatching>();
    for (const v of versions) {
      const current = newer.get(v.trade.tradeId) ?? held.get(v.trade.tradeId);
      if (current && current.version >= v.trade.version) continue;
      if (current) addPairingKey(keys, current, v);
      addPairingKey(keys, v.trade, v);
      newer.set(v.trade.tradeId, v.trade);
    }
    await this.matcher.lockKeys(em, keys);
    await this.matcher.rematch(em, keys, { trades: [...newer.values()] });
  }
}
