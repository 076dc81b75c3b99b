import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@bianzhi/auth';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { AsOfQueryDto, CreateUnitDto, TotalsDto, UnitQueryDto } from './registry.dto';
import { RegistryImportService } from './import.service';
import { RegistryService } from './registry.service';

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
  importRegistry(@CurrentUser() admin: AuthUser, @Body() body: unknown, @Headers('content-type') contentType = '') {
    return this.importer.importRegistry(admin, body, contentType);
  }

  @Access('POST /v1/units')
  @Post('units')
  createUnit(@CurrentUser() admin: AuthUser, @Body() dto: CreateUnitDto) {
    return this.registry.createUnit(admin, dto);
  }

  @Access('GET /v1/units')
  @Get('units')
  listUnits(@Query() q: UnitQueryDto) {
    return this.registry.listUnits(q);
  }

  @Access('GET /v1/units/:id')
  @Get('units/:id')
  getUnit(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: AsOfQueryDto) {
    return this.registry.getUnit(id, q.asOf);
  }

  @Access('GET /v1/units/:id/history')
  @Get('units/:id/history')
  unitHistory(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.registry.unitHistory(id);
  }

  @Access('PUT /v1/establishment/totals')
  @Put('establishment/totals')
  setTotals(@CurrentUser() admin: AuthUser, @Body() dto: TotalsDto) {
    return this.registry.setTotals(admin, dto);
  }

  @Access('GET /v1/establishment/summary')
  @Get('establishment/summary')
  summary(@Query() q: AsOfQueryDto) {
    return this.registry.summary(q.asOf);
  }
}
