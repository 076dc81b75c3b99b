import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Col, DatePicker, Form, Input, Row, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { problemSentence } from '../../domain/errors';
import {
  ACTION_OPTIONS,
  actionLabel,
  auditQuery,
  currentCursor,
  FIRST_PAGE,
  hasNext,
  json,
  nextPage,
  PAGE_SIZE,
  previousPage,
  roleLabel,
  type AuditRecord,
  type LogFilters,
  type Pages,
} from './logic';

// 审计记录: the whole trail, filtered by time, actor, request and action as the API filters it, a page at a time
// after a seq.

export function RecordDetail({
  record,
  onPickRequest,
  onPickSeq,
}: {
  record: AuditRecord;
  onPickRequest?: (id: string) => void;
  onPickSeq?: (seq: number) => void;
}) {
  const pre = {
    margin: 0,
    maxHeight: 320,
    overflow: 'auto',
    fontSize: 12,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
  } as const;
  return (
    <div data-testid="record-detail" style={{ minWidth: 0, maxWidth: '100%' }}>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Typography.Text strong>变更前</Typography.Text>
          <pre style={pre} data-testid="record-before">
            {json(record.before)}
          </pre>
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text strong>变更后</Typography.Text>
          <pre style={pre} data-testid="record-after">
            {json(record.after)}
          </pre>
        </Col>
      </Row>
      <dl
        style={{
          margin: '8px 0',
          fontSize: 12,
          display: 'grid',
          gridTemplateColumns: 'max-content minmax(0, 1fr)',
          gap: 4,
        }}
      >
        <dt>前一条哈希</dt>
        <dd style={{ margin: 0, wordBreak: 'break-all' }}>
          <Typography.Text code>{record.prevHash}</Typography.Text>
        </dd>
        <dt>本条哈希（{record.hashAlg === 'sm3' ? 'SM3' : 'SHA-256'}）</dt>
        <dd style={{ margin: 0, wordBreak: 'break-all' }}>
          <Typography.Text code copyable>
            {record.hash}
          </Typography.Text>
        </dd>
        <dt>操作代码</dt>
        <dd style={{ margin: 0 }}>
          <Typography.Text code>{record.action}</Typography.Text>
        </dd>
        {record.workflowId && (
          <>
            <dt>工作流</dt>
            <dd style={{ margin: 0, wordBreak: 'break-all' }}>
              {record.workflowId}
              {record.runId ? ` / ${record.runId}` : ''}
              {record.stepKey ? ` / ${record.stepKey}` : ''}
            </dd>
          </>
        )}
      </dl>
      <Space wrap>
        {record.requestId && onPickRequest && (
          <Button size="small" onClick={() => onPickRequest(record.requestId!)}>
            核查此事项
          </Button>
        )}
        {onPickSeq && (
          <Button size="small" onClick={() => onPickSeq(record.seq)}>
            查看包含证明
          </Button>
        )}
      </Space>
    </div>
  );
}

export function AuditLog({
  filters,
  onFilters,
  onPickRequest,
  onPickSeq,
  pageSize = PAGE_SIZE,
}: {
  filters: LogFilters;
  onFilters: (f: LogFilters) => void;
  onPickRequest: (id: string) => void;
  onPickSeq: (seq: number) => void;
  pageSize?: number;
}) {
  // The pages walked belong to the filters they were walked with: new filters start again at the first page.
  const filterKey = JSON.stringify(filters);
  const [walk, setWalk] = useState<{ key: string; pages: Pages }>({ key: filterKey, pages: FIRST_PAGE });
  const pages = walk.key === filterKey ? walk.pages : FIRST_PAGE;
  const setPages = (p: Pages) => setWalk({ key: filterKey, pages: p });
  const [form] = Form.useForm<LogFilters>();
  const afterSeq = currentCursor(pages);
  const query = auditQuery(filters, afterSeq, pageSize);
  const list = useQuery({
    queryKey: ['audit', 'log', query],
    queryFn: () => unwrap<AuditRecord[]>(api.GET('/v1/audit', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const page = list.data ?? [];
  const shown = page;
  const search = (f: LogFilters) => {
    setWalk({ key: JSON.stringify(f), pages: FIRST_PAGE }); // the same filters again: from the first page
    onFilters(f);
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form<LogFilters>
        form={form}
        layout="inline"
        initialValues={filters}
        key={filterKey} // filters set from elsewhere (a request picked) show in the form
        onFinish={search}
        style={{ rowGap: 8 }}
        data-testid="audit-filters"
      >
        <Form.Item name="range" label="时间">
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item name="actor" label="操作人">
          <Input placeholder="用户名" allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item
          name="requestId"
          label="事项编号"
          rules={[
            {
              pattern: /^\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*$/i,
              message: '请填写完整的事项编号',
            },
          ]}
        >
          <Input placeholder="事项编号" allowClear style={{ width: 320 }} />
        </Form.Item>
        <Form.Item name="action" label="操作">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={ACTION_OPTIONS}
            style={{ width: 200 }}
          />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                search({});
              }}
            >
              重置
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {list.error && <Alert type="error" showIcon title={problemSentence(list.error)} />}
      <Table<AuditRecord>
        data-testid="audit-log"
        rowKey="seq"
        size="small"
        loading={list.isFetching}
        dataSource={shown}
        pagination={false}
        tableLayout="fixed" // a long comment or an opened record's JSON must not widen the columns
        scroll={{ x: 980 }}
        locale={{ emptyText: '没有符合条件的记录' }}
        expandable={{
          expandedRowRender: (r) => <RecordDetail record={r} onPickRequest={onPickRequest} onPickSeq={onPickSeq} />,
        }}
        columns={[
          { title: '序号', dataIndex: 'seq', width: 72 },
          {
            title: '时间',
            dataIndex: 'at',
            width: 170,
            render: (d: string) => dayjs(d).format('YYYY-MM-DD HH:mm:ss'),
          },
          { title: '操作人', dataIndex: 'actor', width: 130, ellipsis: true },
          { title: '角色', dataIndex: 'role', width: 110, render: roleLabel },
          { title: '操作', dataIndex: 'action', width: 190, render: actionLabel },
          {
            title: '意见',
            dataIndex: 'comment',
            ellipsis: { showTitle: true },
            render: (c: string | null) => c ?? '',
          },
          {
            title: '事项',
            dataIndex: 'requestId',
            width: 100,
            render: (id: string | null) =>
              id ? (
                <Space size={4}>
                  <Link to={`/requests/${id}`}>查看</Link>
                  <a onClick={() => onPickRequest(id)}>核查</a>
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <Space>
        <Button disabled={pages.cursors.length <= 1} onClick={() => setPages(previousPage(pages))}>
          上一页
        </Button>
        <Button disabled={!hasNext(page, pageSize)} onClick={() => setPages(nextPage(pages, page))}>
          下一页
        </Button>
        <Typography.Text type="secondary" data-testid="audit-page">
          第 {pages.cursors.length} 页
          {page.length > 0 && `（序号 ${page[0].seq}–${page[page.length - 1].seq}，每页至多 ${pageSize} 条）`}
        </Typography.Text>
      </Space>
    </Space>
  );
}
