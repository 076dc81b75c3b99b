import { describe, expect, it } from 'vitest';
import { committeeRows } from './CommitteeTab';
import type { User } from './UserForm';

// 编委会组成: the members the API lists (GET /v1/committee) and the chairs among the accounts, one row a person.

const user = (id: string, roles: string[], extra: Partial<User> = {}): User => ({
  id,
  username: id,
  displayName: id,
  roles,
  unitId: null,
  disabled: false,
  mustChangePassword: false,
  ...extra,
});

describe('committeeRows', () => {
  it('marks a member who is also the chair once, chairs first, and a chair who is no member apart', () => {
    const rows = committeeRows(
      [
        { id: 'member_org', username: 'member_org', displayName: '组织部', unitId: 'u-org' },
        { id: 'boss', username: 'boss', displayName: '书记' },
      ],
      [
        user('boss', ['committee_member', 'committee_chair']),
        user('chair', ['committee_chair']),
        user('old_chair', ['committee_chair'], { disabled: true }),
        user('member_org', ['committee_member'], { unitId: 'u-org' }),
      ],
    );
    expect(rows.map((r) => [r.id, r.member, r.chair, r.unitId ?? null])).toEqual([
      ['boss', true, true, null],
      ['chair', false, true, null],
      ['member_org', true, false, 'u-org'],
    ]);
  });
});
