import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiProblem } from '../api/client';
import { problemSentence } from '../domain/errors';
import { useSession } from '../session';

// Sign-in (docs/api.md, "Sign-in and accounts"): a lock (423) is said in words, a TOTP code is asked for when
// the account uses one, and a password an administrator set is changed here before anything else.

interface Fields {
  username: string;
  password: string;
  totp?: string;
}

export function LoginPage() {
  const s = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [needsTotp, setNeedsTotp] = useState(false);
  const [mustChange, setMustChange] = useState<{ token: string; username: string; password: string } | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      if (e instanceof ApiProblem && e.code === 'TOTP_REQUIRED') setNeedsTotp(true);
      // At sign-in a 401 means the name or the password; elsewhere it means the session ended.
      setError(e instanceof ApiProblem && e.status === 401 ? '用户名或密码不正确。' : problemSentence(e));
    } finally {
      setBusy(false);
    }
  };
  const submit = (v: Fields) =>
    run(async () => {
      const next = await s.signIn(v.username, v.password, v.totp || undefined);
      if (next.mustChangePassword)
        setMustChange({ token: next.mustChangePassword, username: v.username, password: v.password });
    });
  const change = (v: { newPassword: string }) =>
    run(() => s.changePassword(mustChange!.token, mustChange!.username, mustChange!.password, v.newPassword));
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5', padding: 8 }}>
      <Card style={{ width: 360, maxWidth: '100%' }}>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          编制流程 · 工作台
        </Typography.Title>
        {error && <Alert type="error" message={error} style={{ marginBottom: 16 }} showIcon />}
        {mustChange ? (
          <Form layout="vertical" onFinish={change} requiredMark={false}>
            <Alert
              type="info"
              style={{ marginBottom: 16 }}
              message="密码由管理员设置，请先修改密码：至少 10 位，含大写字母、小写字母、数字、符号中的三种。"
            />
            <Form.Item label="新密码" name="newPassword" rules={[{ required: true, message: '请输入新密码' }]}>
              <Input.Password autoComplete="new-password" autoFocus />
            </Form.Item>
            <Form.Item
              label="确认新密码"
              name="confirm"
              dependencies={['newPassword']}
              rules={[
                { required: true, message: '请再次输入新密码' },
                ({ getFieldValue }) => ({
                  validator: (_, value) =>
                    value === getFieldValue('newPassword')
                      ? Promise.resolve()
                      : Promise.reject(new Error('两次输入不一致')),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              修改密码并登录
            </Button>
          </Form>
        ) : (
          <Form layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            {needsTotp && (
              <Form.Item
                label="动态口令"
                name="totp"
                rules={[{ required: true, pattern: /^[0-9]{6}$/, message: '6 位数字' }]}
              >
                <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" block loading={busy}>
              登录
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
