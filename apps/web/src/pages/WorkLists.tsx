import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ACTION_LABELS, ALL_TYPE_LABELS, STATUS_LABELS, TRAIL_LABELS } from '../domain/labels';
import { problemSentence } from '../domain/errors';

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

export function useWorkItems() {
  return useQuery({
    queryKey: ['work-items'],
    refetchInterval: 30_000,
    queryFn: async (): Promise<{ items: WorkItem[]; total: number }> =>
      unwrap<{ items: WorkItem[]; total: number }>(api.GET('/v1/work-items')),
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

const DONE_PAGE = 20;

export function DoneList() {
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['work-items-done', page],
    queryFn: () =>
      unwrap<{ items: DoneItem[]; total: number }>(
        api.GET('/v1/work-items/done', { params: { query: { page, pageSize: DONE_PAGE } } }),
      ),
  });
  return (
    <>
      <Typography.Title level={4}>已办事项</Typography.Title>
      {q.error && <Alert type="error" message={problemSentence(q.error)} />}
      <Table
        rowKey={(r) => `${r.requestId}:${r.actedAt}`}
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        columns={doneColumns}
        pagination={{ current: page, pageSize: DONE_PAGE, total: q.data?.total ?? 0, onChange: setPage }}
        locale={{ emptyText: '暂无已办事项' }}
      />
    </>
  );
}
