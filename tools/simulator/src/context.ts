import type { EventSender } from './bus';
import type { ExpectedState, ExpectedTrade } from './expected';
import type { RestClient } from './http';
import type { PlatformObserver } from './observer';
import type { Scenario, ScenarioTrade } from './scenario';

/** The development API keys (POSTRADE_DEV_KEYS=1), one per person or system the actors play. */
export const Keys = {
  upstream: 'dev-upstream',
  ops: 'dev-ops',
  ops2: 'dev-ops-2',
  supervisor: 'dev-supervisor',
  custodian: 'dev-custodian',
  auditor: 'dev-auditor',
  counterparty: (lei: string) => `dev-cp-${lei}`,
} as const;

/** Keys that may read everything: reads are spread over them (each key has its own rate limit). */
export const READ_KEYS = [Keys.ops, Keys.ops2, Keys.supervisor, Keys.auditor];

/** What every actor works with: the scenario, the platform's doors, and what the run has learnt. */
export interface SimulationContext {
  scenario: Scenario;
  expected: ExpectedState;
  rest: RestClient;
  sender: EventSender;
  observer: PlatformObserver;
  /** Trade ids learnt from REST answers (REST-reported trades) and from the observer. */
  tradeIds: Map<string, string>;
  /** How long the platform may publish nothing of the run before a wait gives up on what is missing. */
  stallMs: number;
  /** What an actor met that it did not expect (an HTTP answer, a deadline passed): reported, never fatal. */
  issues: string[];
  log(message: string): void;
  tradeOf(sourceTradeId: string): ScenarioTrade;
  expectedOf(sourceTradeId: string): ExpectedTrade;
}

export function tradeIdOf(context: SimulationContext, sourceTradeId: string): string | undefined {
  return context.tradeIds.get(sourceTradeId) ?? context.observer.tradeIdOf.get(sourceTradeId);
}

let readCounter = 0;
export function readKey(): string {
  readCounter = (readCounter + 1) % READ_KEYS.length;
  return READ_KEYS[readCounter];
}
