import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DomainError } from '@postrade/kernel';
import { currentCorrelationId, CurrentPrincipal, Roles, API_KEY_SECURITY_SCHEME, ApiProblems, type NonJsonBodyRoute, type Principal } from '@postrade/platform';
import { ApplyStatusUpdateHandler } from '../application/apply-status-update/apply-status-update.command-handler';
import type { InstructionView } from '../application/instruction-resource';
import { instructionIdOfReference } from '@postrade/contracts';
import { parseStatusMessage } from './iso20022/status-message.parser';
import { StatusMessagesReceiveResponseDto } from './settlement.responses';

/** Content types the XML body parser of this one route accepts (see `settlement.module.ts`). */
export const XML_CONTENT_TYPES = ['application/xml', 'text/xml'];
export const STATUS_MESSAGES_PATH = 'api/v1/status-messages';

/** Lets XML past the platform's JSON-only gate on this one route (given to `configureApp`). */
export const SETTLEMENT_NON_JSON_ROUTES: NonJsonBodyRoute[] = [{ method: 'POST', path: `/${STATUS_MESSAGES_PATH}`, mediaTypes: XML_CONTENT_TYPES }];

/**
 * ISO 20022 status messages from the custodian: a sese.025 settlement confirmation or a sese.024
 * status advice, posted as XML. The message names the instruction by our reference (its
 * AcctOwnrTxId); what it reports goes through the same use case as a JSON status update.
 */
@ApiTags('instructions')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller(STATUS_MESSAGES_PATH)
export class StatusMessagesController {
  constructor(private readonly statusUpdates: ApplyStatusUpdateHandler) {}

  @Post()
  @HttpCode(200)
  @Roles('custodian')
  @ApiConsumes(...XML_CONTENT_TYPES)
  @ApiBody({ description: 'sese.024.001.x, sese.025.001.x, sese.027.001.x or sese.031.001.x XML, bare or in a head.003 RequestPayload with its AppHdr.', schema: { type: 'string' } })
  @ApiOperation({ summary: 'Receive an ISO 20022 sese.024/sese.025/sese.027/sese.031 status message from a custodian' })
  @ApiOkResponse({ type: StatusMessagesReceiveResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async receive(@Body() body: unknown, @CurrentPrincipal() by?: Principal): Promise<{ messageType: string; updateIds: string[]; instruction: InstructionView }> {
    if (typeof body !== 'string' || body.trim() === '') {
      throw new DomainError('invalid', 'body: send the ISO 20022 message as XML with Content-Type application/xml', [
        { field: 'body', message: 'must be an ISO 20022 XML document sent as application/xml' },
      ]);
    }
    const message = parseStatusMessage(body);
    const instructionId = instructionIdOfReference(message.instructionReference);
    if (instructionId === null) throw DomainError.notFound('Instruction with reference', message.instructionReference);
    // A custodian key bound to an agent reaches only that agent's instructions (another one is 404); the sender is recorded with each update.
    const sender = by === undefined ? undefined : { id: by.id, agentBic: by.agentBic };
    const instruction = await this.statusUpdates.applyAllNow(instructionId, message.updates, currentCorrelationId(), sender);
    return { messageType: message.messageType, updateIds: message.updates.map((u) => u.updateId), instruction };
  }
}
