import { DEV_API_KEYS, devCounterpartyPrincipal, parseApiKeyGrant } from './api-key-grants';

describe('API key grants', () => {
  it('parse key=role', () => {
    expect(parseApiKeyGrant('k-123=custodian')).toEqual({ key: 'k-123', principal: { id: expect.stringMatching(/^custodian-[0-9a-f]{12}$/), role: 'custodian' } });
  });

  it('parse key=counterparty:LEI into a principal bound to that LEI', () => {
    expect(parseApiKeyGrant('k=counterparty:5493001KJTIIGC8Y1R12').principal).toMatchObject({ role: 'counterparty', lei: '5493001KJTIIGC8Y1R12' });
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
