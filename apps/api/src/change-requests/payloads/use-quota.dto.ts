import { UnitCategoryCountDto } from './common';

/** USE_QUOTA (用编申请): places of one category the unit may fill. */
export class UseQuotaPayloadDto extends UnitCategoryCountDto {}
