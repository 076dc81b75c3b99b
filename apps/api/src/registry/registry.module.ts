import { Module } from '@nestjs/common';
import { RegistryController } from './registry.controller';
import { RegistryImportService } from './import.service';
import { RegistryService } from './registry.service';

/** The establishment registry (机构编制台账): units, quotas, totals, the turnover pool, at any moment. */
@Module({
  controllers: [RegistryController],
  providers: [RegistryService, RegistryImportService],
  exports: [RegistryService],
})
export class RegistryModule {}
