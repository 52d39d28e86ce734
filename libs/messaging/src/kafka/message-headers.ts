import type { IHeaders } from 'kafkajs';

/** Kafka headers as plain strings (kafkajs hands out Buffers, sometimes arrays of them). */
export function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    result[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return result;
}
