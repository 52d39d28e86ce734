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
    expect(message.messageType).toBe('sese.024');
    expect(message.updates).toEqual([
      { updateId: 'SESE024-0001:MATCHED', status: 'MATCHED' },
      { updateId: 'SESE024-0001:FAILED', status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC' },
    ]);
  });

  it('marks a sese.025 with PrtlSttlm PAIN as a partial settlement', () => {
    const xml = fixture('sese.025.001.09_T2S_confirmation_prowide.xml').replace('<SctiesMvmntTp>RECE</SctiesMvmntTp>', '<SctiesMvmntTp>RECE</SctiesMvmntTp><PrtlSttlm>PAIN</PrtlSttlm>');
    expect(parseStatusMessage(xml).updates[0].status).toBe('PARTIALLY_SETTLED');
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
