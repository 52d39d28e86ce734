import { EventTypes, Topics } from '@postrade/contracts';
import type { KafkaConnection } from '@postrade/messaging';
import { TopicWatcher, type SeenMessage } from './bus';

export interface StageCounts {
  captured: number;
  matched: number;
  cleared: number;
  held: number;
  instructed: number;
  settled: number;
  booked: number;
}

/**
 * Follows the platform's own topics while the run goes on: which of the run's trades were
 * captured (and under which trade id), matched, screened, instructed, settled and booked. It drives
 * the progress line and tells the actors when the platform has caught up; the final comparison is
 * made against the REST APIs, never against what was seen here.
 */
export class PlatformObserver {
  readonly tradeIdOf = new Map<string, string>();
  readonly sourceOf = new Map<string, string>();
  readonly captured = new Map<string, { version: number; status: string }>();
  readonly matchStatus = new Map<string, string>();
  readonly decision = new Map<string, { outcome: string; tradeVersion: number }>();
  readonly instructionsOfTrade = new Map<string, Set<string>>();
  readonly instructionState = new Map<string, { tradeIds: string[]; event: string; settlementStatus: string; processingStatus: string }>();
  readonly booked = new Set<string>();
  lastEventAt = Date.now();
  private readonly watcher: TopicWatcher;

  constructor(connection: KafkaConnection, runTag: string, private readonly sourceSystem: string) {
    this.watcher = new TopicWatcher(
      connection,
      `postrade-simulator-${runTag}-observer`,
      [Topics.tradeCaptureTrades, Topics.matchingResults, Topics.complianceDecisions, Topics.settlementEvents, Topics.ledgerEvents],
      (m) => this.seen(m),
    );
  }

  start(): Promise<void> {
    return this.watcher.start();
  }

  stop(): Promise<void> {
    return this.watcher.stop();
  }

  /** Times its consumer crashed and went on (the broker away). */
  get crashes(): number {
    return this.watcher.crashes;
  }

  private mine(tradeId: string | null | undefined): boolean {
    return typeof tradeId === 'string' && this.sourceOf.has(tradeId);
  }

  private seen(message: SeenMessage): void {
    let data: any;
    try {
      data = JSON.parse(message.value);
    } catch {
      return;
    }
    switch (message.topic) {
      case Topics.tradeCaptureTrades:
        if (data.sourceSystem !== this.sourceSystem) return;
        this.tradeIdOf.set(data.sourceTradeId, data.tradeId);
        this.sourceOf.set(data.tradeId, data.sourceTradeId);
        if (message.type !== EventTypes.tradeEnriched) this.captured.set(data.tradeId, { version: data.version, status: data.status });
        break;
      case Topics.matchingResults:
        if (!data.tradeId) return;
        this.matchStatus.set(data.tradeId, data.status);
        if (!this.mine(data.tradeId)) return;
        break;
      case Topics.complianceDecisions:
        this.decision.set(data.tradeId, { outcome: data.outcome, tradeVersion: data.tradeVersion });
        if (!this.mine(data.tradeId)) return;
        break;
      case Topics.settlementEvents: {
        const tradeIds: string[] = Array.isArray(data.tradeIds) ? data.tradeIds : [];
        for (const tradeId of tradeIds) {
          const set = this.instructionsOfTrade.get(tradeId) ?? new Set<string>();
          set.add(data.instructionId);
          this.instructionsOfTrade.set(tradeId, set);
        }
        this.instructionState.set(data.instructionId, {
          tradeIds,
          event: message.type ?? '',
          settlementStatus: data.settlementStatus,
          processingStatus: data.processingStatus,
        });
        if (!tradeIds.some((t) => this.mine(t))) return;
        break;
      }
      case Topics.ledgerEvents:
        if (data.tradeId) this.booked.add(data.tradeId);
        if (!this.mine(data.tradeId)) return;
        break;
    }
    this.lastEventAt = Date.now();
  }

  /** The trades of the run at each stage. */
  counts(): StageCounts {
    const counts: StageCounts = { captured: 0, matched: 0, cleared: 0, held: 0, instructed: 0, settled: 0, booked: 0 };
    for (const tradeId of this.sourceOf.keys()) {
      if (this.captured.has(tradeId)) counts.captured++;
      const match = this.matchStatus.get(tradeId);
      if (match === 'MATCHED' || match === 'AFFIRMED') counts.matched++;
      const decision = this.decision.get(tradeId)?.outcome;
      if (decision === 'CLEARED' || decision === 'RELEASED') counts.cleared++;
      if (decision === 'HELD') counts.held++;
      const instructions = [...(this.instructionsOfTrade.get(tradeId) ?? [])].map((id) => this.instructionState.get(id));
      if (instructions.some((i) => i && i.processingStatus !== 'CANCELLED')) counts.instructed++;
      if (instructions.some((i) => i?.settlementStatus === 'SETTLED')) counts.settled++;
      if (this.booked.has(tradeId)) counts.booked++;
    }
    return counts;
  }

  /** True when no event of the run has been seen for `ms`. */
  quietFor(ms: number): boolean {
    return Date.now() - this.lastEventAt >= ms;
  }

  /** Resolves once no event of the run has been seen for `quietMs`, or the deadline passes (false). */
  async quiet(quietMs: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (Date.now() - this.lastEventAt >= quietMs) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A one-line summary of the stages, for stderr. */
export function progressLine(total: number, c: StageCounts, phase: string): string {
  return `[${phase}] ${total} trades · captured ${c.captured} · matched/affirmed ${c.matched} · cleared ${c.cleared} held ${c.held} · instructed ${c.instructed} · settled ${c.settled} · booked ${c.booked}`;
}
