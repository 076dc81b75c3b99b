import { EntityManager } from 'typeorm';
import type { ChangeSpec } from '@bianzhi/domain';
import { ChangeRequestEntity, UserEntity } from './entities';

// Reads the API and the worker share, so that each has one definition.

/** A stored request as the rules see it. */
export function specOf(row: Pick<ChangeRequestEntity, 'id' | 'type' | 'unitId' | 'payload' | 'newUnitId'>): ChangeSpec {
  return {
    type: row.type,
    unitId: row.unitId,
    payload: row.payload,
    requestId: row.id,
    newUnitId: row.newUnitId ?? undefined,
  } as unknown as ChangeSpec;
}

/** The committee (编委会): every active user with the committee-member role, by username. */
export function activeCommitteeMembers(em: EntityManager): Promise<UserEntity[]> {
  return em
    .getRepository(UserEntity)
    .createQueryBuilder('u')
    .where(':role = ANY(u.roles)', { role: 'committee_member' })
    .andWhere('u.disabled = false')
    .orderBy('u.username')
    .getMany();
}
