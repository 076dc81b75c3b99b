import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accountProblemInWords,
  DECIDING_ROLES,
  ROLE_GROUPS,
  ROLE_RULES,
  roleConflictInWords,
  roleProblems,
  SOLE_ROLES,
  UNIT_ROLES,
} from './accounts';

// The roles' rules shown before sending are the API's: read from the domain library's source (the console may not
// import it), so a rule changed there and not here fails.

const ENUMS = fs.readFileSync(path.resolve(__dirname, '../../../../../libs/domain/src/enums.ts'), 'utf8');
const listOf = (name: string) => {
  const m = ENUMS.match(new RegExp(`export const ${name}[^=]*=\\s*\\[([^\\]]*)\\]`));
  if (!m) throw new Error(`${name} not found in libs/domain/src/enums.ts`);
  return [...m[1].matchAll(/'([a-z_]+)'/g)].map((x) => x[1]);
};

describe('the role rules', () => {
  it('are the domain library’s lists', () => {
    expect(SOLE_ROLES).toEqual(listOf('SOLE_ROLES'));
    expect(DECIDING_ROLES).toEqual(listOf('DECIDING_ROLES'));
    expect(UNIT_ROLES).toEqual(listOf('UNIT_ROLES'));
  });

  it('offer every role in the picker, once', () => {
    const offered = ROLE_GROUPS.flatMap((g) => g.roles);
    expect([...offered].sort()).toEqual([...listOf('ROLES')].sort());
  });

  it('say each rule in words', () => {
    expect(ROLE_RULES[0]).toBe(
      '管理员、安全管理员、审计管理员、审计员只能单独担任，不能与其他任何角色兼任（三员分立、独立审计）。',
    );
    expect(ROLE_RULES[1]).toBe('审核人、编办主任不能兼任经办人、征求意见单位（不相容职务分离）。');
    expect(ROLE_RULES[2]).toBe('经办人、征求意见单位须指定所在单位。');
  });
});

describe('roleProblems', () => {
  it('finds nothing in roles that may be held together', () => {
    expect(roleProblems(['committee_member', 'committee_chair'])).toEqual([]);
    expect(roleProblems(['clerk', 'consultee'], 'u1')).toEqual([]);
    expect(roleProblems(['reviewer', 'committee_member'])).toEqual([]);
    expect(roleProblems([])).toEqual([]);
  });

  it('says that a sole role is held alone, naming the others', () => {
    expect(roleProblems(['admin', 'security_admin', 'clerk'], 'u1')).toEqual([
      '管理员只能单独担任，不能兼任安全管理员、经办人。',
      '安全管理员只能单独担任，不能兼任管理员、经办人。',
    ]);
    expect(roleProblems(['auditor', 'committee_member'])).toEqual(['审计员只能单独担任，不能兼任编委会成员。']);
  });

  it('says that a deciding role is not a unit’s, and that a unit’s role needs a unit', () => {
    expect(roleProblems(['reviewer', 'clerk'])).toEqual(['审核人不能兼任经办人。', '经办人须指定所在单位。']);
    expect(roleProblems(['office_director', 'consultee'], 'u1')).toEqual(['编办主任不能兼任征求意见单位。']);
  });
});

describe("the API's refusals in words", () => {
  it('translates what roleConflict answers', () => {
    expect(roleConflictInWords('admin is held alone (三员分立): not with clerk, reviewer')).toBe(
      '管理员只能单独担任，不能兼任经办人、审核人。',
    );
    expect(roleConflictInWords('reviewer may not also be consultee')).toBe('审核人不能兼任征求意见单位。');
    expect(roleConflictInWords('something new')).toBe('所选角色不能由同一人兼任。');
  });

  it('matches the messages the domain library writes', () => {
    expect(ENUMS).toContain('is held alone (三员分立): not with ${');
    expect(ENUMS).toContain('may not also be ${unit}');
  });

  it('matches the messages the accounts service writes', () => {
    const api = ['password-policy.ts', 'users.service.ts', 'auth.dto.ts']
      .map((f) => fs.readFileSync(path.resolve(__dirname, '../../../../api/src/auth', f), 'utf8'))
      .join('\n');
    for (const said of ['must be at least', 'must mix three of', 'must not contain the username', 'unitId is required'])
      expect(api).toContain(said);
    expect(api).toContain('username must be 2 to 64 letters');
  });

  it('translates the password policy and the unit a clerk needs', () => {
    expect(accountProblemInWords('password', 'must be at least 10 characters')).toBe('至少 10 位');
    expect(
      accountProblemInWords('password', 'must mix three of: lower case, upper case, digits, other characters'),
    ).toBe('须含大写字母、小写字母、数字、符号中的三种');
    expect(accountProblemInWords('password', 'must not contain the username')).toBe('不能包含用户名');
    expect(accountProblemInWords('unitId', 'a clerk or a consultee belongs to a unit: unitId is required')).toBe(
      '经办人、征求意见单位须指定所在单位',
    );
    expect(accountProblemInWords('roles', 'auditor is held alone (三员分立): not with clerk')).toBe(
      '审计员只能单独担任，不能兼任经办人。',
    );
    expect(accountProblemInWords('username', 'username must be 2 to 64 letters, digits, _ . or -')).toContain(
      '2 至 64',
    );
  });
});
