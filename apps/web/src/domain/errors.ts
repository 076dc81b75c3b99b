import { ApiProblem } from '../api/client';
import { ruleSentence, type Violation } from './rule-sentences';

// The API's error codes (docs/api.md "Errors") as sentences: a person reads what happened, never a code.

const BY_CODE: Record<string, string> = {
  VALIDATION_FAILED: '填写的内容有误，请按提示修改。',
  FORBIDDEN: '您无权办理此项操作。',
  RECUSED: '此事项涉及您所在单位，您须回避，不能参加表决。',
  NOT_YOUR_UNIT: '此事项不属于您所在单位，不能办理。',
  SEPARATION_OF_DUTIES: '按照不相容职务分离的要求，您不能办理同一事项的这一步。',
  NOT_FOUND: '没有找到此事项，或您无权查看。',
  WRONG_STAGE: '此事项已进入其他环节，页面已刷新为最新状态。',
  ALREADY_VOTED: '您已经表决过了。',
  ALREADY_ON_AGENDA: '该事项已列入另一次尚未结束的编委会会议议题。',
  UNAUTHORIZED: '登录已失效，请重新登录。',
  CHAIN_BROKEN: '审计记录链不完整，请先核验审计链。',
  RECORD_NOT_AUTHENTIC: '审计记录中有不是本系统写入的记录，暂不能签发检查点；请审计管理员核查并登记。',
  NO_SUCH_RECORD: '所列审计记录不存在。',
  RECORD_AUTHENTIC: '所列审计记录是本系统写入的真实记录，无需登记。',
  ALREADY_ACKNOWLEDGED: '所列审计记录已经登记过。',
  ALREADY_ANSWERED: '本单位已经回复过意见，或征求意见已逾期。',
  CONSULTATION_PENDING: '被调出编制或被撤并的单位尚未回复意见，须待其回复或逾期后才能提请审议。',
  USERNAME_TAKEN: '用户名已被使用。',
  PAYLOAD_TOO_LARGE: '文件或内容过大（附件不超过 20 MiB）。',
  UNSUPPORTED_MEDIA_TYPE: '文件类型不支持：只接受 PDF、OFD、DOCX、XLSX、JPEG 或 PNG。',
  IDEMPOTENCY_MISMATCH: '重复提交的内容不一致，请刷新页面后重试。',
  RULE_VIOLATION: '此调整不符合机构编制规定：',
  UNAVAILABLE: '服务暂时不可用，请稍后重试；未完成的操作不会留下半截。',
  ACCOUNT_LOCKED: '登录失败次数过多，账号已锁定 15 分钟。',
  PASSWORD_POLICY: '新密码不符合要求：至少 10 位，含大写字母、小写字母、数字、符号中的三种，且不含用户名。',
  TOTP_REQUIRED: '请输入动态口令。',
  TOTP_INVALID: '动态口令不正确或已使用过，请输入新的口令。',
  PASSWORD_CHANGE_REQUIRED: '请先修改密码。',
  TOTP_ENROLMENT_REQUIRED: '您的账号须先绑定动态口令（身份验证器），才能办理其他事项。',
  TOTP_ALREADY_ENABLED: '动态口令已在使用；如需重新绑定，请联系安全管理员重置。',
  ROLE_CONFLICT: '所选角色不能由同一人兼任（三员分立、不相容职务分离）。',
  CONFLICT: '操作与当前状态冲突，请刷新页面后重试。',
  NETWORK: '无法连接服务器，请检查网络后重试。',
};

export function problemSentence(
  e: unknown,
  unitName?: (id?: string) => string,
  categoryName?: (c?: string) => string,
): string {
  if (!(e instanceof ApiProblem)) return '操作失败，请重试。';
  if (e.code === 'RULE_VIOLATION') {
    return BY_CODE.RULE_VIOLATION + e.details.map((d) => ruleSentence(d as Violation, unitName, categoryName)).join('');
  }
  if (e.code && BY_CODE[e.code]) return BY_CODE[e.code];
  if (e.status === 401) return BY_CODE.UNAUTHORIZED;
  if (e.status === 403) return '您无权办理此项操作。';
  if (e.status === 503) return BY_CODE.UNAVAILABLE;
  if (e.status === 429) return '操作过于频繁，请稍后再试。';
  return '操作失败，请重试。';
}

/** VALIDATION_FAILED's details, by field, for the form to show beside each field it names. */
export function fieldProblems(e: unknown): { field: string; problem: string }[] {
  if (!(e instanceof ApiProblem) || e.code !== 'VALIDATION_FAILED') return [];
  return e.details
    .filter((d): d is { field: string; problem: string } => typeof d.field === 'string')
    .map((d) => ({ field: d.field, problem: problemInWords(String(d.problem ?? '')) }));
}

/** class-validator's problems (the API's `details[].problem`) in the words a form shows beside the field. */
const PROBLEMS: [RegExp, (m: RegExpMatchArray) => string][] = [
  // 公民身份号码 (libs/domain/src/people/id-number.ts idNumberProblem), checked again by the API
  [/the check character is (\w), the number's is (\w)/, (m) => `校验码不符：末位是 ${m[1]}，应为 ${m[2]}，请核对号码`],
  [/the birth date (\S+) is after today/, (m) => `出生日期 ${m[1]} 晚于今天`],
  [/(\d+) is no birth date/, (m) => `${m[1]} 不是有效的出生日期`],
  [/(\d+) is no region code/, (m) => `前 6 位 ${m[1]} 不是行政区划代码`],
  [/17 digits and a check character/, () => '公民身份号码由 17 位数字和 1 位校验码（数字或 X）组成'],
  [/INVALID_ID_NUMBER/, () => '公民身份号码有误'],
  [/should not exist/, () => '服务端不接受此项'],
  [/must be a UUID/, () => '请从列表中选择'],
  [/must not be less than (-?\d+)/, (m) => `不能小于 ${m[1]}`],
  [/must not be greater than (-?\d+)/, (m) => `不能大于 ${m[1]}`],
  [/must be an integer/, () => '请填写整数'],
  [/should not be equal to 0|must not be equal to 0/, () => '不能为 0'],
  [/must be one of the following values/, () => '请从列表中选择'],
  [/must be longer than or equal to/, () => '不能为空'],
  [/must be shorter than or equal to (\d+)/, (m) => `不能超过 ${m[1]} 个字`],
  [/should not be empty|must contain at least/, () => '不能为空'],
  [/must be a date|ISO 8601/, () => '请填写正确的日期'],
  [/unique/, () => '不能重复'],
  [/comment is required to/, () => '须写明理由'],
];

export function problemInWords(problem: string): string {
  for (const [re, say] of PROBLEMS) {
    const m = problem.match(re);
    if (m) return say(m);
  }
  return '格式不正确';
}
