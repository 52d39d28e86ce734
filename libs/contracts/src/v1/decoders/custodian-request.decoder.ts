import { PayloadFields } from '../payload-fields';
import type { CustodianRequestAction } from '../resources/instruction.resource';

const ACTIONS: readonly CustodianRequestAction[] = ['HOLD', 'RELEASE', 'CANCEL'];

/**
 * What a custodian reads of a hold, release or cancellation request on
 * `settlement.instructions.outbound.v1`: the instruction it names, the request, and its ISO 20022
 * message (sese.030 for HOLD / RELEASE, sese.020 for CANCEL).
 */
export interface CustodianRequestView {
  instructionId: string;
  /** Our instruction reference, as the sese.023 carried it. */
  reference: string;
  requestId: string;
  action: CustodianRequestAction;
  reason: string | null;
  /** The request as ISO 20022 XML. */
  xml: string;
}

export function decodeCustodianRequest(data: unknown): CustodianRequestView {
  const fields = PayloadFields.of(data);
  const request = fields.object('request');
  const action = request.oneOf('action', ACTIONS);
  return {
    instructionId: fields.text('instructionId'),
    reference: fields.text('reference'),
    requestId: request.text('requestId'),
    action,
    reason: request.optionalText('reason'),
    xml: fields.text(action === 'CANCEL' ? 'sese020' : 'sese030'),
  };
}
