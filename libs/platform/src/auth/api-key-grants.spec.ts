import { createHash } from 'node:crypto';
import { DEV_API_KEYS, devCounterpartyPrincipal, devCustodianPrincipal, parseApiKeyGrant } from './api-key-grants';

describe('API key grants', () => {
  it('parse key=role', () => {
    expect(parseApiKeyGrant('k-123=custodian')).toEqual({
      digest: createHash('sha256').update('k-123').digest(),
      principal: { id: expect.stringMatching(/^custodian-[0-9a-f]{12}$/), role: 'custodian' },
    });
  });

  it('parse key=counterparty:LEI into a principal bound to that LEI', () => {
    expect(parseApiKeyGrant('k=counterparty:5493001KJTIIGC8Y1R12').principal).toMatchObject({ role: 'counterparty', lei: '5493001KJTIIGC8Y1R12' });
  });

  it('keep the key only as its SHA-256 digest, and name the principal after the digest', () => {
    const grant = parseApiKeyGrant('k-123=custodian');
    expect(Object.keys(grant)).toEqual(['digest', 'principal']);
    expect(grant.principal.id).toBe(`custodian-${createHash('sha256').update('k-123').digest('hex').slice(0, 12)}`);
  });

  it('refuse a key shorter than the minimum asked for, without echoing it', () => {
    expect(() => parseApiKeyGrant('short-key=ops', { minKeyLength: 32 })).toThrow(
      'has a key of 9 characters; keys must have at least 32 (shorter ones only with POSTRADE_DEV_KEYS=1)',
    );
    expect(parseApiKeyGrant(`${'k'.repeat(32)}=ops`, { minKeyLength: 32 }).principal.role).toBe('ops');
  });

  it('give different keys different ids', () => {
    expect(parseApiKeyGrant('a=ops').principal.id).not.toBe(parseApiKeyGrant('b=ops').principal.id);
  });

  it('offer exactly the documented development keys', () => {
    expect(DEV_API_KEYS.map((grant) => grant.key)).toEqual(['dev-upstream', 'dev-ops', 'dev-ops-2', 'dev-supervisor', 'dev-custodian', 'dev-auditor']);
  });

  it('read the LEI of a dev counterparty key, which must be 20 upper-case alphanumerics', () => {
    expect(devCounterpartyPrincipal('dev-cp-5493001KJTIIGC8Y1R12')).toEqual({ id: 'dev-cp-5493001KJTIIGC8Y1R12', role: 'counterparty', lei: '5493001KJTIIGC8Y1R12' });
    expect(devCounterpartyPrincipal('dev-cp-5493001kjtiigc8y1r12')).toBeUndefined();
    expect(devCounterpartyPrincipal('dev-cp-5493001KJTIIGC8Y1R123')).toBeUndefined();
    expect(devCounterpartyPrincipal('dev-ops')).toBeUndefined();
  });
});

describe('upstream keys bound to source systems', () => {
  it('parses key=upstream:OMS1,OMS2 into a principal limited to those systems', () => {
    expect(parseApiKeyGrant('oms-key=upstream:OMS1,OMS2').principal).toMatchObject({ role: 'upstream', sourceSystems: ['OMS1', 'OMS2'] });
  });

  it('leaves a plain upstream key unbound', () => {
    expect(parseApiKeyGrant('oms-key=upstream').principal.sourceSystems).toBeUndefined();
  });
});

describe('custodian keys bound to the agent they speak for', () => {
  it('parses key=custodian:BIC into a principal bound to that agent, and refuses a malformed BIC', () => {
    expect(parseApiKeyGrant('cust-key=custodian:DEUTDEFFXXX').principal).toMatchObject({ role: 'custodian', agentBic: 'DEUTDEFFXXX' });
    expect(parseApiKeyGrant('cust-key=custodian:DEUTDEFF').principal).toMatchObject({ role: 'custodian', agentBic: 'DEUTDEFF' });
    expect(() => parseApiKeyGrant('cust-key=custodian:deutdeff')).toThrow('valid BIC');
    expect(() => parseApiKeyGrant('cust-key=custodian:DEUTDEFFXX')).toThrow('valid BIC');
    expect(parseApiKeyGrant('cust-key=custodian').principal.agentBic).toBeUndefined();
  });

  it('reads the BIC of a dev-custodian-<BIC> key; dev-custodian itself stays unbound', () => {
    expect(devCustodianPrincipal('dev-custodian-DEUTDEFFXXX')).toEqual({ id: 'dev-custodian-DEUTDEFFXXX', role: 'custodian', agentBic: 'DEUTDEFFXXX' });
    expect(devCustodianPrincipal('dev-custodian-deutdeffxxx')).toBeUndefined();
    expect(devCustodianPrincipal('dev-custodian')).toBeUndefined();
    expect(DEV_API_KEYS.find((k) => k.key === 'dev-custodian')!.principal.agentBic).toBeUndefined();
  });
});
