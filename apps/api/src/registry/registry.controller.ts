import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@bianzhi/auth';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ApiErrors } from '../common/api.responses';
import { AsOfQueryDto, CreateUnitDto, TotalsDto, UnitQueryDto } from './registry.dto';
import { RegistryImportService } from './import.service';
import { RegistryService } from './registry.service';
import {
  EstablishmentSummary,
  RegistryImportResult,
  TotalsView,
  UnitAsOfView,
  UnitHistoryEntry,
  UnitPage,
  UnitView,
} from './registry.responses';

@ApiTags('registry')
@ApiBearerAuth()
@Controller('v1')
export class RegistryController {
  constructor(
    private readonly registry: RegistryService,
    private readonly importer: RegistryImportService,
  ) {}

  /** Import an existing registry: JSON `{ totals?, units: [...] }`, or a units CSV (Content-Type: text/csv). */
  @Access('POST /v1/registry/import')
  @Post('registry/import')
  @ApiBody({ description: 'JSON { totals?, units: [{ ref, parentRef?, ...unit }] } or text/csv of units' })
  @ApiCreatedResponse({ type: RegistryImportResult })
  @ApiErrors(400, 401, 403, 409, 413, 422, 503)
  @ApiQuery({
    name: 'dryRun',
    required: false,
    enum: ['true', 'false'],
    description: 'check the whole file and report every problem, writing nothing (the same answers, `dryRun: true`)',
  })
  importRegistry(
    @CurrentUser() admin: AuthUser,
    @Body() body: unknown,
    @Headers('content-type') contentType = '',
    @Query('dryRun') dryRun?: string,
  ): Promise<RegistryImportResult> {
    if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false')
      throw ApiError.validation([{ field: 'dryRun', problem: 'dryRun must be true or false' }]);
    return this.importer.importRegistry(admin, body, contentType, dryRun === 'true');
  }

  @Access('POST /v1/units')
  @Post('units')
  @ApiCreatedResponse({ type: UnitView })
  @ApiErrors(400, 401, 403, 409, 422, 503)
  createUnit(@CurrentUser() admin: AuthUser, @Body() dto: CreateUnitDto): Promise<UnitView> {
    return this.registry.createUnit(admin, dto);
  }

  @Access('GET /v1/units')
  @Get('units')
  @ApiOkResponse({ type: UnitPage })
  @ApiErrors(400, 401, 403, 503)
  listUnits(@Query() q: UnitQueryDto): Promise<UnitPage> {
    return this.registry.listUnits(q);
  }

  @Access('GET /v1/units/:id')
  @Get('units/:id')
  @ApiOkResponse({ type: UnitAsOfView })
  @ApiErrors(400, 401, 403, 404, 503)
  getUnit(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: AsOfQueryDto): Promise<UnitAsOfView> {
    return this.registry.getUnit(id, q.asOf);
  }

  @Access('GET /v1/units/:id/history')
  @Get('units/:id/history')
  @ApiOkResponse({ type: [UnitHistoryEntry] })
  @ApiErrors(400, 401, 403, 404, 503)
  unitHistory(@Param('id', new ParseUUIDPipe()) id: string): Promise<UnitHistoryEntry[]> {
    return this.registry.unitHistory(id);
  }

  @Access('PUT /v1/establishment/totals')
  @Put('establishment/totals')
  @ApiOkResponse({ type: TotalsView })
  @ApiErrors(400, 401, 403, 422, 503)
  setTotals(@CurrentUser() admin: AuthUser, @Body() dto: TotalsDto): Promise<TotalsView> {
    return this.registry.setTotals(admin, dto);
  }

  @Access('GET /v1/establishment/summary')
  @Get('establishment/summary')
  @ApiOkResponse({ type: EstablishmentSummary })
  @ApiErrors(400, 401, 403, 503)
  summary(@Query() q: AsOfQueryDto) {
    return this.registry.summary(q.asOf);
  }
}
