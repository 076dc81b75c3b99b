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

/** 编制统计: the county's numbers per category (GET /v1/establishment/summary); issue 15 builds it out. */
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
