import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Statistic,
  Steps,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiProblem, api, idempotency, unwrap } from '../api/client';
import { DiffTable, useActionKey, type DiffRow } from '../components';
import { fieldProblems, problemSentence } from '../domain/errors';
import {
  ALL_TYPE_LABELS,
  COMMON_OPINIONS,
  POSITION_LABELS,
  ROLE_LABELS,
  STAGES,
  STATUS_LABELS,
  TRAIL_LABELS,
  VOTE_LABELS,
  stageOf,
  isPeopleType,
  type FormType,
} from '../domain/labels';
import { PayloadFields } from '../forms/PayloadFields';
import { buildPayload, payloadToValues } from '../forms/payloads';
import { useSession } from '../session';
import { categoryName, useUnits } from '../units';
import { Attachments } from './Attachments';
import { Documents } from './Documents';
import { PeoplePayloadView } from './people/PayloadView';
import { toNamePath } from './NewRequestPage';
import {
  automaticTag,
  DecidePanel,
  OfficeDecisionCard,
  referredForTooFew,
  StalledBanner,
  TooFewNote,
  type DecideBody,
  type OfficeDecision,
  type Stalled,
} from './OfficeDecision';

interface Member {
  id: string;
  username: string;
  unitId: string | null;
}
export interface RequestView {
  id: string;
  type: string;
  status: string;
  unitId: string;
  title: string;
  justification: string;
  payload: Record<string, unknown>;
  /** 来文号 and 抄送: null and [] when the clerk gave none. */
  referenceNumber?: string | null;
  copyTo?: string[];
  diff: DiffRow[];
  consultations: {
    unitId: string;
    round: number;
    dueAt: string;
    lapsedAt?: string;
    opinion?: { position: string; comment: string };
    /** Asked by the procedure itself: the change takes from this unit; the forward waits for it. */
    automatic?: boolean;
  }[];
  tally: { eligible: number; approve: number; reject: number; abstain: number; quorumReached: boolean };
  ballots?: { memberId: string; username?: string; vote: string; comment?: string }[];
  eligibleMembers: Member[];
  recusedMembers: Member[];
  deadlines: { consultations: { unitId: string; dueAt: string }[]; vote: string | null };
  round: number;
  documentNumber?: string | null;
  higherApprovalReasons?: string[];
  /** 报批: why it goes up; one starting TOO_FEW_ELIGIBLE when recusals left fewer than three to vote. */
  referralReasons?: string[];
  /** Who decides (审议决定): fixed at the forward; before it, by the type alone. */
  decidedBy?: 'COMMITTEE' | 'OFFICE';
  officeDecision?: OfficeDecision | null;
  /** A step of implementation that failed for good and waits for the office director's retry. */
  stalled?: Stalled | null;
  higherDecision?: { approved: boolean; documentNumber: string; comment: string } | null;
  rejection?: { stage: string; reason: string } | null;
  /** The official documents issued (公文): their titles come with GET /v1/change-requests/:id/documents. */
  documents?: { id: string }[];
}
interface TrailRecord {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  comment?: string | null;
}

/** Who holds a request in each status: the line under the current stage. */
function holder(r: RequestView, unitName: (id?: string) => string): string {
  switch (r.status) {
    case 'draft':
    case 'returned':
      return `${unitName(r.unitId)}经办人`;
    case 'demonstration':
      return r.deadlines.consultations.length
        ? `审核人；待 ${r.deadlines.consultations.map((c) => unitName(c.unitId)).join('、')} 回复意见`
        : '审核人';
    case 'committee':
      return `编委会表决中（已表决 ${r.tally.approve + r.tally.reject + r.tally.abstain}/${r.tally.eligible}）`;
    case 'office_decision':
      return '编办主任决定（不经编委会表决）';
    case 'awaiting_higher_approval':
      return '上级机构编制部门';
    case 'implementing':
      return r.stalled ? '实施受阻，待编办主任处理' : '系统正在更新台账';
    default:
      return STATUS_LABELS[r.status] ?? r.status;
  }
}

type ActionName =
  | 'submit'
  | 'withdraw'
  | 'revise'
  | 'consultations'
  | 'opinions'
  | 'review'
  | 'votes'
  | 'close-vote'
  | 'decide'
  | 'retry'
  | 'higher-decision';

/** Past the forward: who decides is settled (a request rejected in 论证 never reached a decider). */
function forwarded(r: RequestView): boolean {
  if (['committee', 'office_decision', 'awaiting_higher_approval', 'implementing', 'implemented'].includes(r.status))
    return true;
  return !!r.rejection && ['committee', 'office_decision', 'awaiting_higher_approval'].includes(r.rejection.stage);
}

export function RequestPage() {
  const { id } = useParams() as { id: string };
  const s = useSession();
  const client = useQueryClient();
  const { name } = useUnits();
  const { message } = App.useApp();
  const q = useQuery({
    queryKey: ['request', id],
    queryFn: () => unwrap<RequestView>(api.GET('/v1/change-requests/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => {
      const d = query.state.data;
      if (d?.stalled) return 30_000; // waits for a person, not for the worker
      return ['implementing', 'committee'].includes(d?.status ?? '') ? 3000 : false;
    },
  });
  const trail = useQuery({
    queryKey: [
      'request',
      id,
      'audit',
      q.data?.status,
      q.data?.tally.approve,
      q.data?.consultations.length,
      q.data?.stalled?.at,
    ],
    enabled: !!q.data,
    queryFn: () => unwrap<TrailRecord[]>(api.GET('/v1/change-requests/{id}/audit', { params: { path: { id } } })),
  });
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<ActionName | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const key = useActionKey();

  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['request', id] }),
      client.invalidateQueries({ queryKey: ['work-items'] }),
    ]);

  const sentence = (e: unknown) => problemSentence(e, name, categoryName);

  /**
   * Sends one action with its own Idempotency-Key, kept across a double click; answers the request as it is
   * now. A WRONG_STAGE refreshes the page and says so above it.
   */
  const send = async (action: ActionName, body?: Record<string, unknown>): Promise<RequestView> => {
    try {
      const answer = await unwrap<RequestView>(
        api.POST(`/v1/change-requests/{id}/${action}` as '/v1/change-requests/{id}/submit', {
          params: { path: { id }, header: idempotency(key.get()) },
          body: body as never,
        }),
      );
      key.done();
      return answer;
    } catch (e) {
      if (e instanceof ApiProblem && e.status > 0 && e.status < 500) key.done();
      if (e instanceof ApiProblem && e.code === 'WRONG_STAGE') {
        setOpen(null);
        setError(sentence(e));
        await refresh();
      }
      throw e;
    }
  };

  /** An action from a dialog: its errors shown in the dialog, beside the fields they name. */
  const act = async (action: ActionName, body?: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await send(action, body);
      setOpen(null);
      form.resetFields();
      message.success('已办理');
      await refresh();
    } catch (e) {
      const fields = fieldProblems(e);
      if (fields.length) form.setFields(fields.map((f) => ({ name: toNamePath(f.field), errors: [f.problem] })));
      setError(sentence(e));
    } finally {
      setBusy(false);
    }
  };

  /** The office director's decision, from the 决定 panel (which shows its own errors). */
  const decide = async (body: DecideBody) => {
    setError(null);
    await send('decide', body as unknown as Record<string, unknown>);
    message.success(body.decision === 'approve' ? '已同意' : '已决定不同意');
    await refresh();
  };

  /** 重新实施: the answer comes once the retried step has run (implemented, or stalled again). */
  const retry = async (comment?: string) => {
    setError(null);
    const answer = await send('retry', comment ? { comment } : {});
    if (answer.stalled) message.warning('重新实施仍未成功');
    else message.success('已重新实施');
    await refresh();
    return { stillStalled: !!answer.stalled };
  };

  if (q.isLoading) return <Card loading />;
  if (q.error || !q.data) return <Alert type="error" message={problemSentence(q.error)} />;
  const r = q.data;
  const me = s.me!;
  const stage = stageOf(r.status);
  const finished = ['implemented', 'rejected', 'withdrawn'].includes(r.status);
  const ownClerk = s.has('clerk') && me.unitId === r.unitId;
  const myConsultation = r.consultations.find(
    (c) =>
      c.round === r.round &&
      c.unitId === me.unitId &&
      !c.opinion &&
      r.deadlines.consultations.some((d) => d.unitId === c.unitId),
  );
  const recused = r.recusedMembers.find((m) => m.id === me.id);
  const voted = r.ballots?.some((b) => b.memberId === me.id);
  const can = {
    submit: ownClerk && r.status === 'draft',
    // 撤回 until the committee, or the office director, has decided
    withdraw: ownClerk && ['draft', 'demonstration', 'returned', 'committee', 'office_decision'].includes(r.status),
    revise: ownClerk && r.status === 'returned',
    review: s.has('reviewer') && r.status === 'demonstration',
    consult: s.has('reviewer') && r.status === 'demonstration',
    opinion: s.has('consultee') && r.status === 'demonstration' && !!myConsultation,
    vote: s.has('committee_member') && r.status === 'committee' && !recused && !voted,
    close: s.has('committee_chair') && r.status === 'committee',
    higher: s.has('higher_liaison') && r.status === 'awaiting_higher_approval',
    decide: s.has('office_director') && r.status === 'office_decision',
    retry: s.has('office_director') && !!r.stalled,
  };
  const byOffice = r.decidedBy === 'OFFICE' && (r.status === 'office_decision' || !!r.officeDecision);
  /** Automatic consultations not yet answered nor lapsed: the forward waits for them (CONSULTATION_PENDING). */
  const unheard = r.consultations.filter(
    (c) =>
      c.automatic && c.round === r.round && !c.opinion && r.deadlines.consultations.some((d) => d.unitId === c.unitId),
  );

  const modal = (
    action: ActionName,
    title: string,
    fields: React.ReactNode,
    toBody: (v: never) => object,
    initialValues?: object,
  ) => (
    <Modal
      title={title}
      open={open === action}
      onCancel={() => setOpen(null)}
      okText="确定"
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      onOk={async () => {
        const v = await form.validateFields().catch(() => null);
        if (v) await act(action, toBody(v as never) as Record<string, unknown>);
      }}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={initialValues}>
        {fields}
      </Form>
    </Modal>
  );
  const comment = (label: string, required: boolean, phrases = false) => (
    <>
      {phrases && (
        <Space wrap style={{ marginBottom: 8 }}>
          <span>常用意见：</span>
          {COMMON_OPINIONS.map((p) => (
            <Tag key={p} style={{ cursor: 'pointer' }} onClick={() => form.setFieldValue('comment', p)}>
              {p}
            </Tag>
          ))}
        </Space>
      )}
      <Form.Item label={label} name="comment" rules={required ? [{ required: true, message: `请填写${label}` }] : []}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ marginBottom: 0 }}>
        {r.title} <Tag>{STATUS_LABELS[r.status] ?? r.status}</Tag>
      </Typography.Title>
      <Card size="small" data-testid="stages" data-current={STAGES[stage]} data-status={r.status}>
        <Steps
          current={stage}
          status={
            r.status === 'rejected' || r.status === 'withdrawn' || r.stalled ? 'error' : finished ? 'finish' : 'process'
          }
          responsive
          items={STAGES.map((t, i) => ({
            title: t,
            description: i === stage ? holder(r, name) : i === 2 ? decisionLine(r) : undefined,
          }))}
        />
      </Card>
      {r.stalled && <StalledBanner stalled={r.stalled} onRetry={can.retry ? retry : undefined} sentence={sentence} />}
      {referredForTooFew(r.referralReasons) && <TooFewNote referralReasons={r.referralReasons ?? []} />}
      {error && !open && <Alert type="error" showIcon message={error} data-testid="action-error" />}
      {recused && r.status === 'committee' && (
        <Alert
          type="warning"
          showIcon
          data-testid="recused"
          message="您须回避本事项的表决"
          description={`您所在的${name(recused.unitId ?? undefined)}是本事项的申请单位或涉及的单位，按规定回避。`}
        />
      )}
      <Space wrap>
        {can.submit && (
          <Button type="primary" loading={busy} onClick={() => act('submit')}>
            提交
          </Button>
        )}
        {can.review && (
          <Button type="primary" onClick={() => setOpen('review')}>
            审核
          </Button>
        )}
        {can.consult && <Button onClick={() => setOpen('consultations')}>征求意见</Button>}
        {can.opinion && (
          <Button type="primary" onClick={() => setOpen('opinions')}>
            回复意见
          </Button>
        )}
        {can.vote && (
          <Button type="primary" onClick={() => setOpen('votes')}>
            表决
          </Button>
        )}
        {can.close && (
          <Button type="primary" loading={busy} onClick={() => act('close-vote')}>
            结束表决
          </Button>
        )}
        {can.higher && (
          <Button type="primary" onClick={() => setOpen('higher-decision')}>
            登记上级批复
          </Button>
        )}
        {can.revise && (
          <Button type="primary" onClick={() => setOpen('revise')}>
            修改后重新提交
          </Button>
        )}
        {can.withdraw && (
          <Button danger onClick={() => setOpen('withdraw')}>
            撤回
          </Button>
        )}
      </Space>
      <Card size="small" title="基本情况">
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label="事项类型">{ALL_TYPE_LABELS[r.type] ?? r.type}</Descriptions.Item>
          <Descriptions.Item label="申请单位">{name(r.unitId)}</Descriptions.Item>
          <Descriptions.Item label="理由">{r.justification}</Descriptions.Item>
          {r.referenceNumber && (
            <Descriptions.Item label="来文号">
              <span data-testid="reference-number">{r.referenceNumber}</span>
            </Descriptions.Item>
          )}
          {(r.copyTo ?? []).length > 0 && (
            <Descriptions.Item label="抄送">
              <span data-testid="copy-to">{(r.copyTo ?? []).map((id) => name(id)).join('、')}</span>
            </Descriptions.Item>
          )}
          {r.documentNumber && (
            <Descriptions.Item label="文号">
              <span data-testid="document-number">{r.documentNumber}</span>
            </Descriptions.Item>
          )}
          {forwarded(r) && (
            <Descriptions.Item label="审议决定">
              <span data-testid="decided-by">
                {r.decidedBy === 'OFFICE'
                  ? '由编办决定（编办主任办公会议）'
                  : referredForTooFew(r.referralReasons)
                    ? '可表决成员不足，未付表决，报上级审批'
                    : '提请编委会审议'}
              </span>
            </Descriptions.Item>
          )}
          {(r.higherApprovalReasons ?? []).length > 0 && (
            <Descriptions.Item label="报上级批准">须报上级机构编制部门批准</Descriptions.Item>
          )}
          {r.higherDecision && (
            <Descriptions.Item label="上级批复">
              {r.higherDecision.approved ? '批准' : '不批准'}（{r.higherDecision.documentNumber}）
              {r.higherDecision.comment}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {isPeopleType(r.type) && <PeoplePayloadView type={r.type} payload={r.payload} />}
      {can.decide && <DecidePanel onDecide={decide} sentence={sentence} />}
      <Attachments requestId={r.id} canUpload={ownClerk && ['draft', 'demonstration', 'returned'].includes(r.status)} />
      <Card size="small" title="台账变化">
        <DiffTable diff={r.diff ?? []} />
      </Card>
      {['implemented', 'rejected'].includes(r.status) && (
        <Documents requestId={r.id} issued={r.documents?.length ?? 0} />
      )}
      {r.consultations.length > 0 && (
        <Card size="small" title="征求意见">
          <Table
            size="small"
            pagination={false}
            rowKey={(c) => `${c.round}:${c.unitId}`}
            dataSource={r.consultations}
            columns={[
              {
                title: '单位',
                dataIndex: 'unitId',
                render: (u: string, c) => (
                  <span>
                    {name(u)}
                    {c.automatic && (
                      <Tag color="orange" style={{ marginLeft: 6 }} data-testid="automatic-consultation">
                        {automaticTag(r.type)}
                      </Tag>
                    )}
                  </span>
                ),
              },
              {
                title: '期限',
                dataIndex: 'dueAt',
                render: (d: string, c) => (
                  <span>
                    {dayjs(d).format('YYYY-MM-DD')}
                    {!c.opinion && dayjs(d).isBefore(dayjs()) && <Tag color="red">催办</Tag>}
                  </span>
                ),
              },
              {
                title: '意见',
                key: 'opinion',
                render: (_: unknown, c) =>
                  c.opinion
                    ? `${POSITION_LABELS[c.opinion.position] ?? c.opinion.position}：${c.opinion.comment}`
                    : '待回复',
              },
            ]}
          />
        </Card>
      )}
      {byOffice && !can.decide && <OfficeDecisionCard decision={r.officeDecision ?? null} />}
      {!byOffice && (r.status === 'committee' || r.tally.eligible > 0) && (
        <Card size="small" title="编委会表决" data-testid="tally">
          <Space wrap size="large">
            <Statistic title="应表决" value={r.tally.eligible} />
            <Statistic title="赞成" value={r.tally.approve} />
            <Statistic title="反对" value={r.tally.reject} />
            <Statistic title="弃权" value={r.tally.abstain} />
            <Statistic title="达到法定人数" value={r.tally.quorumReached ? '是' : '否'} />
          </Space>
          {r.recusedMembers.length > 0 && (
            <div style={{ marginTop: 8 }}>回避：{r.recusedMembers.map((m) => m.username).join('、')}</div>
          )}
          {voted && <div style={{ marginTop: 8 }}>您已表决。</div>}
        </Card>
      )}
      <Card size="small" title="签核历程">
        <Timeline
          data-testid="trail"
          items={(trail.data ?? []).map((t) => ({
            children: (
              <div>
                <b>{TRAIL_LABELS[t.action] ?? t.action}</b> · {t.actor}（{ROLE_LABELS[t.role] ?? t.role}）·{' '}
                {dayjs(t.at).format('YYYY-MM-DD HH:mm')}
                {t.comment && t.action !== 'consultations_requested' && <div>{t.comment}</div>}
              </div>
            ),
          }))}
        />
      </Card>

      {modal('withdraw', '撤回申请', comment('撤回理由', true), (v: { comment: string }) => ({ reason: v.comment }))}
      {modal(
        'review',
        '审核',
        <>
          <Form.Item name="decision" label="审核意见" initialValue="forward" rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'forward', label: '通过，提请审议' },
                { value: 'return', label: '退回修改' },
                { value: 'reject', label: '不予通过' },
              ]}
            />
          </Form.Item>
          <Form.Item noStyle dependencies={['decision']}>
            {() => comment('意见', form.getFieldValue('decision') !== 'forward', true)}
          </Form.Item>
          {unheard.length > 0 && (
            <Alert
              type="info"
              showIcon
              data-testid="unheard"
              message={`${unheard.map((c) => name(c.unitId)).join('、')}的意见须先听取：回复或逾期后才能提请审议。`}
            />
          )}
        </>,
        (v: { decision: string; comment?: string }) => ({
          decision: v.decision,
          ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}),
        }),
      )}
      {modal(
        'consultations',
        '征求意见',
        <>
          <Form.Item name="unitIds" label="征求意见的单位" rules={[{ required: true, message: '请选择单位' }]}>
            <UnitsPicker />
          </Form.Item>
          <Form.Item
            name="dueAt"
            label="回复期限"
            initialValue={dayjs().add(5, 'day')}
            rules={[{ required: true, message: '请选择回复期限' }]}
          >
            <DatePicker />
          </Form.Item>
        </>,
        (v: { unitIds: string[]; dueAt: dayjs.Dayjs }) => ({
          unitIds: v.unitIds,
          dueAt: v.dueAt.endOf('day').toISOString(),
        }),
      )}
      {modal(
        'opinions',
        '回复意见',
        <>
          <Form.Item name="position" label="意见" initialValue="agree" rules={[{ required: true }]}>
            <Radio.Group options={Object.entries(POSITION_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          {comment('具体意见', true, true)}
        </>,
        (v: { position: string; comment: string }) => ({ position: v.position, comment: v.comment.trim() }),
      )}
      {modal(
        'votes',
        '表决',
        <>
          <Form.Item name="vote" label="表决意见" rules={[{ required: true, message: '请选择' }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              size="large"
              options={Object.entries(VOTE_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          {comment('说明（可不填）', false)}
        </>,
        (v: { vote: string; comment?: string }) => ({
          vote: v.vote,
          ...(v.comment?.trim() ? { comment: v.comment } : {}),
        }),
      )}
      {modal(
        'higher-decision',
        '登记上级批复',
        <>
          <Form.Item name="approved" label="批复结果" initialValue={true}>
            <Radio.Group
              options={[
                { value: true, label: '批准' },
                { value: false, label: '不批准' },
              ]}
            />
          </Form.Item>
          <Form.Item name="documentNumber" label="批复文号" rules={[{ required: true, message: '请填写批复文号' }]}>
            <Input />
          </Form.Item>
          {comment('说明', true)}
        </>,
        (v: object) => v,
      )}
      {modal(
        'revise',
        '修改后重新提交',
        <>
          {isPeopleType(r.type) ? (
            // The ID numbers are kept sealed and not given back: the people are entered again only if they change.
            <>
              <Form.Item name="changePayload" label="申请内容" initialValue="keep">
                <Radio.Group
                  options={[
                    { value: 'keep', label: '不变' },
                    { value: 'change', label: '重新填写' },
                  ]}
                />
              </Form.Item>
              <Form.Item noStyle dependencies={['changePayload']}>
                {() =>
                  form.getFieldValue('changePayload') === 'change' ? <PayloadFields type={r.type as FormType} /> : null
                }
              </Form.Item>
            </>
          ) : (
            <PayloadFields type={r.type as FormType} />
          )}
          <Form.Item name="justification" label="理由" rules={[{ required: true, message: '请填写理由' }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          {comment('修改说明', true)}
        </>,
        (v: { payload: Record<string, unknown>; justification: string; comment: string; changePayload?: string }) => ({
          ...(isPeopleType(r.type) && v.changePayload !== 'change'
            ? {}
            : { payload: buildPayload(r.type as FormType, v.payload ?? {}) }),
          justification: v.justification,
          comment: v.comment,
        }),
        { payload: payloadToValues(r.type, r.payload), justification: r.justification },
      )}
    </Space>
  );
}

/** Under 审议决定 once it is past: the office's decision (who decides instead of a vote). */
function decisionLine(r: RequestView): string | undefined {
  const d = r.officeDecision;
  if (!d) return undefined;
  return `编办主任办公会议${d.approved ? '同意' : '不同意'}（${d.by}，${dayjs(d.at).format('MM-DD HH:mm')}）`;
}

function UnitsPicker(props: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { units } = useUnits();
  return (
    <Select
      {...props}
      mode="multiple"
      showSearch={{ optionFilterProp: 'label' }}
      placeholder="选择单位"
      options={units.map((u) => ({ value: u.id, label: u.name }))}
    />
  );
}
