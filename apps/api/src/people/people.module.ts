import { Module } from '@nestjs/common';
import { IdVault } from './id-vault';
import { PeopleController } from './people.controller';
import { PeoplePayloads } from './people-payloads';
import { PeopleService } from './people.service';

/** People on the establishment (实名制); the ID numbers' vault and the sealing of people requests' payloads. */
@Module({
  controllers: [PeopleController],
  providers: [IdVault, PeopleService, PeoplePayloads],
  exports: [IdVault, PeoplePayloads],
})
export class PeopleModule {}
