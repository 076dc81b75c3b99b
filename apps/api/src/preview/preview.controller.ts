import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@bianzhi/auth';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api.responses';
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
  constructor(private readonly requests: ChangeRequestsService) {}

  @Access('POST /v1/change-requests/preview')
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: PreviewResponse })
  @ApiErrors(400, 401, 403, 503)
  async preview(@CurrentUser() user: AuthUser, @Body() dto: PreviewDto): Promise<PreviewResponse> {
    const preview = await this.requests.preview(user, dto);
    return { ...preview, diff: preview.diff as PreviewResponse['diff'] };
  }
}
