import { SERVICE_NAMES } from '../services';
import { GATEWAYS, GATEWAY_NAMES, allowedSourcesOf, serviceTopicAccess, sourceFor, sourceRefusal, writersOf } from './topic-access';
import { TOPIC_DEFINITIONS, Topics } from './topics';

describe('topic access', () => {
  it('lets only the owner write an internal stream and its DLQ', () => {
    expect(writersOf(Topics.complianceDecisions)).toEqual(['compliance']);
    expect(writersOf(Topics.settlementDlq)).toEqual(['settlement']);
    expect(serviceTopicAccess('settlement').writes).toEqual(
      expect.arrayContaining([Topics.settlementEvents, Topics.settlementInstructionsOutbound, Topics.settlementDlq]),
    );
    expect(serviceTopicAccess('settlement').writes).not.toContain(Topics.settlementStatusInbound);
  });

  it('lets only gateways write inbound topics, each only its own', () => {
    expect(writersOf(Topics.tradesInbound)).toEqual(['oms-gateway']);
    expect(writersOf(Topics.confirmationsInbound)).toEqual(['counterparty-gateway']);
    expect(writersOf(Topics.settlementStatusInbound)).toEqual(['custodian-gateway']);
    expect(writersOf(Topics.statementsInbound)).toEqual(['custodian-gateway']);
    for (const gateway of GATEWAY_NAMES) for (const topic of GATEWAYS[gateway].writes) expect(topic).toMatch(/\.inbound\.v1$/);
    for (const service of SERVICE_NAMES) for (const topic of serviceTopicAccess(service).writes) expect(topic).not.toMatch(/\.inbound\.v1$/);
  });

  it('gives every stream topic a writer', () => {
    for (const t of TOPIC_DEFINITIONS) expect(writersOf(t.name).length).toBeGreaterThan(0);
  });

  it("refuses a ce_source that is not the topic's owner, naming who may publish", () => {
    expect(sourceRefusal(Topics.complianceDecisions, 'compliance')).toBeNull();
    expect(sourceRefusal(Topics.complianceDecisions, 'settlement')).toBe(
      'ce_source "settlement" may not publish on compliance.decisions.v1: only "compliance" (optionally "<name>/<system>" for a gateway) may',
    );
    expect(sourceRefusal(Topics.complianceDecisions, 'compliance-evil')).not.toBeNull();
    expect(sourceRefusal(Topics.complianceDecisions, 'compliance/x')).toBeNull();
  });

  it('accepts a gateway, or a gateway naming its system, on its inbound topics only', () => {
    expect(sourceRefusal(Topics.tradesInbound, 'oms-gateway')).toBeNull();
    expect(sourceRefusal(Topics.tradesInbound, 'oms-gateway/OMS1')).toBeNull();
    expect(sourceRefusal(Topics.tradesInbound, 'oms1')).toMatch(/only "oms-gateway"/);
    expect(sourceRefusal(Topics.tradesInbound, 'custodian-gateway')).not.toBeNull();
    expect(sourceRefusal(Topics.tradesInbound, 'trade-capture')).not.toBeNull();
  });

  it('does not check DLQs (copies keep their source) or topics outside the registry', () => {
    expect(allowedSourcesOf(Topics.ledgerDlq)).toBeNull();
    expect(sourceRefusal('msgtest.widgets.v1', 'anyone')).toBeNull();
  });

  it('names the source a publisher sets', () => {
    expect(sourceFor(Topics.tradeCaptureTrades)).toBe('trade-capture');
    expect(sourceFor(Topics.tradesInbound, 'OMS1')).toBe('oms-gateway/OMS1');
    expect(sourceFor(Topics.statementsInbound)).toBe('custodian-gateway');
    expect(() => sourceFor('nope.v1')).toThrow(/not a Postrade topic/);
  });
});
