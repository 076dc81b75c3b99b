import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiProblem, api, unwrap } from '../../api/client';
import { problemSentence } from '../../domain/errors';
import { ALL_TYPE_LABELS, STATUS_LABELS } from '../../domain/labels';
import {
  actionLabel,
  asOfFacts,
  dossierFileName,
  replaySentence,
  UUID,
  type AuditRecord,
  type PublicKey,
  type ReplayResult,
  type RequestAsOf,
} from './logic';
import { saveBlob } from '../../download';

// 事项核查: one request as an auditor checks it — its workflow replayed against today's code, its dossier to
// verify offline, and its state rebuilt from the trail at a chosen moment (GET /v1/change-requests/:id?asOf=).

export const PUBLIC_KEY_FILE = 'audit-public-key.pem';

export function ReplayAnswer({ r }: { r: ReplayResult }) {
  return (
    <Alert
      data-testid="replay"
      data-deterministic={String(r.deterministic)}
      type={r.deterministic ? 'success' : 'error'}
      showIcon
      title={replaySentence(r)}
      description={
        <>
          工作流 {r.workflowId}
          {!r.deterministic && r.reason && (
            <Typography.Paragraph style={{ margin: '4px 0 0' }}>
              不一致之处：<Typography.Text code>{r.reason}</Typography.Text>
            </Typography.Paragraph>
          )}
        </>
      }
    />
  );
}

export function AsOfFacts({ r }: { r: RequestAsOf }) {
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      data-testid="as-of"
      data-status={r.status}
      title={r.asOf ? `${dayjs(r.asOf).format('YYYY-MM-DD HH:mm:ss')} 时的状态` : undefined}
    >
      {asOfFacts(r).map((f) => (
        <Descriptions.Item key={f.label} label={f.label}>
          {f.value}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

/** A moment before the request existed answers 404: said as such rather than as a missing request. */
export function asOfProblem(e: unknown): string {
  if (e instanceof ApiProblem && e.status === 404) return '该时刻此事项尚未创建（或没有此事项）。';
  if (e instanceof ApiProblem && e.code === 'VALIDATION_FAILED') return '请选择正确的时刻。';
  return problemSentence(e);
}

function Findings({ id, onShowInLog }: { id: string; onShowInLog: (id: string) => void }) {
  const path = { path: { id } };
  const current = useQuery({
    queryKey: ['audit', 'request', id],
    queryFn: () => unwrap<RequestAsOf>(api.GET('/v1/change-requests/{id}', { params: path })),
  });
  const trail = useQuery({
    queryKey: ['audit', 'request', id, 'trail'],
    queryFn: () => unwrap<AuditRecord[]>(api.GET('/v1/change-requests/{id}/audit', { params: path })),
  });
  const replay = useMutation({
    mutationFn: () => unwrap<ReplayResult>(api.GET('/v1/change-requests/{id}/replay', { params: path })),
  });
  const dossier = useMutation({
    mutationFn: async () => {
      const blob = await unwrap<Blob>(api.GET('/v1/change-requests/{id}/dossier', { params: path, parseAs: 'blob' }));
      saveBlob(blob, dossierFileName(id));
      return dossierFileName(id);
    },
  });
  const key = useMutation({
    mutationFn: async () => {
      const k = await unwrap<PublicKey>(api.GET('/v1/audit/public-key'));
      saveBlob(new Blob([k.publicKey], { type: 'application/x-pem-file' }), PUBLIC_KEY_FILE);
    },
  });
  const [asOf, setAsOf] = useState<string | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const state = useQuery({
    queryKey: ['audit', 'request', id, 'asOf', asOf],
    queryFn: () =>
      unwrap<RequestAsOf>(api.GET('/v1/change-requests/{id}', { params: { ...path, query: { asOf: asOf! } } })),
    enabled: !!asOf,
    retry: false,
  });
  const r = current.data;

  if (current.error) return <Alert type="error" showIcon title={problemSentence(current.error)} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="request-check">
      {r && (
        <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
          <Descriptions.Item label="事项">
            <Link to={`/requests/${id}`}>{r.title}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="类型">{ALL_TYPE_LABELS[r.type] ?? r.type}</Descriptions.Item>
          <Descriptions.Item label="当前状态">{STATUS_LABELS[r.status] ?? r.status}</Descriptions.Item>
          <Descriptions.Item label="文号">{r.documentNumber ?? '尚无'}</Descriptions.Item>
        </Descriptions>
      )}

      <Card size="small" title="工作流重放">
        <Typography.Paragraph type="secondary">
          以现行程序重放该事项已记录的工作流历史：一致，说明记录的每一步都由现行规则得出；不一致，则指明何处不同。
        </Typography.Paragraph>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Button onClick={() => replay.mutate()} loading={replay.isPending}>
            重放工作流
          </Button>
          {replay.error && <Alert type="error" showIcon title={problemSentence(replay.error)} />}
          {replay.data && <ReplayAnswer r={replay.data} />}
        </Space>
      </Card>

      <Card size="small" title="核查卷宗">
        <Typography.Paragraph type="secondary">
          卷宗（JSON 文件）含该事项、其全部审计记录及各自的包含证明、签名检查点、工作流历史和所印发公文的 PDF；
          连同公钥，可在任何一台电脑上离线核验：npm run verify-dossier -- {dossierFileName(id)} --public-key{' '}
          {PUBLIC_KEY_FILE}
        </Typography.Paragraph>
        <Space wrap>
          <Button type="primary" onClick={() => dossier.mutate()} loading={dossier.isPending}>
            下载核查卷宗
          </Button>
          <Button onClick={() => key.mutate()} loading={key.isPending}>
            下载公钥
          </Button>
          <Button onClick={() => onShowInLog(id)}>在审计记录中查看</Button>
        </Space>
        {dossier.data && (
          <Alert
            style={{ marginTop: 8 }}
            type="success"
            showIcon
            title={`已下载 ${dossier.data}`}
            data-testid="dossier-saved"
          />
        )}
        {(dossier.error || key.error) && (
          <Alert style={{ marginTop: 8 }} type="error" showIcon title={problemSentence(dossier.error ?? key.error)} />
        )}
      </Card>

      <Card size="small" title="某一时刻的状态（由审计记录重建）">
        <Form layout="inline" style={{ rowGap: 8, marginBottom: 12 }}>
          <Form.Item label="记录时刻" htmlFor="as-of-record">
            <Select
              id="as-of-record"
              style={{ width: 360 }}
              placeholder="选一条记录，看其时的状态"
              loading={trail.isLoading}
              value={picked}
              onChange={(seq: number) => {
                setPicked(seq);
                setAsOf(trail.data?.find((t) => t.seq === seq)?.at ?? null);
              }}
              options={(trail.data ?? []).map((t) => ({
                value: t.seq,
                label: `${dayjs(t.at).format('MM-DD HH:mm:ss')} · 第 ${t.seq} 条 · ${actionLabel(t.action)}`,
              }))}
            />
          </Form.Item>
          <Form.Item label="或任一时刻" htmlFor="as-of-time">
            <DatePicker
              id="as-of-time"
              showTime
              value={asOf ? dayjs(asOf) : null}
              onChange={(d) => {
                setPicked(null);
                setAsOf(d ? d.toISOString() : null);
              }}
            />
          </Form.Item>
        </Form>
        {state.error && <Alert type="error" showIcon title={asOfProblem(state.error)} />}
        {state.isFetching && <Typography.Text type="secondary">正在由审计记录重建…</Typography.Text>}
        {state.data && !state.error && <AsOfFacts r={state.data} />}
      </Card>
    </Space>
  );
}

export function RequestCheck({
  requestId,
  onRequestId,
  onShowInLog,
}: {
  requestId?: string;
  onRequestId: (id: string) => void;
  onShowInLog: (id: string) => void;
}) {
  const [typed, setTyped] = useState(requestId ?? '');
  const valid = UUID.test(typed.trim());
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Form layout="inline" onFinish={() => valid && onRequestId(typed.trim())} style={{ rowGap: 8 }}>
        <Form.Item
          label="事项编号"
          htmlFor="check-request-id"
          validateStatus={typed && !valid ? 'error' : undefined}
          help={typed && !valid ? '请填写完整的事项编号，或在审计记录中点“核查”' : undefined}
        >
          <Input
            id="check-request-id"
            style={{ width: 340 }}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            allowClear
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" disabled={!valid}>
            核查
          </Button>
        </Form.Item>
      </Form>
      {requestId ? (
        <Findings key={requestId} id={requestId} onShowInLog={onShowInLog} />
      ) : (
        <Typography.Text type="secondary">填写事项编号，或在审计记录中点某条记录的“核查”。</Typography.Text>
      )}
    </Space>
  );
}
