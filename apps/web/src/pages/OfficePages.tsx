import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { problemSentence } from '../domain/errors';
import { CATEGORIES, CATEGORY_LABELS, ROLE_LABELS, TRAIL_LABELS, type Category } from '../domain/labels';

interface Summary {
  asOf: string;
  year: number;
  categories: Record<string, Record<'total' | 'allocated' | 'free' | 'occupied' | 'vacant' | 'actualVacant', number>>;
  turnoverPool: Record<string, { size: number; lent: number; available: number }>;
}

/** 编制统计: the county's numbers per category (GET /v1/establishment/summary). */
export function StatisticsPage() {
  const q = useQuery({
    queryKey: ['summary'],
    queryFn: () => unwrap<Summary>(api.GET('/v1/establishment/summary')),
  });
  if (q.error) return <Alert type="error" message={problemSentence(q.error)} />;
  const rows = CATEGORIES.map((c) => ({ category: c, ...q.data?.categories[c], pool: q.data?.turnoverPool[c] }));
  const n = (v?: number) => v ?? 0;
  return (
    <>
      <Typography.Title level={4}>编制统计 {q.data && <Tag>{q.data.year} 年</Tag>}</Typography.Title>
      <Table
        rowKey="category"
        loading={q.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: '编制类别', dataIndex: 'category', render: (c: Category) => CATEGORY_LABELS[c] },
          { title: '核定总额', dataIndex: 'total', render: n },
          { title: '已分配', dataIndex: 'allocated', render: n },
          { title: '未分配', dataIndex: 'free', render: n },
          { title: '在编', dataIndex: 'occupied', render: n },
          { title: '空编', dataIndex: 'vacant', render: n },
          { title: '实际空编', dataIndex: 'actualVacant', render: n },
          {
            title: '周转池（可借/总量）',
            key: 'pool',
            render: (_: unknown, r: (typeof rows)[number]) => (r.pool ? `${r.pool.available}/${r.pool.size}` : '—'),
          },
        ]}
      />
    </>
  );
}

interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  requestId?: string | null;
  comment?: string | null;
}

/** 审计: whether the hash-chained trail verifies, and its latest records (auditors). */
export function AuditPage() {
  const verify = useQuery({
    queryKey: ['audit-verify'],
    queryFn: () => unwrap<{ valid: boolean; records: number; firstBrokenSeq?: number }>(api.GET('/v1/audit/verify')),
  });
  const records = useQuery({
    queryKey: ['audit-records'],
    queryFn: () => unwrap<AuditRecord[]>(api.GET('/v1/audit', { params: { query: { limit: 1000 } as never } })),
  });
  const v = verify.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4}>审计</Typography.Title>
      <Card size="small">
        {verify.error && <Alert type="error" message={problemSentence(verify.error)} />}
        {v && (
          <Alert
            data-testid="audit-verify"
            type={v.valid ? 'success' : 'error'}
            showIcon
            message={
              v.valid
                ? `签核记录完整，共 ${v.records} 条，未被篡改。`
                : `签核记录校验失败：第 ${v.firstBrokenSeq ?? '?'} 条起与哈希链不符。`
            }
          />
        )}
        <Button style={{ marginTop: 8 }} onClick={() => verify.refetch()} loading={verify.isFetching}>
          重新校验
        </Button>
      </Card>
      <Table<AuditRecord>
        rowKey="seq"
        size="small"
        loading={records.isLoading}
        dataSource={[...(records.data ?? [])].reverse()}
        scroll={{ x: true }}
        columns={[
          { title: '序号', dataIndex: 'seq' },
          { title: '时间', dataIndex: 'at', render: (d: string) => dayjs(d).format('YYYY-MM-DD HH:mm:ss') },
          { title: '操作人', dataIndex: 'actor' },
          { title: '角色', dataIndex: 'role', render: (r: string) => ROLE_LABELS[r] ?? r },
          { title: '操作', dataIndex: 'action', render: (a: string) => TRAIL_LABELS[a] ?? a },
          {
            title: '事项',
            dataIndex: 'requestId',
            render: (id?: string | null) => (id ? <Link to={`/requests/${id}`}>查看</Link> : '—'),
          },
        ]}
      />
    </Space>
  );
}
