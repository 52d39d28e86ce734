import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '@postrade/kernel';
import { parseStatusMessage } from './status-message.parser';

const FIXTURES = join(__dirname, '../../../test/fixtures/iso20022');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('ISO 20022 status messages', () => {
  it('reads the real T2S sese.025 confirmation as a SETTLED update with its quantity, amount and date', () => {
    const message = parseStatusMessage(fixture('sese.025.001.09_T2S_confirmation_prowide.xml'));
    expect(message).toEqual({
      kind: 'SETTLEMENT_CONFIRMATION',
      messageType: 'sese.025',
      instructionReference: 'FOO',
      updates: [
        {
          updateId: '1423905641002',
          status: 'SETTLED',
          settledQuantity: '0',
          settledAmount: '1',
          effectiveDate: '2024-07-17',
          isin: 'NL0000009165',
          currency: 'EUR',
        },
      ],
    });
  });

  it('reads a sese.024 as matched and failing, with the failing party from the MT548 reason', () => {
    const message = parseStatusMessage(fixture('sese.024.001.10_failing_synthetic.xml'));
    expect(message).toMatchObject({ kind: 'SETTLEMENT_STATUS', messageType: 'sese.024', instructionReference: 'REPLACE-WITH-REFERENCE' });
    expect(message.updates).toEqual([
      { updateId: 'SESE024-0001:MATCHED', status: 'MATCHED' },
      { updateId: 'SESE024-0001:FAILED', status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC', statusReason: 'CLAC' },
    ]);
  });

  it('reads a sese.024 as accepted, unmatched with its reason and pending with its reason, each reason recorded', () => {
    const message = parseStatusMessage(fixture('sese.024.001.10_statuses_postrade.xml'));
    expect(message).toEqual({
      kind: 'SETTLEMENT_STATUS',
      messageType: 'sese.024',
      instructionReference: 'PTR-7Q2M4K9X',
      statuses: [
        { axis: 'processing', status: 'AckdAccptd', reasons: ['NORE'] },
        { axis: 'matching', status: 'Umtchd', reasons: ['CMIS'] },
        { axis: 'settlement', status: 'Pdg', reasons: ['FUTU'] },
      ],
      updates: [
        { updateId: 'SESE024-0002:ACKNOWLEDGED', status: 'ACKNOWLEDGED', statusReason: 'NORE' },
        { updateId: 'SESE024-0002:UNMATCHED', status: 'UNMATCHED', statusReason: 'CMIS' },
        { updateId: 'SESE024-0002:PENDING', status: 'ACKNOWLEDGED', statusReason: 'FUTU' },
      ],
    });
  });

  it('reads a sese.024 rejection with its reason code', () => {
    expect(parseStatusMessage(fixture('sese.024.001.10_rejected_postrade.xml')).updates).toEqual([{ updateId: 'SESE024-0003:REJECTED', status: 'REJECTED', statusReason: 'SAFE' }]);
  });

  it('reads a sese.024 cancelled status (PrcgSts/Canc) as CANCELLED with its reason', () => {
    const xml = fixture('sese.024.001.10_rejected_postrade.xml').replace(/<Rjctd>[\s\S]*<\/Rjctd>/, '<Canc><Rsn><Cd><Cd>CANI</Cd></Cd></Rsn></Canc>');
    expect(parseStatusMessage(xml).updates).toEqual([{ updateId: 'SESE024-0003:CANCELLED', status: 'CANCELLED', statusReason: 'CANI' }]);
  });

  it('reads a sese.024 reporting the instruction on hold (pending PREA, hold indicator PTYH) as the hold confirmed, once', () => {
    const message = parseStatusMessage(fixture('sese.024.001.10_on_hold_postrade.xml'));
    expect(message.kind).toBe('SETTLEMENT_STATUS');
    expect(message.updates).toEqual([{ updateId: 'SESE024-0004:HOLD_CONFIRMED', status: 'HOLD_CONFIRMED', statusReason: 'PREA' }]);
    // The hold indicator alone confirms it too.
    const indicatorOnly = fixture('sese.024.001.10_on_hold_postrade.xml').replace(/<SttlmSts>[\s\S]*<\/SttlmSts>/, '');
    expect(parseStatusMessage(indicatorOnly).updates).toEqual([{ updateId: 'SESE024-0004:HOLD_CONFIRMED', status: 'HOLD_CONFIRMED', statusReason: 'PTYH' }]);
  });

  it('refuses a sese.024 status outside the message definition, naming it', () => {
    const xml = fixture('sese.024.001.10_rejected_postrade.xml').replace(/<Rjctd>[\s\S]*<\/Rjctd>/, '<Bogus/>');
    expect(() => parseStatusMessage(xml)).toThrow(/processing status \(Bogus\)/);
  });

  it('reads a sese.025 partial from AddtlParams/PrtlSttlm PAIN, with SttldQty and SttldAmt', () => {
    expect(parseStatusMessage(fixture('sese.025.001.09_partial_postrade.xml'))).toEqual({
      kind: 'SETTLEMENT_CONFIRMATION',
      messageType: 'sese.025',
      instructionReference: 'PTR-7Q2M4K9X',
      updates: [
        { updateId: 'SESE025-0001', status: 'PARTIALLY_SETTLED', settledQuantity: '400', settledAmount: '75704.48', effectiveDate: '2026-11-25', isin: 'DE0007164600', currency: 'EUR' },
      ],
    });
  });

  it('reads PARC (the partial that completes the instruction) as SETTLED, and refuses another PrtlSttlm code', () => {
    const partial = fixture('sese.025.001.09_partial_postrade.xml');
    expect(parseStatusMessage(partial.replace('<PrtlSttlm>PAIN</PrtlSttlm>', '<PrtlSttlm>PARC</PrtlSttlm>')).updates[0].status).toBe('SETTLED');
    expect(() => parseStatusMessage(partial.replace('<PrtlSttlm>PAIN</PrtlSttlm>', '<PrtlSttlm>PART</PrtlSttlm>'))).toThrow(/PrtlSttlm "PART"/);
  });

  it('does not take the partial-settlement indicator (PrtlSttlmInd) or a PrtlSttlm out of its place for a partial', () => {
    // The T2S sample carries SttlmParams/PrtlSttlmInd PARQ: an indicator, not a partial settlement.
    expect(parseStatusMessage(fixture('sese.025.001.09_T2S_confirmation_prowide.xml')).updates[0].status).toBe('SETTLED');
    const misplaced = fixture('sese.025.001.09_T2S_confirmation_prowide.xml').replace('<SctiesMvmntTp>RECE</SctiesMvmntTp>', '<SctiesMvmntTp>RECE</SctiesMvmntTp><PrtlSttlm>PAIN</PrtlSttlm>');
    expect(parseStatusMessage(misplaced).updates[0].status).toBe('SETTLED');
  });

  it('reads a sese.027 cancellation status: our request id, the instruction, CANCELLED', () => {
    expect(parseStatusMessage(fixture('sese.027.001.06_cancelled_postrade.xml'))).toEqual({
      kind: 'CANCELLATION_STATUS',
      messageType: 'sese.027',
      requestReference: 'CANC-7Q2M4K9X-1',
      instructionReference: 'PTR-7Q2M4K9X',
      statuses: [{ axis: 'processing', status: 'Canc', reasons: ['NORE'] }],
      updates: [{ updateId: 'SESE027-0001:CANCELLED', status: 'CANCELLED', statusReason: 'NORE' }],
    });
  });

  it.each([
    ['Rjctd', '<Rjctd><Rsn><Cd><Cd>LATE</Cd></Cd></Rsn></Rjctd>', 'CANCELLATION_REJECTED', 'LATE'],
    ['Dnd', '<Dnd><Rsn><Cd><Cd>DSET</Cd></Cd></Rsn></Dnd>', 'CANCELLATION_REJECTED', 'DSET'],
    ['AckdAccptd', '<AckdAccptd><NoSpcfdRsn>NORE</NoSpcfdRsn></AckdAccptd>', 'ACKNOWLEDGED', 'NORE'],
  ])('reads a sese.027 %s as %s with its reason', (_status, element, status, reason) => {
    const xml = fixture('sese.027.001.06_cancelled_postrade.xml').replace(/<Canc>[\s\S]*<\/Canc>/, element);
    expect(parseStatusMessage(xml).updates).toEqual([{ updateId: `SESE027-0001:${status}`, status, statusReason: reason }]);
  });

  it('reads a sese.031 as the hold confirmed (or its release), quoting our request id', () => {
    const hold = fixture('sese.031.001.08_hold_completed_postrade.xml');
    expect(parseStatusMessage(hold)).toEqual({
      kind: 'HOLD_STATUS',
      messageType: 'sese.031',
      requestReference: 'HOLD-7Q2M4K9X-1',
      instructionReference: 'PTR-7Q2M4K9X',
      hold: true,
      statuses: [{ axis: 'processing', status: 'Cmpltd', reasons: [] }],
      updates: [{ updateId: 'SESE031-0001:HOLD_CONFIRMED', status: 'HOLD_CONFIRMED' }],
    });
    const release = hold.replace('<Ind>true</Ind>', '<Ind>false</Ind>').replace('<Cmpltd/>', '<AckdAccptd><NoSpcfdRsn>NORE</NoSpcfdRsn></AckdAccptd>');
    expect(parseStatusMessage(release)).toMatchObject({ kind: 'HOLD_STATUS', hold: false, updates: [{ updateId: 'SESE031-0001:RELEASE_CONFIRMED', status: 'RELEASE_CONFIRMED' }] });
  });

  it('reads a sese.031 rejection of our hold as HOLD_REJECTED with the custodian\'s reason code, quoting our request id', () => {
    expect(parseStatusMessage(fixture('sese.031.001.08_hold_rejected_postrade.xml'))).toEqual({
      kind: 'HOLD_STATUS',
      messageType: 'sese.031',
      requestReference: 'HOLD-7Q2M4K9X-2',
      instructionReference: 'PTR-7Q2M4K9X',
      hold: true,
      statuses: [{ axis: 'processing', status: 'Rjctd', reasons: ['LATE'] }],
      updates: [{ updateId: 'SESE031-0002:HOLD_REJECTED', status: 'HOLD_REJECTED', statusReason: 'LATE' }],
    });
  });

  it.each([
    ['a hold', 'true', '<Dnd><Rsn><Cd><Cd>DSET</Cd></Cd></Rsn></Dnd>', 'HOLD_REJECTED', 'DSET'],
    ['a release', 'false', '<Rjctd><Rsn><Cd><Cd>NRGM</Cd></Cd></Rsn></Rjctd>', 'RELEASE_REJECTED', 'NRGM'],
    ['a release', 'false', '<Dnd><NoSpcfdRsn>NORE</NoSpcfdRsn></Dnd>', 'RELEASE_REJECTED', 'NORE'],
  ])('reads a sese.031 refusing %s (HldInd %s, %s) as %s with reason %s', (_what, indicator, element, status, reason) => {
    const xml = fixture('sese.031.001.08_hold_completed_postrade.xml').replace('<Ind>true</Ind>', `<Ind>${indicator}</Ind>`).replace('<Cmpltd/>', element);
    expect(parseStatusMessage(xml).updates).toEqual([{ updateId: `SESE031-0001:${status}`, status, statusReason: reason }]);
  });

  it('records a pending hold request with its reason (the hold stays as it was), and refuses a sese.031 that does not say hold or release', () => {
    const hold = fixture('sese.031.001.08_hold_completed_postrade.xml');
    const pending = hold.replace('<Cmpltd/>', '<Pdg><NoSpcfdRsn>NORE</NoSpcfdRsn></Pdg>');
    expect(parseStatusMessage(pending).updates).toEqual([{ updateId: 'SESE031-0001:ACKNOWLEDGED', status: 'ACKNOWLEDGED', statusReason: 'Pdg,NORE' }]);
    expect(() => parseStatusMessage(hold.replace(/<HldInd>[\s\S]*<\/HldInd>/, ''))).toThrow(/HldInd/);
  });

  describe('bounds the quantity and amount like every decimal that enters', () => {
    const confirmation = fixture('sese.025.001.09_T2S_confirmation_prowide.xml');
    const withQuantity = (unit: string) => confirmation.replace('<Unit>0</Unit>', `<Unit>${unit}</Unit>`);
    const withAmount = (amount: string) => confirmation.replace('<Amt Ccy="EUR">1</Amt>', `<Amt Ccy="EUR">${amount}</Amt>`);
    const refusal = (xml: string): unknown => {
      try {
        parseStatusMessage(xml);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const TOO_MANY_DIGITS = 'must have at most 18 digits before the decimal point and 12 after';

    it.each([
      ['SttldQty', withQuantity('9'.repeat(40))],
      ['SttldAmt', withAmount('9'.repeat(40))],
      ['SttldQty', withQuantity(`1.${'0'.repeat(13)}`)],
      ['SttldAmt', withAmount('9'.repeat(400_000))],
    ])('refuses an overlong %s with a 400 naming it, without echoing the digits', (element, xml) => {
      const error = refusal(xml);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ kind: 'invalid', errors: [{ field: 'body', message: `${element} ${TOO_MANY_DIGITS}` }] });
      expect((error as DomainError).message.length).toBeLessThan(200);
    });

    it('accepts 18 integer and 12 fraction digits, and still names a malformed one', () => {
      const widest = `${'9'.repeat(18)}.${'9'.repeat(12)}`;
      expect(parseStatusMessage(withQuantity(widest)).updates[0].settledQuantity).toBe(widest);
      expect(refusal(withAmount('1e5'))).toMatchObject({ kind: 'invalid', errors: [{ field: 'body', message: 'SttldAmt "1e5" is not a decimal' }] });
    });
  });

  it.each([
    ['a DTD', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><Document>&e;</Document>', 'DTD'],
    ['malformed XML', '<Document><SctiesSttlmTxConf></Document>', 'well-formed'],
    ['another message', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:semt.002.001.11"><SctyBalCtdyRpt/></Document>', 'neither'],
  ])('refuses %s with a 400 naming the body', (_what, xml, why) => {
    let error: unknown;
    try {
      parseStatusMessage(xml);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('invalid');
    expect((error as DomainError).message).toContain(why);
  });
});
