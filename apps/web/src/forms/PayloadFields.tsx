import { Button, DatePicker, Form, Input, InputNumber, Select, Space } from 'antd';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  FUNDING_LABELS,
  GRADE_LABELS,
  KIND_LABELS,
  REASON_LABELS,
  type FormType,
} from '../domain/labels';
import { useUnits } from '../units';
import { FORM_FIELDS, type FieldSpec } from './payloads';
import { EnrolPeopleField, PersonSelect } from './PeopleFields';

// The guided fields of one change type, under the form's `payload` (docs/api.md "Change request payloads").

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
const categoryOptions = CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }));

function UnitSelect(props: { multiple?: boolean; value?: unknown; onChange?: (v: unknown) => void; id?: string }) {
  const { units } = useUnits();
  return (
    <Select
      {...props}
      mode={props.multiple ? 'multiple' : undefined}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      placeholder="选择单位"
      options={units.filter((u) => u.status !== 'ABOLISHED').map((u) => ({ value: u.id, label: u.name }))}
    />
  );
}

const required = (f: FieldSpec) => [
  ...(f.optional ? [] : [{ required: true, message: `请填写${f.label}` }]),
  ...(f.kind === 'int'
    ? [{ validator: async (_: unknown, v: unknown) => (v === 0 ? Promise.reject(new Error('不能为 0')) : undefined) }]
    : []),
];

function LinesField({ f, kind }: { f: FieldSpec; kind: 'posts' | 'transferLines' | 'loanLines' }) {
  return (
    <Form.Item label={f.label} required={!f.optional}>
      <Form.List
        name={['payload', f.name]}
        initialValue={kind === 'posts' ? [] : [{}]}
        rules={
          f.optional
            ? []
            : [
                {
                  validator: async (_, v: unknown[]) => {
                    if (!v || v.length === 0) throw new Error(`请至少填写一行${f.label}`);
                  },
                },
              ]
        }
      >
        {(rows, { add, remove }, { errors }) => (
          <>
            {rows.map((row) => (
              <Space key={row.key} wrap align="baseline" style={{ marginBottom: 4 }}>
                {kind === 'transferLines' && (
                  <>
                    <Form.Item name={[row.name, 'fromUnitId']} rules={[{ required: true, message: '调出单位' }]}>
                      <UnitSelectWide placeholder="调出单位" />
                    </Form.Item>
                    <Form.Item name={[row.name, 'toUnitId']} rules={[{ required: true, message: '调入单位' }]}>
                      <UnitSelectWide placeholder="调入单位" />
                    </Form.Item>
                  </>
                )}
                {kind === 'loanLines' && (
                  <Form.Item name={[row.name, 'unitId']} rules={[{ required: true, message: '借用单位' }]}>
                    <UnitSelectWide placeholder="借用单位" />
                  </Form.Item>
                )}
                {kind === 'posts' ? (
                  <>
                    <Form.Item name={[row.name, 'grade']} rules={[{ required: true, message: '职级' }]}>
                      <Select style={{ width: 120 }} placeholder="职级" options={options(GRADE_LABELS)} />
                    </Form.Item>
                    <Form.Item name={[row.name, 'principal']} initialValue={1}>
                      <InputNumber min={0} max={20} prefix="正职" style={{ width: 130 }} />
                    </Form.Item>
                    <Form.Item name={[row.name, 'deputy']} initialValue={0}>
                      <InputNumber min={0} max={50} prefix="副职" style={{ width: 130 }} />
                    </Form.Item>
                  </>
                ) : (
                  <>
                    <Form.Item name={[row.name, 'category']} rules={[{ required: true, message: '编制类别' }]}>
                      <Select style={{ width: 160 }} placeholder="编制类别" options={categoryOptions} />
                    </Form.Item>
                    <Form.Item name={[row.name, 'count']} rules={[{ required: true, message: '名额' }]}>
                      <InputNumber min={1} max={100000} placeholder="名额" />
                    </Form.Item>
                  </>
                )}
                <Button onClick={() => remove(row.name)}>删除</Button>
              </Space>
            ))}
            <Button type="dashed" onClick={() => add()}>
              增加一行
            </Button>
            <Form.ErrorList errors={errors} />
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

function UnitSelectWide(props: { placeholder: string; value?: unknown; onChange?: (v: unknown) => void }) {
  const { units } = useUnits();
  return (
    <Select
      {...props}
      style={{ width: 220 }}
      showSearch={{ optionFilterProp: 'label' }}
      options={units.map((u) => ({ value: u.id, label: u.name }))}
    />
  );
}

export function PayloadFields({ type }: { type: FormType }) {
  return (
    <>
      {FORM_FIELDS[type].map((f) => {
        const name = ['payload', f.name];
        switch (f.kind) {
          case 'posts':
          case 'transferLines':
          case 'loanLines':
            return <LinesField key={f.name} f={f} kind={f.kind} />;
          case 'enrolPeople':
            return <EnrolPeopleField key={f.name} f={f} />;
          case 'quotas':
            return (
              <Form.Item key={f.name} label={f.label}>
                <Space wrap>
                  {CATEGORIES.map((c) => (
                    <Form.Item key={c} name={[...name, c]} noStyle>
                      <InputNumber min={0} max={100000} prefix={CATEGORY_LABELS[c]} style={{ width: 230 }} />
                    </Form.Item>
                  ))}
                </Space>
              </Form.Item>
            );
          default:
            return (
              <Form.Item key={f.name} label={f.label} name={name} rules={required(f)}>
                {control(f)}
              </Form.Item>
            );
        }
      })}
    </>
  );
}

function control(f: FieldSpec) {
  switch (f.kind) {
    case 'unit':
      return <UnitSelect />;
    case 'units':
      return <UnitSelect multiple />;
    case 'category':
      return <Select options={categoryOptions} placeholder="选择编制类别" />;
    case 'grade':
      return <Select options={options(GRADE_LABELS)} placeholder="选择规格" />;
    case 'kind':
      return <Select options={options(KIND_LABELS)} placeholder="选择机构类别" />;
    case 'funding':
      return <Select options={options(FUNDING_LABELS)} allowClear placeholder="选择经费形式" />;
    case 'tags':
      return <Select mode="tags" placeholder="输入后回车" open={false} />;
    case 'int':
      return <InputNumber min={-100000} max={100000} style={{ width: 200 }} />;
    case 'count':
      return <InputNumber min={1} max={100000} style={{ width: 200 }} />;
    case 'date':
      return <DatePicker />;
    case 'channel':
      return <Select options={options(CHANNEL_LABELS)} placeholder="选择进编渠道" />;
    case 'reason':
      return <Select options={options(REASON_LABELS)} placeholder="选择下编原因" />;
    case 'person':
      return <PersonSelect fillsCategory={f.fillsCategory} />;
    default:
      return <Input />;
  }
}
