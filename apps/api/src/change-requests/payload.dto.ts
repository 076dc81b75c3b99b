import { ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';
import { PayloadByType, REQUEST_TYPES, RequestType } from '@bianzhi/domain';
import { AbolishUnitPayloadDto } from './payloads/abolish-unit.dto';
import { AddNamePlatePayloadDto } from './payloads/add-name-plate.dto';
import { AdjustLeadershipPayloadDto } from './payloads/adjust-leadership.dto';
import { AdjustQuotaPayloadDto } from './payloads/adjust-quota.dto';
import { AdjustSectionsPayloadDto } from './payloads/adjust-sections.dto';
import { ChangeGradePayloadDto } from './payloads/change-grade.dto';
import { ConvertQuotaPayloadDto } from './payloads/convert-quota.dto';
import { EstablishUnitPayloadDto } from './payloads/establish-unit.dto';
import { LendPoolQuotaPayloadDto } from './payloads/lend-pool-quota.dto';
import { MergeUnitsPayloadDto } from './payloads/merge-units.dto';
import { RenameUnitPayloadDto } from './payloads/rename-unit.dto';
import { TransferQuotaPayloadDto } from './payloads/transfer-quota.dto';
import { UseQuotaPayloadDto } from './payloads/use-quota.dto';
import { DisenrolPersonPayloadDto, EnrolPersonPayloadDto, TransferPersonPayloadDto } from './payloads/people.dto';

export { AbolishUnitPayloadDto } from './payloads/abolish-unit.dto';
export { AddNamePlatePayloadDto } from './payloads/add-name-plate.dto';
export { AdjustLeadershipPayloadDto } from './payloads/adjust-leadership.dto';
export { AdjustQuotaPayloadDto } from './payloads/adjust-quota.dto';
export { AdjustSectionsPayloadDto } from './payloads/adjust-sections.dto';
export { ChangeGradePayloadDto } from './payloads/change-grade.dto';
export { ConvertQuotaPayloadDto } from './payloads/convert-quota.dto';
export { EstablishUnitPayloadDto } from './payloads/establish-unit.dto';
export { LendPoolQuotaPayloadDto, LoanLineDto } from './payloads/lend-pool-quota.dto';
export { MergeUnitsPayloadDto } from './payloads/merge-units.dto';
export { RenameUnitPayloadDto } from './payloads/rename-unit.dto';
export { TransferLineDto, TransferQuotaPayloadDto } from './payloads/transfer-quota.dto';
export { UseQuotaPayloadDto } from './payloads/use-quota.dto';
export * from './payloads/people.dto';

// The typed payload of each request type (docs/api.md), one class-validator DTO per type under payloads/. The
// shape is checked when the draft is saved; the registry rules are checked at submission (libs/domain).

/**
 * The payload DTO of each request type. The mapped type makes a request type without its DTO, or a DTO whose
 * fields drift from the domain's payload of that type (PayloadByType), a compile error.
 */
const DTO_BY_TYPE = {
  ESTABLISH_UNIT: EstablishUnitPayloadDto,
  ABOLISH_UNIT: AbolishUnitPayloadDto,
  MERGE_UNITS: MergeUnitsPayloadDto,
  RENAME_UNIT: RenameUnitPayloadDto,
  ADD_NAME_PLATE: AddNamePlatePayloadDto,
  CHANGE_GRADE: ChangeGradePayloadDto,
  ADJUST_SECTIONS: AdjustSectionsPayloadDto,
  ADJUST_QUOTA: AdjustQuotaPayloadDto,
  TRANSFER_QUOTA: TransferQuotaPayloadDto,
  CONVERT_QUOTA: ConvertQuotaPayloadDto,
  ADJUST_LEADERSHIP: AdjustLeadershipPayloadDto,
  LEND_POOL_QUOTA: LendPoolQuotaPayloadDto,
  USE_QUOTA: UseQuotaPayloadDto,
  ENROL_PERSON: EnrolPersonPayloadDto,
  DISENROL_PERSON: DisenrolPersonPayloadDto,
  TRANSFER_PERSON: TransferPersonPayloadDto,
} satisfies { readonly [T in RequestType]: new () => PayloadByType[T] };

/** The payload DTO of a request type, for validation. */
export const PAYLOAD_DTOS: Readonly<Record<RequestType, new () => object>> = DTO_BY_TYPE;

/** Every payload DTO, for `@ApiExtraModels` so that the OpenAPI document describes each of them. */
export const PAYLOAD_DTO_CLASSES = REQUEST_TYPES.map((t) => PAYLOAD_DTOS[t]);

/** The OpenAPI schema of a request's `payload`: the payload of its `type`, one of the DTOs above. */
export const PAYLOAD_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: true,
  description:
    'typed by `type`: ' + REQUEST_TYPES.map((t) => `${t} → ${PAYLOAD_DTOS[t].name}`).join(', ') + ' (docs/api.md)',
  anyOf: PAYLOAD_DTO_CLASSES.map((cls) => ({ $ref: getSchemaPath(cls) })),
};
