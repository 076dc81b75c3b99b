import { Card, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { TYPE_LABELS, type PeopleType } from '../../domain/labels';
import { useSession } from '../../session';
import { useUnits } from '../../units';
import { PEOPLE_READERS } from './access';
import { categoryLabel, channelLabel, payloadPeople, payloadSummary, reasonLabel, type PayloadPerson } from './model';

// 申请内容 of a people request (上编, 下编, 调动) in words: each person by name and masked ID number, the units by
// name. The API keeps the ID number sealed; what the request holds is the mask (and, for 下编 and 调动, where the
// person was on when the request was filed).

export function PeoplePayloadView({ type, payload }: { type: PeopleType; payload: Record<string, unknown> }) {
  const { name } = useUnits();
  const s = useSession();
  const people = payloadPeople(type, payload);
  const canOpen = s.has(...PEOPLE_READERS);
  const unit = (id?: string) => (id ? name(id) : '—');
  const person = {
    title: '姓名',
    key: 'name',
    render: (_: unknown, p: PayloadPerson) =>
      p.personId && canOpen ? <Link to={`/people/${p.personId}`}>{p.name}</Link> : p.name,
  };
  const id = { title: '公民身份号码', dataIndex: 'idNumberMasked', render: (v: string) => v || '—' };
  const from = {
    title: '原单位及编制',
    key: 'from',
    render: (_: unknown, p: PayloadPerson) =>
      p.fromUnitId ? `${unit(p.fromUnitId)} ${categoryLabel(p.fromCategory)}` : '（申请时不在编）',
  };
  const to = {
    title: type === 'ENROL_PERSON' ? '上编单位及编制' : '调入单位及编制',
    key: 'to',
    render: (_: unknown, p: PayloadPerson) => `${unit(p.unitId)} ${categoryLabel(p.category)}`,
  };
  const columns =
    type === 'ENROL_PERSON'
      ? [person, id, to, { title: '进编渠道', dataIndex: 'channel', render: channelLabel }]
      : type === 'DISENROL_PERSON'
        ? [
            person,
            id,
            from,
            { title: '下编原因', dataIndex: 'reason', render: reasonLabel },
            { title: '下编日期', dataIndex: 'date' },
          ]
        : [person, id, from, to];
  return (
    <Card size="small" title={`申请内容（${TYPE_LABELS[type]}）`} data-testid="people-payload">
      <Typography.Paragraph data-testid="people-payload-summary">
        {payloadSummary(type, people, name)}。
      </Typography.Paragraph>
      <Table<PayloadPerson>
        size="small"
        rowKey="key"
        dataSource={people}
        columns={[{ title: '序号', key: 'index', width: 60, render: (_: unknown, p) => Number(p.key) + 1 }, ...columns]}
        pagination={people.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        scroll={{ x: true }}
      />
    </Card>
  );
}
