import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { problemSentence } from '../domain/errors';
import { CATEGORIES, CATEGORY_LABELS, ROLE_LABELS, TRAIL_LABELS, type Category } from '../domain/labels';

interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  requestId?: string | null;
  comment?: string | null;
}

/** 审计 (the auditor's desk): whether the hash-chained trail verifies, and its latest records; issue 15 builds it out. */
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
