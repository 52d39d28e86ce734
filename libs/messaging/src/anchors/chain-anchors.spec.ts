import { signAnchor, type ChainHead } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import type { DataSource } from 'typeorm';
import type { Outbox } from '../outbox/outbox';
import { readLatestAnchor } from './anchor-reader';
import { ChainAnchors } from './chain-anchors';

jest.mock('./anchor-reader', () => ({ readLatestAnchor: jest.fn() }));
const latest = readLatestAnchor as jest.MockedFunction<typeof readLatestAnchor>;

const key = { id: 'k1', secret: 'a-secret-of-at-least-thirty-two-characters' };
const heads: ChainHead[] = [{ chain: 'api:1', lastSequence: 2, lastHash: 'h2' }];
const stored: Record<number, string> = { 1: 'h1', 2: 'h2' };

const anchors = new ChainAnchors({
  service: 'compliance',
  schema: 'compliance',
  chains: { trail: 'audit', heads: async () => heads, hashAt: async (_em, _chain, sequence) => stored[sequence] ?? null },
  key,
  outbox: {} as Outbox,
  transactions: {} as TransactionRunner,
  dataSource: { manager: {} } as DataSource,
  kafka: { clientId: 'compliance', brokers: [] },
});
const statement = { service: 'compliance', schema: 'compliance', trail: 'audit', heads, anchoredAt: '2026-12-07T18:00:00.000Z' };

describe('checking chains against the latest anchor', () => {
  it('is ok with nothing anchored yet, and when the anchored positions still hold the anchored hashes', async () => {
    latest.mockResolvedValueOnce(null);
    expect(await anchors.check()).toMatchObject({ ok: true, status: 'NONE', chainsChecked: 0 });
    latest.mockResolvedValueOnce({ anchor: signAnchor(statement, key), partition: 2, offset: '7' });
    expect(await anchors.check()).toMatchObject({ ok: true, status: 'MATCHES', chainsChecked: 1, partition: 2, offset: '7', keyId: 'k1', anchoredAt: statement.anchoredAt });
  });

  it('is not ok when the anchors cannot be read from Kafka, saying why', async () => {
    latest.mockRejectedValueOnce(new Error('timed out after 15000 ms reading audit.anchors.v1'));
    expect(await anchors.check()).toMatchObject({ ok: false, status: 'UNAVAILABLE', error: 'timed out after 15000 ms reading audit.anchors.v1' });
  });

  it('reports a malformed or forged anchor as a bad signature, without comparing with it', async () => {
    latest.mockResolvedValueOnce({ anchor: { ...signAnchor(statement, key), heads: 'all of them' as never }, partition: 0, offset: '1' });
    expect(await anchors.check()).toMatchObject({ ok: false, status: 'BAD_SIGNATURE', signatureProblem: 'BAD_SIGNATURE', chainsChecked: 0 });
    const forged = { ...signAnchor(statement, key), heads: [{ chain: 'api:1', lastSequence: 1, lastHash: 'h1' }] };
    latest.mockResolvedValueOnce({ anchor: forged, partition: 0, offset: '2' });
    expect(await anchors.check()).toMatchObject({ ok: false, status: 'BAD_SIGNATURE', signatureProblem: 'BAD_SIGNATURE' });
  });

  it('names the chains that differ from a genuine anchor', async () => {
    latest.mockResolvedValueOnce({ anchor: signAnchor({ ...statement, heads: [{ chain: 'api:1', lastSequence: 2, lastHash: 'other' }] }, key), partition: 0, offset: '3' });
    expect(await anchors.check()).toMatchObject({ ok: false, status: 'DIFFERS', differences: [{ chain: 'api:1', problem: 'REWRITTEN', hashFound: 'h2' }] });
  });
});
