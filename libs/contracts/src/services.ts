/**
 * The five Postrade services. A service name is part of the contract: it owns topics, names its
 * dead-letter topic (`<service>.dlq.v1`) and is the `ce_source` of the events it produces.
 */
export const SERVICE_NAMES = ['trade-capture', 'confirmation-matching', 'settlement', 'ledger', 'compliance'] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
