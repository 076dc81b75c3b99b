import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { AuthUser } from '@bianzhi/auth';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api.responses';
import { ApiError } from '../common/api-error';
import { contentDisposition } from '../attachments/content-type';
import { MonthlyQueryDto, PersonQueryDto, ReconcileQueryDto } from './people.dto';
import { MonthlyReport, PeopleImportResult, PersonDetail, PersonPage, ReconcileResult } from './people.responses';
import { monthlyCsv, PeopleService, reconciliationCsv } from './people.service';

const UUID = new ParseUUIDPipe();
const csvFile = (text: string, name: string) =>
  new StreamableFile(Buffer.from(text, 'utf8'), {
    type: 'text/csv; charset=utf-8',
    disposition: contentDisposition(name),
  });
const jsonOrCsv = (model: new () => object) => ({
  content: {
    'application/json': { schema: { $ref: getSchemaPath(model) } },
    'text/csv': { schema: { type: 'string' as const, description: 'with format=csv' } },
  },
});

/** People on the establishment (实名制): the records, their import, the reconciliation and the monthly report. */
@ApiTags('people')
@ApiBearerAuth()
@ApiExtraModels(MonthlyReport, ReconcileResult)
@Controller('v1')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Access('GET /v1/people')
  @Get('people')
  @ApiOkResponse({ type: PersonPage })
  @ApiErrors(400, 401, 403, 503)
  list(@CurrentUser() user: AuthUser, @Query() q: PersonQueryDto): Promise<PersonPage> {
    return this.people.list(user, q);
  }

  @Access('POST /v1/people/import')
  @Post('people/import')
  @ApiBody({
    description: 'JSON { people: [{ name, idNumber, unitId, category }] } or text/csv with those columns',
    schema: { oneOf: [{ type: 'object' }, { type: 'string' }] },
  })
  @ApiQuery({ name: 'dryRun', required: false, enum: ['true', 'false'], description: 'check whole, write nothing' })
  @ApiCreatedResponse({ type: PeopleImportResult })
  @ApiErrors(400, 401, 403, 409, 413, 503)
  import(
    @CurrentUser() admin: AuthUser,
    @Body() body: unknown,
    @Headers('content-type') contentType = '',
    @Query('dryRun') dryRun?: string,
  ): Promise<PeopleImportResult> {
    return this.people.import(admin, body, contentType, dryRun === 'true');
  }

  @Access('POST /v1/people/reconcile')
  @Post('people/reconcile')
  @ApiBody({ description: 'text/csv: a payroll or HR roster with the columns name,idNumber,unit (name or id)' })
  @ApiCreatedResponse(jsonOrCsv(ReconcileResult))
  @ApiErrors(400, 401, 403, 404, 409, 413, 503)
  async reconcile(
    @CurrentUser() user: AuthUser,
    @Body() body: unknown,
    @Headers('content-type') contentType = '',
    @Query() q: ReconcileQueryDto,
  ): Promise<ReconcileResult | StreamableFile> {
    if (!contentType.includes('text/csv') || typeof body !== 'string')
      throw ApiError.validation([{ field: 'body', problem: 'send the roster as text/csv (name,idNumber,unit)' }]);
    const result = await this.people.reconcile(user, body, q.unitId);
    return q.format === 'csv' ? csvFile(reconciliationCsv(result), `核查结果 ${result.at.slice(0, 10)}.csv`) : result;
  }

  @Access('GET /v1/people/:id')
  @Get('people/:id')
  @ApiOkResponse({ type: PersonDetail })
  @ApiErrors(400, 401, 403, 404, 503)
  get(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string): Promise<PersonDetail> {
    return this.people.get(user, id);
  }

  @Access('GET /v1/statistics/monthly')
  @Get('statistics/monthly')
  @ApiOkResponse(jsonOrCsv(MonthlyReport))
  @ApiErrors(400, 401, 403, 503)
  async monthly(@Query() q: MonthlyQueryDto): Promise<MonthlyReport | StreamableFile> {
    const report = await this.people.monthly(q.month);
    return q.format === 'csv' ? csvFile(monthlyCsv(report), `月报 ${q.month}.csv`) : report;
  }
}
