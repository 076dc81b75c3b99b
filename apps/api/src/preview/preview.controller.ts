import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AuthUser } from '@bianzhi/auth';
import { evaluateChange, higherApprovalReasons } from '@bianzhi/domain';
import { RegistryRepository, specOf } from '@bianzhi/persistence';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ChangeRequestsService } from '../change-requests/change-requests.service';
import { PreviewDto, PreviewResponse } from './preview.dto';

/**
 * What a draft would do, before it exists: the registry diff, the rules it would break (returned, not
 * thrown), who would decide it and why it would go up. Creates and records nothing.
 */
@ApiTags('change-requests')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Controller('v1/change-requests/preview')
export class PreviewController {
  constructor(
    private readonly registry: RegistryRepository,
    private readonly requests: ChangeRequestsService,
  ) {}

  @Access('POST /v1/change-requests/preview')
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: PreviewResponse })
  async preview(@CurrentUser() user: AuthUser, @Body() dto: PreviewDto): Promise<PreviewResponse> {
    // The checks of creation, in its order: the clerk's own unit, then the typed payload (400 naming the field).
    if (!user.unitId || user.unitId !== dto.unitId)
      throw ApiError.forbidden('NOT_YOUR_UNIT', 'a clerk previews requests for its own unit only');
    const payload = await this.requests.validatePayload(dto.type, dto.payload);
    // Ids for the spec only: a new unit's id shows in the diff, and the request id is never stored.
    const spec = specOf({
      id: randomUUID(),
      type: dto.type,
      unitId: dto.unitId,
      payload,
      newUnitId: dto.type === 'ESTABLISH_UNIT' ? randomUUID() : null,
    });
    const before = await this.registry.snapshot();
    const evaluation = evaluateChange(before, spec);
    return {
      diff: evaluation.diff as PreviewResponse['diff'],
      violations: evaluation.violations,
      // Office decisions (decidedBy OFFICE) come later; until then the committee decides every request.
      decidedBy: 'COMMITTEE',
      referralReasons: higherApprovalReasons(before, spec),
    };
  }
}
