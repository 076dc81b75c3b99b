import { ROLE_LABELS } from '../../domain/labels';

// Who may hold which roles (三员分立 and the separation of duties), as the API refuses them: ROLE_CONFLICT from
// roleConflict (libs/domain/src/enums.ts) and the unit a clerk or consultee needs (apps/api/src/auth/
// users.service.ts). The console may not import the domain library, so the rules are written out here, to be
// shown beside the role picker before anything is sent; the API stays the judge and its refusal is shown too.

/** Held alone: the three administrators (三员) and the independent auditor. */
export const SOLE_ROLES = ['admin', 'security_admin', 'audit_admin', 'auditor'];
/** The deciding roles, never held with a requesting or consulted unit's roles. */
export const DECIDING_ROLES = ['reviewer', 'office_director'];
/** The roles that act for a unit: the account needs one. */
export const UNIT_ROLES = ['clerk', 'consultee'];

/** The role picker's groups, in the order the office thinks of them. */
export const ROLE_GROUPS: { title: string; roles: string[] }[] = [
  { title: '业务角色', roles: ['clerk', 'consultee', 'reviewer', 'office_director', 'higher_liaison'] },
  { title: '编委会', roles: ['committee_member', 'committee_chair'] },
  { title: '只能单独担任', roles: SOLE_ROLES },
];

export const roleLabel = (r: string) => ROLE_LABELS[r] ?? r;
const labels = (roles: string[]) => roles.map(roleLabel).join('、');

/** The rules in words, shown beside the role picker. */
export const ROLE_RULES: string[] = [
  `${labels(SOLE_ROLES)}只能单独担任，不能与其他任何角色兼任（三员分立、独立审计）。`,
  `${labels(DECIDING_ROLES)}不能兼任${labels(UNIT_ROLES)}（不相容职务分离）。`,
  `${labels(UNIT_ROLES)}须指定所在单位。`,
  '任何人不能修改自己的角色；首个管理员账号 admin 不能停用，也不能取消其管理员角色。',
  '编委会成员的所在单位用于回避：涉及该单位的事项，该成员不参加表决；编委会主任只有同时是编委会成员才参加表决。',
];

/** What the API would refuse in these roles and unit, in words (empty when nothing). */
export function roleProblems(roles: string[], unitId?: string | null): string[] {
  const out: string[] = [];
  for (const sole of SOLE_ROLES.filter((r) => roles.includes(r))) {
    const others = roles.filter((r) => r !== sole);
    if (others.length) out.push(`${roleLabel(sole)}只能单独担任，不能兼任${labels(others)}。`);
  }
  for (const deciding of DECIDING_ROLES.filter((r) => roles.includes(r))) {
    const unit = UNIT_ROLES.filter((r) => roles.includes(r));
    if (unit.length) out.push(`${roleLabel(deciding)}不能兼任${labels(unit)}。`);
  }
  const unitRoles = UNIT_ROLES.filter((r) => roles.includes(r));
  if (unitRoles.length && !unitId) out.push(`${labels(unitRoles)}须指定所在单位。`);
  return out;
}

/** The API's ROLE_CONFLICT problem (`admin is held alone (三员分立): not with clerk`) in words. */
export function roleConflictInWords(problem: string): string {
  const alone = problem.match(/^([a-z_]+) is held alone.*not with (.+)$/);
  if (alone) return `${roleLabel(alone[1])}只能单独担任，不能兼任${labels(alone[2].split(/,\s*/))}。`;
  const also = problem.match(/^([a-z_]+) may not also be ([a-z_]+)$/);
  if (also) return `${roleLabel(also[1])}不能兼任${roleLabel(also[2])}。`;
  return '所选角色不能由同一人兼任。';
}

/** An account field's problem as the API words it (VALIDATION_FAILED, PASSWORD_POLICY), in Chinese. */
export function accountProblemInWords(field: string, problem: string): string {
  const rules: [RegExp, string | ((m: RegExpMatchArray) => string)][] = [
    [/must be at least (\d+) characters/, (m) => `至少 ${m[1]} 位`],
    [/must mix three of/, '须含大写字母、小写字母、数字、符号中的三种'],
    [/must not contain the username/, '不能包含用户名'],
    [/must differ from the current password/, '不能与原密码相同'],
    [/unitId is required|belongs to a unit/, `${labels(UNIT_ROLES)}须指定所在单位`],
    [/unit .* does not exist/, '所选单位不存在'],
    [/username must be/, '用户名须为 2 至 64 位字母、数字或 _ . -'],
    [/must be shorter than or equal to (\d+)/, (m) => `不能超过 ${m[1]} 个字`],
    [/must be longer than or equal to|should not be empty/, '不能为空'],
  ];
  if (field === 'roles') return roleConflictInWords(problem);
  for (const [re, say] of rules) {
    const m = problem.match(re);
    if (m) return typeof say === 'string' ? say : say(m);
  }
  return '格式不正确';
}

/** The password policy (docs/api.md, "Sign-in and accounts"), as the help beside a password an admin sets. */
export const PASSWORD_HELP =
  '至少 10 位，含大写字母、小写字母、数字、符号中的三种，且不含用户名；用户下次登录时须修改。';
