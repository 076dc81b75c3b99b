import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiProblem, api, idempotency, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { DiffTable, QuotaCard, Violations, useActionKey, type DiffRow } from '../components';
import { fieldProblems, problemSentence } from '../domain/errors';
import { FORM_TYPES, TYPE_LABELS, isPeopleType, type FormType } from '../domain/labels';
import { ruleSentence, type Violation } from '../domain/rule-sentences';
import { PayloadFields } from '../forms/PayloadFields';
import { buildPayload, placeFieldProblems } from '../forms/payloads';
import { useSession } from '../session';
import { categoryName, useUnits } from '../units';

type CreateBody = components['schemas']['CreateChangeRequestDto'];

interface Preview {
  diff: DiffRow[];
  violations: Violation[];
  decidedBy?: string;
  referralReasons?: string[];
}

/** The API's VALIDATION_FAILED details (`payload.lines[0].count`) as the form's field paths. */
export function toNamePath(field: string): (string | number)[] {
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export function NewRequestPage() {
  const s = useSession();
  const [form] = Form.useForm();
  const type = Form.useWatch('type', form) as FormType | undefined;
  const payloadUnit = Form.useWatch(['payload', 'unitId'], form) as string | undefined;
  const receivingUnit = Form.useWatch(['payload', 'toUnitId'], form) as string | undefined;
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const key = useActionKey();
  const nav = useNavigate();
  const { message } = App.useApp();
  const client = useQueryClient();
  const { name, units } = useUnits();

  const body = async () => {
    const v = await form.validateFields();
    const b: CreateBody = {
      type: v.type,
      unitId: s.me!.unitId ?? '',
      title: v.title.trim(),
      justification: v.justification.trim(),
      payload: buildPayload(v.type, v.payload ?? {}),
    };
    if (v.referenceNumber?.trim()) b.referenceNumber = v.referenceNumber.trim();
    if (v.copyTo?.length) b.copyTo = v.copyTo;
    return b;
  };

  const showProblem = (e: unknown) => {
    const fields = fieldProblems(e);
    if (fields.length)
      form.setFields(
        placeFieldProblems(fields, String(form.getFieldValue(['payload', 'batch']) ?? '')).map((f) => ({
          name: toNamePath(f.field),
          errors: f.errors,
        })),
      );
    // A rule that names a field (a 抄送 unit unknown or closed: copyTo[1]) shows at that field's picker too.
    if (e instanceof ApiProblem && e.code === 'RULE_VIOLATION') {
      const at = new Map<string, string[]>();
      for (const d of e.details.filter((x) => typeof x.field === 'string')) {
        const field = String(d.field).replace(/\[\d+\]$/, '');
        at.set(field, [...(at.get(field) ?? []), ruleSentence(d as Violation, name, categoryName)]);
      }
      form.setFields([...at].map(([field, errors]) => ({ name: toNamePath(field), errors })));
    }
    setError(problemSentence(e, name, categoryName));
  };

  const doPreview = async () => {
    setError(null);
    const b = await body().catch(() => null);
    if (!b) return;
    setBusy('preview');
    try {
      // the preview takes only what decides the change (docs/api.md "Work lists"): type, unit, payload
      const { type, unitId, payload } = b;
      // A pure read: no Idempotency-Key, so no stored answer per preview.
      setPreview(await unwrap<Preview>(api.POST('/v1/change-requests/preview', { body: { type, unitId, payload } })));
    } catch (e) {
      showProblem(e);
    } finally {
      setBusy(null);
    }
  };

  const save = async (submit: boolean) => {
    setError(null);
    const b = await body().catch(() => null);
    if (!b) return;
    setBusy(submit ? 'submit' : 'draft');
    try {
      const created = await unwrap<{ id: string }>(
        api.POST('/v1/change-requests', {
          params: { header: idempotency(key.get()) },
          body: { ...b, submit },
        }),
      );
      key.done();
      message.success(submit ? '已提交' : '已保存草稿');
      await client.invalidateQueries({ queryKey: ['work-items'] });
      nav(`/requests/${created.id}`);
    } catch (e) {
      if (e instanceof ApiProblem && e.status > 0 && e.status < 500) key.done();
      showProblem(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <Typography.Title level={4}>新建申请</Typography.Title>
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Form form={form} layout="vertical" onValuesChange={() => setPreview(null)}>
            <Form.Item label="事项类型" name="type" rules={[{ required: true, message: '请选择事项类型' }]}>
              <Select
                placeholder="选择事项类型"
                options={[
                  {
                    label: '机构编制事项',
                    options: FORM_TYPES.filter((t) => !isPeopleType(t)).map((t) => ({
                      value: t,
                      label: TYPE_LABELS[t],
                    })),
                  },
                  {
                    label: '实名制（人员上编、下编、调动）',
                    options: FORM_TYPES.filter(isPeopleType).map((t) => ({ value: t, label: TYPE_LABELS[t] })),
                  },
                ]}
                onChange={(t: FormType) =>
                  // 上编 is most often to the clerk's own unit: it is filled in, and may be changed.
                  form.setFieldValue(
                    'payload',
                    t === 'ENROL_PERSON' ? { unitId: s.me?.unitId ?? undefined } : undefined,
                  )
                }
              />
            </Form.Item>
            <Form.Item label="标题" name="title" rules={[{ required: true, message: '请填写标题' }, { max: 300 }]}>
              <Input />
            </Form.Item>
            <Form.Item label="理由" name="justification" rules={[{ required: true, message: '请填写理由' }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Row gutter={8}>
              <Col xs={24} sm={12}>
                <Form.Item label="来文号" name="referenceNumber" rules={[{ max: 100, message: '不能超过 100 个字' }]}>
                  <Input placeholder="如 清住建〔2026〕12号" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item label="抄送" name="copyTo">
                  <Select
                    mode="multiple"
                    placeholder="抄送单位"
                    showSearch={{ optionFilterProp: 'label' }}
                    options={units.filter((u) => u.status === 'active').map((u) => ({ value: u.id, label: u.name }))}
                  />
                </Form.Item>
              </Col>
            </Row>
            {type && (
              <Card size="small" title={TYPE_LABELS[type]} style={{ marginBottom: 16 }}>
                <PayloadFields type={type} />
              </Card>
            )}
            {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
            <Space wrap>
              <Button onClick={doPreview} loading={busy === 'preview'}>
                预览
              </Button>
              <Button onClick={() => save(false)} loading={busy === 'draft'}>
                保存草稿
              </Button>
              <Button type="primary" onClick={() => save(true)} loading={busy === 'submit'}>
                提交
              </Button>
            </Space>
          </Form>
        </Col>
        <Col xs={24} lg={8}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <QuotaCard unitId={receivingUnit ?? payloadUnit ?? s.me?.unitId ?? undefined} />
            {preview && (
              <Card size="small" title="预览" data-testid="preview">
                <DiffTable diff={preview.diff} />
                <div style={{ marginTop: 8 }}>
                  <Violations violations={preview.violations} />
                </div>
                <div style={{ marginTop: 8 }}>
                  {preview.decidedBy === 'OFFICE' ? <Tag>由编办决定</Tag> : <Tag>提请编委会审议</Tag>}
                  {(preview.referralReasons ?? []).length > 0 && <Tag color="orange">须报上级机关批准</Tag>}
                </div>
              </Card>
            )}
          </Space>
        </Col>
      </Row>
    </>
  );
}
