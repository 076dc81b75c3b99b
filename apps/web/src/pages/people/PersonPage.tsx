import { Alert, Card, Descriptions, Space, Tag, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { ApiProblem } from '../../api/client';
import { problemSentence } from '../../domain/errors';
import { PERSON_ACTION_LABELS, PERSON_STATUS_LABELS } from '../../domain/labels';
import { useUnits } from '../../units';
import { chinaDateOf, chinaTimeOf } from '../numbers/figures';
import { usePerson } from './data';
import { categoryLabel, historySentence } from './model';
import { idText } from './RosterTab';

// 人员详情: who the person is, where they are on now, and every move (导入, 上编, 下编, 调动, 随单位转入) with its
// request and the approval's document number.

const ACTION_COLORS: Record<string, string> = {
  IMPORTED: 'gray',
  ENROLLED: 'green',
  DISENROLLED: 'red',
  TRANSFERRED: 'blue',
  MOVED_WITH_UNIT: 'orange',
};

export function PersonPage() {
  const { id } = useParams();
  const person = usePerson(id);
  const { name } = useUnits();
  const p = person.data;
  const notFound = person.error instanceof ApiProblem && [400, 404].includes(person.error.status);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/people">← 实名制人员</Link>
      <Typography.Title level={4} style={{ margin: 0 }} data-testid="person-name">
        {p?.name ?? '人员详情'}{' '}
        {p && <Tag color={p.status === 'on' ? 'green' : undefined}>{PERSON_STATUS_LABELS[p.status] ?? p.status}</Tag>}
      </Typography.Title>
      {notFound && <Alert type="warning" showIcon title="没有找到该人员，或不在您可以查看的单位。" />}
      {person.error && !notFound && <Alert type="error" showIcon title={problemSentence(person.error)} />}
      {person.isLoading && <Card loading />}
      {p && (
        <>
          <Card size="small" title="基本情况" data-testid="person-facts">
            <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
              <Descriptions.Item label="姓名">{p.name}</Descriptions.Item>
              <Descriptions.Item label="公民身份号码">
                <span data-testid="person-id-number">{idText(p)}</span>
                {!p.idNumber && (
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                    （完整号码仅编办可见）
                  </Typography.Text>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={p.status === 'on' ? '所在单位' : '下编前单位'}>
                {p.unitId ? <Link to={`/registry/units/${p.unitId}`}>{name(p.unitId)}</Link> : '—'}
              </Descriptions.Item>
              <Descriptions.Item label="编制类别">{categoryLabel(p.category)}</Descriptions.Item>
              <Descriptions.Item label={p.status === 'on' ? '在编起始日期' : '下编日期'}>
                {chinaDateOf(p.since)}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title="编制历程">
            <Timeline
              data-testid="person-history"
              items={p.history.map((h, i) => ({
                color: ACTION_COLORS[h.action] ?? 'gray',
                content: (
                  <div data-testid="history-entry" data-action={h.action}>
                    <Space wrap size={6}>
                      <Typography.Text type="secondary">{chinaTimeOf(h.at)}</Typography.Text>
                      <Tag>{PERSON_ACTION_LABELS[h.action] ?? h.action}</Tag>
                      {i === p.history.length - 1 && p.status === 'on' && <Tag color="green">现状</Tag>}
                    </Space>
                    <div>{historySentence(h, name)}</div>
                    {(h.documentNumber || h.requestId) && (
                      <Space wrap size={12}>
                        {h.documentNumber && (
                          <span>
                            批准文号：<span data-testid="document-number">{h.documentNumber}</span>
                          </span>
                        )}
                        {h.requestId && <Link to={`/requests/${h.requestId}`}>查看事项</Link>}
                      </Space>
                    )}
                  </div>
                ),
              }))}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
