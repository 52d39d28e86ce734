/**
 * The Postrade services and their REST ports: the one list every launcher, test and tool reads
 * (a new service is one line here). A service name is part of the contract: it owns topics, names
 * its dead-letter topic (`<service>.dlq.v1`) and is the `ce_source` of the events it produces.
 */
export const SERVICE_PORTS = {
  'trade-capture': 3001,
  'confirmation-matching': 3002,
  settlement: 3003,
  ledger: 3004,
  compliance: 3005,
  reconciliation: 3006,
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;

export const SERVICE_NAMES = Object.freeze(Object.keys(SERVICE_PORTS) as ServiceName[]);

/**
 * Ports for a second platform beside the first (tests, benchmarks): the services' own ports moved
 * by `offset` (e.g. 10,100 → 13101…13106), so the two never collide and the list stays one.
 */
export function servicePorts(offset = 0): Record<ServiceName, number> {
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, SERVICE_PORTS[name] + offset])) as Record<ServiceName, number>;
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
