import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { problemSentence } from '../../domain/errors';
import { useSession } from '../../session';
import { useUnits } from '../../units';
import { roleLabel } from './accounts';
import type { User } from './UserForm';
import { UserDialog, useUsers } from './UsersTab';

// 编委会组成: who holds committee_member (GET /v1/committee, the committee's active members, with the unit each
// leads, which decides recusal) and committee_chair (from the accounts). Membership is a role: changed through
// the user's roles, with the same rules shown and the same refusals.

interface Member {
  id: string;
  username: string;
  displayName: string;
  unitId?: string;
}

export interface CommitteeRow {
  id: string;
  username: string;
  displayName: string;
  unitId?: string | null;
  member: boolean;
  chair: boolean;
}

/** The members (GET /v1/committee) and the active chairs (from the accounts), one row a person. */
export function committeeRows(members: Member[], users: User[]): CommitteeRow[] {
  const rows = new Map<string, CommitteeRow>(members.map((m) => [m.id, { ...m, member: true, chair: false }] as const));
  for (const u of users.filter((x) => !x.disabled && x.roles.includes('committee_chair'))) {
    const row = rows.get(u.id);
    if (row) row.chair = true;
    else rows.set(u.id, { ...u, member: false, chair: true });
  }
  return [...rows.values()].sort((a, b) => Number(b.chair) - Number(a.chair) || a.username.localeCompare(b.username));
}

export function CommitteeTab() {
  const s = useSession();
  const isAdmin = s.has('admin');
  const users = useUsers();
  const { name } = useUnits();
  const committee = useQuery({
    queryKey: ['committee'],
    queryFn: () => unwrap<Member[]>(api.GET('/v1/committee')),
  });
  const [editing, setEditing] = useState<{ user: User; presetRoles?: string[] } | null>(null);
  const [adding, setAdding] = useState<string | undefined>();
  const byId = new Map((users.data ?? []).map((u) => [u.id, u]));
  const rows = committeeRows(committee.data ?? [], users.data ?? []);
  const outside = (users.data ?? []).filter((u) => !u.disabled && !u.roles.includes('committee_member'));
  const error = committee.error ?? users.error;

  return (
    <>
      {error && <Alert type="error" showIcon title={problemSentence(error)} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">
        编委会由担任“编委会成员”角色的在用账号组成；成员的所在单位用于回避，涉及该单位的事项该成员不参加表决。编委会主任只有同时是编委会成员才参加表决。成员的增减即调整用户的角色。
      </Typography.Paragraph>
      <Typography.Paragraph data-testid="committee-count">
        现有编委会成员 {rows.filter((r) => r.member).length} 名，编委会主任 {rows.filter((r) => r.chair).length} 名。
      </Typography.Paragraph>
      {isAdmin && (
        <Space style={{ marginBottom: 16 }} wrap>
          <Select
            aria-label="加入编委会的账号"
            placeholder="选择账号"
            style={{ width: 280 }}
            showSearch={{ optionFilterProp: 'label' }}
            value={adding}
            onChange={setAdding}
            options={outside.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
          />
          <Button
            disabled={!adding}
            onClick={() => {
              const user = adding ? byId.get(adding) : undefined;
              if (user) setEditing({ user, presetRoles: [...user.roles, 'committee_member'] });
              setAdding(undefined);
            }}
          >
            加入编委会
          </Button>
        </Space>
      )}
      <Table<CommitteeRow>
        data-testid="committee"
        rowKey="id"
        size="small"
        loading={committee.isLoading || users.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: '尚无编委会成员' }}
        columns={[
          { title: '姓名', dataIndex: 'displayName' },
          { title: '用户名', dataIndex: 'username' },
          {
            title: '职务',
            key: 'post',
            render: (_: unknown, r) => (
              <>
                {r.chair && <Tag color="gold">{roleLabel('committee_chair')}</Tag>}
                {r.member && <Tag color="blue">{roleLabel('committee_member')}</Tag>}
                {r.chair && !r.member && <Typography.Text type="secondary">（不参加表决）</Typography.Text>}
              </>
            ),
          },
          {
            title: '所在单位（回避）',
            dataIndex: 'unitId',
            render: (id?: string | null) => (id ? name(id) : '—'),
          },
          ...(isAdmin
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  render: (_: unknown, r: CommitteeRow) => {
                    const user = byId.get(r.id);
                    return user ? (
                      <Button size="small" onClick={() => setEditing({ user })}>
                        调整角色或单位
                      </Button>
                    ) : null;
                  },
                },
              ]
            : []),
        ]}
      />
      <UserDialog
        open={!!editing}
        user={editing?.user}
        presetRoles={editing?.presetRoles}
        onClose={() => setEditing(null)}
      />
    </>
  );
}
