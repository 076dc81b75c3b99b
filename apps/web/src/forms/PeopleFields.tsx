import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Form, Input, Radio, Select, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import { idNumberProblem, officeToday } from '../domain/id-number';
import { CATEGORY_LABELS, type Category } from '../domain/labels';
import { useUnits } from '../units';
import type { FieldSpec } from './payloads';
import { parseRoster, rosterErrors, type RosterRow } from './roster';

// The people fields of the 实名制 forms: the person (or people) to put on, checked in the browser before sending,
// and a person on the establishment picked by name or ID number (GET /v1/people, a clerk's own unit's).

export interface PersonItem {
  id: string;
  name: string;
  idNumberMasked: string;
  idNumber?: string;
  unitId: string | null;
  category: string | null;
  status: string;
  since: string;
}

const categoryText = (c: string | null) => (c ? (CATEGORY_LABELS[c as Category] ?? c) : '');

/** 上编人员: one person (name and ID number) or a batch pasted as rows, each row checked as it is typed. */
export function EnrolPeopleField({ f }: { f: FieldSpec }) {
  const form = Form.useFormInstance();
  const mode = (Form.useWatch(['payload', 'mode'], form) as string | undefined) ?? 'one';
  const batch = Form.useWatch(['payload', 'batch'], form) as string | undefined;
  const roster = mode === 'batch' ? parseRoster(batch ?? '', officeToday()) : null;
  return (
    <>
      <Form.Item label={f.label} name={['payload', 'mode']} initialValue="one">
        <Radio.Group
          optionType="button"
          options={[
            { value: 'one', label: '一人' },
            { value: 'batch', label: '多人（粘贴名单）' },
          ]}
        />
      </Form.Item>
      {mode === 'one' ? (
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <Form.Item
            label="姓名"
            name={['payload', 'person', 'name']}
            rules={[
              { required: true, whitespace: true, message: '请填写姓名' },
              { max: 100, message: '姓名不超过 100 个字' },
            ]}
            style={{ minWidth: 160 }}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            label="公民身份号码"
            name={['payload', 'person', 'idNumber']}
            rules={[
              { required: true, message: '请填写公民身份号码' },
              {
                validator: async (_, v: string | undefined) => {
                  const problem = v ? idNumberProblem(v, officeToday()) : null;
                  if (problem) throw new Error(problem);
                },
              },
            ]}
            style={{ minWidth: 240, flex: 1 }}
          >
            <Input autoComplete="off" maxLength={18} placeholder="18 位，末位可为 X" />
          </Form.Item>
        </div>
      ) : (
        <>
          <Form.Item
            label="名单（每行一人：姓名,公民身份号码；可从 Excel 复制两列粘贴）"
            name={['payload', 'batch']}
            rules={[
              {
                validator: async (_, v: string | undefined) => {
                  const r = parseRoster(v ?? '', officeToday());
                  if (r.rows.length === 0) throw new Error('请粘贴名单，每行一人');
                  const errors = rosterErrors(r);
                  if (errors.length) throw new Error(errors.join('\n'));
                },
              },
            ]}
          >
            <Input.TextArea
              rows={6}
              placeholder={'张三,11010519491231002X\n李四,440524188001010014'}
              style={{ fontFamily: 'monospace' }}
            />
          </Form.Item>
          {roster && roster.rows.length > 0 && <RosterPreview rows={roster.rows} />}
        </>
      )}
    </>
  );
}

/** The pasted rows as they will be sent: the number masked, each row's problem beside it. */
function RosterPreview({ rows }: { rows: RosterRow[] }) {
  const bad = rows.filter((r) => r.problem).length;
  return (
    <div style={{ marginBottom: 16 }} data-testid="roster-preview">
      <Typography.Text type={bad ? 'danger' : 'secondary'}>
        共 {rows.length} 人{bad ? `，其中 ${bad} 行有问题，请修改后再提交` : '，均已通过校验'}。
      </Typography.Text>
      <Table<RosterRow>
        size="small"
        rowKey="line"
        dataSource={rows}
        pagination={rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        columns={[
          { title: '序号', dataIndex: 'index', width: 60 },
          { title: '行', dataIndex: 'line', width: 60 },
          { title: '姓名', dataIndex: 'name' },
          { title: '公民身份号码', dataIndex: 'idNumberMasked' },
          {
            title: '校验',
            dataIndex: 'problem',
            render: (p?: string) => (p ? <Typography.Text type="danger">{p}</Typography.Text> : '通过'),
          },
        ]}
      />
    </div>
  );
}

/** A person as a picker's option reads: 张三（3301**********1234）· 县财政局 行政编制. */
export function personLabel(p: PersonItem, unitName: (id?: string) => string): string {
  const where = p.unitId ? ` · ${unitName(p.unitId)} ${categoryText(p.category)}` : '';
  return `${p.name}（${p.idNumberMasked}）${where}`;
}

/** The people on the establishment the caller sees, found by part of a name or a whole ID number. */
function usePeopleSearch(q: string) {
  return useQuery({
    queryKey: ['people', 'pick', q],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap<{ items: PersonItem[]; total: number }>(
        api.GET('/v1/people', { params: { query: { status: 'on', pageSize: 20, ...(q ? { q } : {}) } } }),
      ),
  });
}

/** A debounced value: the search waits until the typing pauses. */
function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * 选择人员: a person on the establishment, searched on the server by name or ID number (a clerk sees its own unit's
 * people and those of the units under it). The person already chosen (a request revised) is named by its own read.
 */
export function PersonSelect(props: {
  value?: string;
  onChange?: (v?: string) => void;
  id?: string;
  /** 调动: most moves keep the category, so the person's is filled in (and may be changed). */
  fillsCategory?: boolean;
}) {
  const form = Form.useFormInstance();
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim());
  const found = usePeopleSearch(q);
  const { name } = useUnits();
  const chosen = useQuery({
    queryKey: ['people', props.value],
    enabled: !!props.value && !(found.data?.items ?? []).some((p) => p.id === props.value),
    queryFn: () => unwrap<PersonItem>(api.GET('/v1/people/{id}', { params: { path: { id: props.value! } } })),
  });
  const items = [...(found.data?.items ?? [])];
  if (chosen.data && !items.some((p) => p.id === chosen.data.id)) items.unshift(chosen.data);
  return (
    <>
      <Select
        id={props.id}
        value={props.value}
        onChange={(v?: string) => {
          props.onChange?.(v);
          const picked = items.find((p) => p.id === v);
          if (props.fillsCategory && picked?.category && !form.getFieldValue(['payload', 'category']))
            form.setFieldValue(['payload', 'category'], picked.category);
        }}
        showSearch={{ filterOption: false, onSearch: setTyped, searchValue: typed }}
        allowClear
        placeholder="输入姓名或完整的公民身份号码查找"
        loading={found.isFetching}
        notFoundContent={found.isFetching ? '查找中…' : '没有找到在编人员'}
        options={items.map((p) => ({ value: p.id, label: personLabel(p, name) }))}
        data-testid="person-select"
      />
      {found.error && <Alert type="error" showIcon title="无法查询人员，请稍后重试。" style={{ marginTop: 4 }} />}
    </>
  );
}
