import { Alert, Button, Card, Descriptions, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { fieldProblems, problemSentence } from '../domain/errors';
import { COMMON_OPINIONS } from '../domain/labels';

// Deciding as a county decides (docs/domain.md, "Who decides"): the office director's decision (编办主任办公会议)
// instead of a committee vote, a request referred because too few members could vote, and a step of
// implementation that stalled and waits for the office's retry.

export interface OfficeDecision {
  approved: boolean;
  comment: string;
  by: string;
  at: string;
}
export interface Stalled {
  step: string;
  reason: string;
  at: string;
}
export interface DecideBody {
  decision: 'approve' | 'reject';
  comment?: string;
}

type Sentence = (e: unknown) => string;
const at = (t: string) => dayjs(t).format('YYYY-MM-DD HH:mm');

/** The office director's 决定 panel (status office_decision): 同意, or 不同意 with the reason. */
export function DecidePanel({
  onDecide,
  sentence = (e) => problemSentence(e),
}: {
  onDecide: (body: DecideBody) => Promise<unknown>;
  sentence?: Sentence;
}) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decision = Form.useWatch('decision', form) as DecideBody['decision'] | undefined;
  const refusing = decision === 'reject';

  const submit = async () => {
    setError(null);
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const comment = (v.comment as string | undefined)?.trim();
      await onDecide({ decision: v.decision, ...(comment ? { comment } : {}) });
    } catch (e) {
      // The API's own check (a refusal without a reason is 400 naming `comment`) shows beside the field too.
      const fields = fieldProblems(e);
      if (fields.length) form.setFields(fields.map((f) => ({ name: f.field, errors: [f.problem] })));
      setError(sentence(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="编办决定（编办主任办公会议）" data-testid="decide-panel">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        本事项属编办决定的事项，不提交编委会表决。同意的，即组织实施；不同意的，须写明理由。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ decision: 'approve' }}>
        <Form.Item name="decision" label="决定" rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'approve', label: '同意' },
              { value: 'reject', label: '不同意' },
            ]}
          />
        </Form.Item>
        <Space wrap style={{ marginBottom: 8 }}>
          <span>常用意见：</span>
          {COMMON_OPINIONS.map((p) => (
            <Tag key={p} style={{ cursor: 'pointer' }} onClick={() => form.setFieldValue('comment', p)}>
              {p}
            </Tag>
          ))}
        </Space>
        <Form.Item
          name="comment"
          label={refusing ? '不同意的理由' : '意见（可不填）'}
          dependencies={['decision']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value?: string) =>
                getFieldValue('decision') === 'reject' && !value?.trim()
                  ? Promise.reject(new Error('不同意的，须写明理由'))
                  : Promise.resolve(),
            }),
          ]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="decide-error" />}
        <Button type="primary" danger={refusing} loading={busy} onClick={submit}>
          提交决定
        </Button>
      </Form>
    </Card>
  );
}

/** 审议决定 by the office: who decided, when, and the comment, where a committee request shows its vote. */
export function OfficeDecisionCard({ decision }: { decision: OfficeDecision | null }) {
  return (
    <Card size="small" title="审议决定：编办主任办公会议" data-testid="office-decision">
      {decision ? (
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label="决定">
            {decision.approved ? <Tag color="green">同意</Tag> : <Tag color="red">不同意</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label="决定人">编办主任 {decision.by}</Descriptions.Item>
          <Descriptions.Item label="决定时间">{at(decision.at)}</Descriptions.Item>
          <Descriptions.Item label="意见">{decision.comment || '—'}</Descriptions.Item>
        </Descriptions>
      ) : (
        <span>由编办主任决定，不经编委会表决；待编办主任决定。</span>
      )}
    </Card>
  );
}

const TOO_FEW = 'TOO_FEW_ELIGIBLE';

/** Whether the request went up because recusals left fewer than three members to vote (docs/api.md). */
export function referredForTooFew(referralReasons: string[] | undefined): boolean {
  return (referralReasons ?? []).some((r) => r.startsWith(TOO_FEW));
}

/** The note on a request referred without a vote: how many could have voted, and who decides now. */
export function TooFewNote({ referralReasons }: { referralReasons: string[] }) {
  const reason = referralReasons.find((r) => r.startsWith(TOO_FEW));
  if (!reason) return null;
  const eligible = reason.match(/only (\d+) committee member/)?.[1];
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="referred-too-few"
      title="可参加表决的编委会成员不足三人，本事项未付表决，已报上级机构编制部门审批"
      description={
        (eligible !== undefined ? `回避后仅 ${eligible} 名成员可参加表决，达不到表决的最低人数（3 名）。` : '') +
        '上级批复后由上级联络员登记，按批复组织实施或终止。'
      }
    />
  );
}

const STEP_LABELS: Record<string, string> = {
  implementation: '更新机构编制台账',
  pool_loan_return: '收回到期的周转池编制',
  document: '印发公文（批复或通知）',
};

/**
 * A step of implementation that failed for a reason retrying cannot cure: shown prominently with its reason
 * and since when; the office director retries it (重新实施) once the cause is put right.
 */
export function StalledBanner({
  stalled,
  onRetry,
  sentence = (e) => problemSentence(e),
}: {
  stalled: Stalled;
  /** Given only to whoever may retry (the office director); answers whether the step is still stalled. */
  onRetry?: (comment?: string) => Promise<{ stillStalled: boolean }>;
  sentence?: Sentence;
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [again, setAgain] = useState(false);

  const retry = async () => {
    if (!onRetry) return;
    setBusy(true);
    setError(null);
    setAgain(false);
    try {
      const { stillStalled } = await onRetry(comment.trim() || undefined);
      setAgain(stillStalled);
      if (!stillStalled) setComment('');
    } catch (e) {
      setError(sentence(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Alert
      type="error"
      showIcon
      data-testid="stalled"
      title={`组织实施受阻：未能${STEP_LABELS[stalled.step] ?? stalled.step}，待编办处理`}
      description={
        <Space orientation="vertical" style={{ width: '100%' }}>
          <span>
            {stalled.step === 'document'
              ? '决定已按程序办结，公文未能生成（如缺少字体）：须查明原因、处理后由编办主任重新印发。'
              : '此故障重试也无法自行消除，须查明原因、处理后由编办主任重新实施；在此之前台账不作变更。'}
          </span>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label="受阻时间">{at(stalled.at)}</Descriptions.Item>
            <Descriptions.Item label="原因（系统记录）">
              <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="stalled-reason">
                {stalled.reason}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {again && <Alert type="warning" showIcon title="已重新实施，仍未成功：原因见上，请处理后再试。" />}
          {error && <Alert type="error" showIcon title={error} />}
          {onRetry && (
            <Space wrap style={{ width: '100%' }}>
              <Input
                aria-label="处理说明"
                placeholder="处理说明（可不填）"
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                style={{ minWidth: 260 }}
              />
              <Button type="primary" loading={busy} onClick={retry}>
                重新实施
              </Button>
            </Space>
          )}
        </Space>
      }
    />
  );
}

/** The tag of a consultation the procedure asked by itself: the unit gives quota or a place, or is closed. */
export function automaticTag(type: string): string {
  if (type === 'ABOLISH_UNIT' || type === 'MERGE_UNITS') return '被撤并单位·须听取意见';
  // 人员调动: the receiving unit gives the place, and is heard like a unit that gives quota.
  if (type === 'TRANSFER_PERSON') return '调入单位·须听取意见';
  return '被调出单位·须听取意见';
}
