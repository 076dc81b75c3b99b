import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiProblem, idempotency, unwrap } from '../../api/client';
import { useActionKey } from '../../components';
import { problemSentence } from '../../domain/errors';
import { useSession } from '../../session';
import { useUnits } from '../../units';
import { PASSWORD_HELP, roleLabel } from './accounts';
import { explainRefusal, UserForm, type CreateUserBody, type UpdateUserBody, type User } from './UserForm';

// 用户与角色: every account (GET /v1/users); the admin creates and edits them, the security admin unlocks them
// and resets their passwords (三员分立: each sees only its own buttons).

export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: () => unwrap<User[]>(api.GET('/v1/users')) });
}

/** Sends one account action with its own Idempotency-Key, dropped once the API has answered for good. */
function useSend() {
  const key = useActionKey();
  return async <T,>(call: (header: { 'Idempotency-Key': string }) => Promise<T>): Promise<T> => {
    try {
      const answer = await call(idempotency(key.get()));
      key.done();
      return answer;
    } catch (e) {
      if (e instanceof ApiProblem && e.status > 0 && e.status < 500) key.done();
      throw e;
    }
  };
}

/** The create/edit dialog, also opened from 编委会组成. */
export function UserDialog({
  open,
  user,
  presetRoles,
  onClose,
}: {
  open: boolean;
  user?: User;
  presetRoles?: string[];
  onClose(): void;
}) {
  const s = useSession();
  const client = useQueryClient();
  const { units } = useUnits();
  const { message } = App.useApp();
  const send = useSend();
  const submit = (body: CreateUserBody | UpdateUserBody) =>
    send((header) =>
      user
        ? unwrap(api.PATCH('/v1/users/{id}', { params: { path: { id: user.id } }, body: body as never }))
        : unwrap(api.POST('/v1/users', { params: { header }, body: body as never })),
    );
  const done = async () => {
    message.success(user ? '已保存' : '账号已创建，用户首次登录时须修改密码');
    onClose();
    await Promise.all([
      client.invalidateQueries({ queryKey: ['users'] }),
      client.invalidateQueries({ queryKey: ['committee'] }),
    ]);
  };
  return (
    <Modal
      open={open}
      title={user ? `编辑账号：${user.displayName}` : '新建账号'}
      footer={null}
      width={820}
      style={{ top: 24 }}
      onCancel={onClose}
      destroyOnHidden
    >
      {open && (
        <UserForm
          key={user?.id ?? 'new'}
          user={user}
          presetRoles={presetRoles}
          self={!!user && user.id === s.me?.id}
          units={units}
          onSubmit={submit}
          onDone={done}
          onCancel={onClose}
        />
      )}
    </Modal>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose(): void }) {
  const [form] = Form.useForm<{ password: string }>();
  const { message } = App.useApp();
  const client = useQueryClient();
  const send = useSend();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const finish = async ({ password }: { password: string }) => {
    setBusy(true);
    setRefusal(null);
    try {
      await send((header) =>
        unwrap(
          api.POST('/v1/users/{id}/reset-password', {
            params: { path: { id: user!.id }, header },
            body: { password },
          }),
        ),
      );
      message.success(`已重置 ${user!.displayName} 的密码并解锁，用户下次登录时须修改密码`);
      onClose();
      await client.invalidateQueries({ queryKey: ['users'] });
    } catch (e) {
      const { sentences, fields } = explainRefusal(e);
      setRefusal(sentences[0]);
      form.setFields(
        fields.filter((f) => f.field === 'password').map((f) => ({ name: 'password', errors: [f.problem] })),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!user}
      title={`重置密码：${user?.displayName ?? ''}`}
      footer={null}
      onCancel={onClose}
      destroyOnHidden
    >
      {refusal && <Alert type="error" showIcon title={refusal} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={finish}>
        <Form.Item
          label="临时密码"
          name="password"
          extra={PASSWORD_HELP}
          rules={[{ required: true, message: '请输入临时密码' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            重置密码
          </Button>
          <Button onClick={onClose}>取消</Button>
        </Space>
      </Form>
    </Modal>
  );
}

export function UsersTab() {
  const s = useSession();
  const isAdmin = s.has('admin');
  const isSecurity = s.has('security_admin');
  const users = useUsers();
  const { name } = useUnits();
  const { message } = App.useApp();
  const send = useSend();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);

  const unlock = async (u: User) => {
    setError(null);
    try {
      await send((header) => unwrap(api.POST('/v1/users/{id}/unlock', { params: { path: { id: u.id }, header } })));
      message.success(`已解锁 ${u.displayName}，其登录失败次数已清零`);
    } catch (e) {
      setError(problemSentence(e));
    }
  };

  const needle = q.trim().toLowerCase();
  const rows = (users.data ?? []).filter(
    (u) =>
      !needle ||
      u.username.toLowerCase().includes(needle) ||
      u.displayName.toLowerCase().includes(needle) ||
      u.roles.some((r) => roleLabel(r).includes(needle)),
  );

  return (
    <>
      {users.error && <Alert type="error" showIcon title={problemSentence(users.error)} style={{ marginBottom: 16 }} />}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 16 }}
          closable
          onClose={() => setError(null)}
        />
      )}
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          allowClear
          placeholder="按用户名、姓名或角色查找"
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 280 }}
        />
        {isAdmin && (
          <Button type="primary" onClick={() => setEditing('new')}>
            新建账号
          </Button>
        )}
      </Space>
      <Table<User>
        data-testid="users"
        rowKey="id"
        size="small"
        loading={users.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: true }}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'displayName' },
          {
            title: '角色',
            dataIndex: 'roles',
            render: (roles: string[]) => roles.map((r) => <Tag key={r}>{roleLabel(r)}</Tag>),
          },
          { title: '所在单位', dataIndex: 'unitId', render: (id?: string | null) => (id ? name(id) : '—') },
          {
            title: '状态',
            key: 'status',
            render: (_: unknown, u) => (
              <>
                {u.disabled ? <Tag color="red">已停用</Tag> : <Tag color="green">正常</Tag>}
                {u.mustChangePassword && <Tag color="orange">待修改初始密码</Tag>}
              </>
            ),
          },
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, u) => (
              <Space size={4} wrap>
                {isAdmin && (
                  <Button size="small" onClick={() => setEditing(u)}>
                    编辑
                  </Button>
                )}
                {isSecurity && u.id !== s.me?.id && (
                  <>
                    <Popconfirm
                      title={`解除 ${u.displayName} 的登录锁定？`}
                      okText="解锁"
                      cancelText="取消"
                      onConfirm={() => unlock(u)}
                    >
                      <Button size="small">解锁</Button>
                    </Popconfirm>
                    <Button size="small" onClick={() => setResetting(u)}>
                      重置密码
                    </Button>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      {isSecurity && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          账号连续 5 次登录失败即锁定 15 分钟；解锁或重置密码后即可登录，重置的密码须由用户在下次登录时修改。
        </Typography.Paragraph>
      )}
      <UserDialog
        open={editing !== null}
        user={editing === 'new' || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
      />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
