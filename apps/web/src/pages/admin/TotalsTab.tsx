import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Descriptions, Form, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { problemSentence } from '../../domain/errors';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../../domain/labels';
import { useSession } from '../../session';
import { totalsRefusal } from './totals';

// 编制总额: the county's totals per category handed down by the city (编制总额), the turnover pool's size (周转池)
// and the body limit (机构限额), from GET /v1/establishment/summary; the admin records new ones (PUT
// /v1/establishment/totals, audited). What units hold and what is lent are beside each figure: a total may not go
// below them, and the API's refusal says so with the figures.

export interface Summary {
  year: number;
  categories: Record<string, { total: number; allocated: number; free: number }>;
  turnoverPool: Record<string, { size: number; lent: number; available: number }>;
  bodyLimit: number | null;
  bodies: number;
}

interface Values {
  year: number;
  totals: Record<Category, number | null>;
  turnoverPool: Record<Category, number | null>;
  bodyLimit: number | null;
  noBodyLimit: boolean;
}

export function useSummary() {
  return useQuery({
    queryKey: ['summary'],
    queryFn: () => unwrap<Summary>(api.GET('/v1/establishment/summary')),
  });
}

/** The PUT body from the form: every category, a blank as 0; no limit as null. */
export function totalsBody(v: Values) {
  const map = (m: Record<string, number | null | undefined>) =>
    Object.fromEntries(CATEGORIES.map((c) => [c, m?.[c] ?? 0])) as Record<Category, number>;
  return {
    year: v.year,
    totals: map(v.totals),
    turnoverPool: map(v.turnoverPool),
    bodyLimit: v.noBodyLimit ? null : (v.bodyLimit ?? null),
  };
}

export function TotalsTable({ summary, editing, loading }: { summary?: Summary; editing: boolean; loading?: boolean }) {
  const rows = CATEGORIES.map((c) => ({
    category: c,
    ...summary?.categories[c],
    pool: summary?.turnoverPool[c],
  }));
  const n = (v?: number) => v ?? 0;
  return (
    <Table
      data-testid="totals"
      rowKey="category"
      size="small"
      loading={loading}
      dataSource={rows}
      pagination={false}
      scroll={{ x: true }}
      columns={[
        { title: '编制类别', dataIndex: 'category', render: (c: Category) => CATEGORY_LABELS[c] },
        {
          title: '编制总额',
          key: 'total',
          render: (_: unknown, r) =>
            editing ? (
              <Form.Item name={['totals', r.category]} noStyle>
                <InputNumber min={0} max={1_000_000} precision={0} aria-label={`${CATEGORY_LABELS[r.category]}总额`} />
              </Form.Item>
            ) : (
              n(r.total)
            ),
        },
        { title: '各单位已核定', dataIndex: 'allocated', render: n },
        { title: '未分配', dataIndex: 'free', render: n },
        {
          title: '周转池规模',
          key: 'pool',
          render: (_: unknown, r) =>
            editing ? (
              <Form.Item name={['turnoverPool', r.category]} noStyle>
                <InputNumber
                  min={0}
                  max={1_000_000}
                  precision={0}
                  aria-label={`周转池${CATEGORY_LABELS[r.category]}`}
                />
              </Form.Item>
            ) : (
              n(r.pool?.size)
            ),
        },
        { title: '周转池已借出', key: 'lent', render: (_: unknown, r) => n(r.pool?.lent) },
        { title: '周转池可借', key: 'available', render: (_: unknown, r) => n(r.pool?.available) },
      ]}
    />
  );
}

export function TotalsTab() {
  const s = useSession();
  const isAdmin = s.has('admin');
  const summary = useSummary();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const noLimit = Form.useWatch('noBodyLimit', form);
  const [editing, setEditing] = useState(false);
  const [refusal, setRefusal] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const d = summary.data;

  const start = () => {
    if (!d) return;
    form.setFieldsValue({
      year: d.year,
      totals: Object.fromEntries(CATEGORIES.map((c) => [c, d.categories[c]?.total ?? 0])) as Values['totals'],
      turnoverPool: Object.fromEntries(CATEGORIES.map((c) => [c, d.turnoverPool[c]?.size ?? 0])) as Values['totals'],
      bodyLimit: d.bodyLimit,
      noBodyLimit: d.bodyLimit === null,
    });
    setRefusal(null);
    setEditing(true);
  };

  const save = async (v: Values) => {
    setBusy(true);
    setRefusal(null);
    try {
      await unwrap(api.PUT('/v1/establishment/totals', { body: totalsBody(v) }));
      message.success('已登记新的编制总额');
      setEditing(false);
      await client.invalidateQueries({ queryKey: ['summary'] });
    } catch (e) {
      setRefusal(totalsRefusal(e));
    } finally {
      setBusy(false);
    }
  };

  if (summary.error) return <Alert type="error" showIcon title={problemSentence(summary.error)} />;
  return (
    <Form<Values> form={form} onFinish={save}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          编制总额由上级机构编制部门核定下达，各单位核定的编制之和加上未分配的编制等于总额；周转池编制在总额之外，借给单位使用、到期收回。登记的总额不能低于各单位已核定的数，周转池规模不能低于已借出的数。
        </Typography.Paragraph>
        {refusal && (
          <Alert
            type="error"
            showIcon
            data-testid="totals-refusal"
            title={refusal[0]}
            description={
              refusal.length > 1 ? (
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {refusal.slice(1).map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        )}
        <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
          <Descriptions.Item label="年度">
            {editing ? (
              <Form.Item name="year" noStyle rules={[{ required: true }]}>
                <InputNumber min={2000} max={2100} precision={0} aria-label="年度" />
              </Form.Item>
            ) : (
              (d?.year ?? '—')
            )}
          </Descriptions.Item>
          <Descriptions.Item label="机构限额（党政机构）">
            {editing ? (
              <Space>
                <Form.Item name="bodyLimit" noStyle>
                  <InputNumber min={0} max={100_000} precision={0} disabled={noLimit} aria-label="机构限额" />
                </Form.Item>
                <Form.Item name="noBodyLimit" valuePropName="checked" noStyle>
                  <Checkbox>不设限额</Checkbox>
                </Form.Item>
              </Space>
            ) : d?.bodyLimit === null || d?.bodyLimit === undefined ? (
              '未设限额'
            ) : (
              `${d.bodyLimit} 个`
            )}
          </Descriptions.Item>
          <Descriptions.Item label="现有党政机构">{d ? `${d.bodies} 个` : '—'}</Descriptions.Item>
        </Descriptions>
        <TotalsTable summary={d} editing={editing} loading={summary.isLoading} />
        {isAdmin &&
          (editing ? (
            <Space>
              <Button type="primary" htmlType="submit" loading={busy}>
                保存
              </Button>
              <Button onClick={() => setEditing(false)}>取消</Button>
            </Space>
          ) : (
            <Button onClick={start} disabled={!d}>
              登记新的编制总额
            </Button>
          ))}
      </Space>
    </Form>
  );
}
