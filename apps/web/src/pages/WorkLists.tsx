import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { ApiProblem, api, raw, unwrap } from '../api/client';
import { ACTION_LABELS, ALL_TYPE_LABELS, STATUS_LABELS, TRAIL_LABELS } from '../domain/labels';
import { problemSentence } from '../domain/errors';
import { useSession, type Me } from '../session';

export interface WorkItem {
  requestId: string;
  title: string;
  type: string;
  status: string;
  unitId: string;
  unitName?: string;
  action: string;
  dueAt?: string | null;
  overdue: boolean;
  since: string;
}

interface RequestRow {
  id: string;
  title: string;
  type: string;
  status: string;
  unitId: string;
  createdAt?: string;
  updatedAt?: string;
  deadlines?: { consultations?: { unitId: string; dueAt: string }[]; vote?: string | null };
}

/**
 * Until GET /v1/work-items is there (docs/api.md "Work lists"), what waits for the caller is judged from the
 * requests they may see: by role and status only, so it can list a request the caller already acted on.
 */
export function fallbackItems(me: Me, rows: RequestRow[]): WorkItem[] {
  const has = (r: string) => me.roles.includes(r);
  const out: WorkItem[] = [];
  for (const r of rows) {
    const item = (action: string, dueAt?: string | null): WorkItem => ({
      requestId: r.id,
      title: r.title,
      type: r.type,
      status: r.status,
      unitId: r.unitId,
      action,
      dueAt: dueAt ?? null,
      overdue: !!dueAt && dayjs(dueAt).isBefore(dayjs()),
      since: r.updatedAt ?? r.createdAt ?? '',
    });
    if (has('clerk') && r.unitId === me.unitId && r.status === 'draft') out.push(item('submit'));
    if (has('clerk') && r.unitId === me.unitId && r.status === 'returned') out.push(item('revise'));
    if (has('reviewer') && r.status === 'demonstration') out.push(item('review'));
    const asked = r.deadlines?.consultations?.find((c) => c.unitId === me.unitId);
    if (has('consultee') && r.status === 'demonstration' && asked) out.push(item('answer_consultation', asked.dueAt));
    if (has('committee_member') && r.status === 'committee') out.push(item('vote', r.deadlines?.vote));
    if (has('committee_chair') && r.status === 'committee') out.push(item('close_vote', r.deadlines?.vote));
    if (has('office_director') && r.status === 'office_decision') out.push(item('decide'));
    if (has('higher_liaison') && r.status === 'awaiting_higher_approval') out.push(item('higher_decision'));
  }
  return out.sort((a, b) => a.since.localeCompare(b.since));
}

export function useWorkItems() {
  const s = useSession();
  return useQuery({
    queryKey: ['work-items'],
    refetchInterval: 30_000,
    queryFn: async (): Promise<{ items: WorkItem[]; total: number; fallback: boolean }> => {
      try {
        const res = await raw<{ items: WorkItem[]; total: number }>('GET', '/v1/work-items');
        return { ...res, fallback: false };
      } catch (e) {
        if (!(e instanceof ApiProblem) || e.status !== 404) throw e;
      }
      const list = await unwrap<{ items: RequestRow[] }>(
        api.GET('/v1/change-requests', { params: { query: { pageSize: 200 } as never } }),
      );
      const items = fallbackItems(s.me!, list.items);
      return { items, total: items.length, fallback: true };
    },
  });
}

const title = {
  title: '事项',
  dataIndex: 'title',
  render: (t: string, r: { requestId: string }) => <Link to={`/requests/${r.requestId}`}>{t}</Link>,
};
const type = {
  title: '类型',
  dataIndex: 'type',
  render: (t: string) => ALL_TYPE_LABELS[t] ?? t,
  responsive: ['md' as const],
};
const status = {
  title: '状态',
  dataIndex: 'status',
  render: (s: string) => STATUS_LABELS[s] ?? s,
  responsive: ['sm' as const],
};

const todoColumns = [
  title,
  type,
  { title: '待办', dataIndex: 'action', render: (a: string) => ACTION_LABELS[a] ?? a },
  status,
  {
    title: '期限',
    dataIndex: 'dueAt',
    render: (d: string | null, r: WorkItem) =>
      d ? (
        <span>
          {dayjs(d).format('YYYY-MM-DD HH:mm')} {r.overdue && <Tag color="red">催办</Tag>}
        </span>
      ) : (
        '—'
      ),
  },
];

/** An item of GET /v1/work-items/done: the caller's last action as the audit trail names it. */
interface DoneItem {
  requestId: string;
  title: string;
  type: string;
  status: string;
  action: string;
  actedAt: string;
}

const doneColumns = [
  title,
  type,
  { title: '我的办理', dataIndex: 'action', render: (a: string) => TRAIL_LABELS[a] ?? a },
  { title: '办理时间', dataIndex: 'actedAt', render: (d: string) => dayjs(d).format('YYYY-MM-DD HH:mm') },
  status,
];

export function TodoList() {
  const q = useWorkItems();
  return (
    <>
      <Typography.Title level={4}>待办事项</Typography.Title>
      {q.data?.fallback && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message="待办清单服务尚未启用，按事项状态列出。" />
      )}
      {q.error && <Alert type="error" message={problemSentence(q.error)} />}
      <Table
        rowKey={(r) => `${r.requestId}:${r.action}`}
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        columns={todoColumns}
        pagination={false}
        locale={{ emptyText: '暂无待办事项' }}
        size="middle"
      />
    </>
  );
}

export function DoneList() {
  const q = useQuery({
    queryKey: ['work-items-done'],
    queryFn: async () => {
      try {
        return await raw<{ items: DoneItem[]; total: number }>('GET', '/v1/work-items/done?pageSize=100');
      } catch (e) {
        if (e instanceof ApiProblem && e.status === 404) return null;
        throw e;
      }
    },
  });
  return (
    <>
      <Typography.Title level={4}>已办事项</Typography.Title>
      {q.data === null && <Alert type="info" showIcon message="已办清单服务尚未启用。" />}
      {q.error && <Alert type="error" message={problemSentence(q.error)} />}
      {q.data && (
        <Table
          rowKey={(r) => `${r.requestId}:${r.actedAt}`}
          dataSource={q.data.items}
          columns={doneColumns}
          pagination={false}
          locale={{ emptyText: '暂无已办事项' }}
        />
      )}
    </>
  );
}
