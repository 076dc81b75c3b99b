import { Alert, Button, Checkbox, Col, Form, Input, Row, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { ApiProblem } from '../../api/client';
import { problemSentence } from '../../domain/errors';
import { accountProblemInWords, PASSWORD_HELP, ROLE_GROUPS, ROLE_RULES, roleLabel, roleProblems } from './accounts';

// One account's form (POST /v1/users, PATCH /v1/users/:id): the rules of who may hold which roles beside the
// picker, what the chosen roles would break said before sending, and the API's refusal in words.

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  unitId?: string | null;
  disabled: boolean;
  mustChangePassword: boolean;
}

export interface CreateUserBody {
  username: string;
  password: string;
  displayName: string;
  roles: string[];
  unitId?: string;
}

export interface UpdateUserBody {
  roles?: string[];
  unitId?: string | null;
  disabled?: boolean;
  displayName?: string;
}

interface Values {
  username?: string;
  password?: string;
  displayName: string;
  roles?: string[];
  unitId?: string | null;
  disabled?: boolean;
}

const sameRoles = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();

/** What an edit changes, and nothing else: roles are sent only when changed (nobody sends their own). */
export function changesOf(user: User, v: Values): UpdateUserBody {
  const out: UpdateUserBody = {};
  const roles = v.roles ?? [];
  if (!sameRoles(roles, user.roles)) out.roles = roles;
  const unitId = v.unitId || null;
  if (unitId !== (user.unitId ?? null)) out.unitId = unitId;
  if (!!v.disabled !== user.disabled) out.disabled = !!v.disabled;
  if (v.displayName.trim() !== user.displayName) out.displayName = v.displayName.trim();
  return out;
}

/** A refusal: the sentences above the form, and the problems beside the fields the API names. */
export function explainRefusal(e: unknown): { sentences: string[]; fields: { field: string; problem: string }[] } {
  const fields =
    e instanceof ApiProblem && ['VALIDATION_FAILED', 'PASSWORD_POLICY', 'ROLE_CONFLICT'].includes(e.code ?? '')
      ? e.details
          .filter((d): d is { field: string; problem: string } => typeof d.field === 'string')
          .map((d) => ({ field: d.field, problem: accountProblemInWords(d.field, String(d.problem ?? '')) }))
      : [];
  if (e instanceof ApiProblem && e.code === 'USERNAME_TAKEN')
    fields.push({ field: 'username', problem: '用户名已被使用' });
  const sentences = [problemSentence(e)];
  if (e instanceof ApiProblem && e.code === 'PASSWORD_POLICY') sentences[0] = `密码不符合要求：${PASSWORD_HELP}`;
  // A refused role change says which rule, not only that one was broken.
  for (const f of fields) if (f.field === 'roles') sentences.push(f.problem);
  if (e instanceof ApiProblem && e.status === 403 && e.code === 'FORBIDDEN')
    sentences[0] = '不能办理：任何人不能修改自己的角色，首个管理员账号 admin 也不能停用或取消其管理员角色。';
  return { sentences, fields };
}

export interface UserFormProps {
  /** The account edited; none for a new one. */
  user?: User;
  /** The roles the picker starts with (e.g. 加入编委会 adds committee_member to the user's). */
  presetRoles?: string[];
  /** The account is the signed-in admin's own: its roles are not changed here. */
  self?: boolean;
  units: { id: string; name: string; status?: string }[];
  onSubmit(body: CreateUserBody | UpdateUserBody): Promise<unknown>;
  onDone(): void;
  onCancel(): void;
}

export function UserForm({ user, presetRoles, self, units, onSubmit, onDone, onCancel }: UserFormProps) {
  const [form] = Form.useForm<Values>();
  const roles = Form.useWatch('roles', form) ?? presetRoles ?? user?.roles ?? [];
  const unitId = Form.useWatch('unitId', form) ?? user?.unitId ?? null;
  const problems = roleProblems(roles, unitId);
  const [refusal, setRefusal] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);

  const finish = async (v: Values) => {
    setBusy(true);
    setRefusal(null);
    try {
      if (user) {
        const body = changesOf(user, v);
        if (Object.keys(body).length) await onSubmit(body);
      } else {
        await onSubmit({
          username: v.username!.trim(),
          password: v.password!,
          displayName: v.displayName.trim(),
          roles: v.roles ?? [],
          ...(v.unitId ? { unitId: v.unitId } : {}),
        });
      }
      onDone();
    } catch (e) {
      const { sentences, fields } = explainRefusal(e);
      setRefusal(sentences);
      form.setFields(
        fields
          .filter((f) => ['username', 'password', 'displayName', 'roles', 'unitId'].includes(f.field))
          .map((f) => ({ name: f.field as keyof Values, errors: [f.problem] })),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={finish}
      initialValues={{
        displayName: user?.displayName ?? '',
        roles: presetRoles ?? user?.roles ?? [],
        unitId: user?.unitId ?? undefined,
        disabled: user?.disabled ?? false,
      }}
    >
      {refusal && (
        <Alert
          type="error"
          showIcon
          data-testid="user-refusal"
          style={{ marginBottom: 16 }}
          title={refusal[0]}
          description={refusal.length > 1 ? refusal.slice(1).join(' ') : undefined}
        />
      )}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          {user ? (
            <Form.Item label="用户名">
              <Typography.Text strong>{user.username}</Typography.Text>
            </Form.Item>
          ) : (
            <Form.Item
              label="用户名"
              name="username"
              rules={[
                { required: true, message: '请输入用户名' },
                { pattern: /^[A-Za-z0-9_.-]{2,64}$/, message: '用户名须为 2 至 64 位字母、数字或 _ . -' },
              ]}
            >
              <Input autoComplete="off" />
            </Form.Item>
          )}
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            label="姓名"
            name="displayName"
            rules={[
              { required: true, whitespace: true, message: '请输入姓名' },
              { max: 100, message: '不能超过 100 个字' },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      {!user && (
        <Form.Item
          label="初始密码"
          name="password"
          extra={PASSWORD_HELP}
          rules={[{ required: true, message: '请设置初始密码' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      )}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item label="角色" name="roles" extra={self ? '不能修改自己的角色，须由另一名管理员办理。' : undefined}>
            <Checkbox.Group style={{ display: 'block' }} disabled={self}>
              {ROLE_GROUPS.map((g) => (
                <div key={g.title} style={{ marginBottom: 8 }}>
                  <Typography.Text type="secondary">{g.title}</Typography.Text>
                  <div>
                    {g.roles.map((r) => (
                      <Checkbox key={r} value={r}>
                        {roleLabel(r)}
                      </Checkbox>
                    ))}
                  </div>
                </div>
              ))}
            </Checkbox.Group>
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Alert
            type="info"
            data-testid="role-rules"
            title="角色兼任规则"
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {ROLE_RULES.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            }
          />
        </Col>
      </Row>
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="role-problems"
          style={{ marginBottom: 16 }}
          title="所选角色不符合兼任规则，提交将被拒绝："
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      )}
      <Form.Item
        label="所在单位"
        name="unitId"
        extra="经办人、征求意见单位必填；编委会成员填写所在（领导）的单位，用于回避。"
      >
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="选择单位"
          options={units.filter((u) => !u.status || u.status === 'active').map((u) => ({ value: u.id, label: u.name }))}
        />
      </Form.Item>
      {user && (
        <Form.Item label="停用账号" name="disabled" valuePropName="checked" extra="停用后该账号立即无法使用。">
          <Switch disabled={self} />
        </Form.Item>
      )}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          {user ? '保存' : '创建账号'}
        </Button>
        <Button onClick={onCancel}>取消</Button>
      </Space>
    </Form>
  );
}
