import { Alert, Button, Card, Col, Row, Select, Space, Statistic, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiProblem } from '../../api/client';
import { useActionKey } from '../../components';
import { problemSentence } from '../../domain/errors';
import { saveBlob } from '../../download';
import { useUnits } from '../../units';
import { chinaDateOf } from '../numbers/figures';
import { csvBlob } from '../numbers/sheet';
import { reconcile } from './data';
import {
  FINDING_HINTS,
  FINDING_LABELS,
  importProblem,
  rosterLine,
  type FindingKind,
  type ReconcileFinding,
  type ReconcileResult,
} from './model';

// 核查 (人册一致): a payroll or HR roster (CSV name,idNumber,unit) compared with the people on the establishment,
// the county's or one unit's: 在册不在编, 在编不在册, 单位不一致, and the roster's rows whose ID number is none. The
// API records each check in the audit trail; the findings are saved as CSV from its answer (not by checking again).

const KINDS = Object.keys(FINDING_LABELS) as FindingKind[];

/** The findings and the invalid rows as one CSV, as Excel opens it. */
export function findingsCsv(r: ReconcileResult, unitName: (id?: string) => string): Blob {
  const rows: (string | number)[][] = [
    ['结果', '花名册行号', '姓名', '公民身份号码', '花名册中的单位', '实名制中的单位'],
  ];
  for (const kind of KINDS)
    for (const f of r[kind])
      rows.push([
        FINDING_LABELS[kind],
        f.row === undefined ? '' : f.row + 2,
        f.name,
        f.idNumberMasked,
        f.rosterUnit ?? '',
        f.unitName ?? (f.unitId ? unitName(f.unitId) : ''),
      ]);
  for (const p of r.invalid) rows.push(['无效行', p.row === undefined ? '' : p.row + 2, '', '', '', importProblem(p)]);
  return csvBlob(rows);
}

export function ReconcileTab() {
  const { units, name } = useUnits();
  const key = useActionKey();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [result, setResult] = useState<ReconcileResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (f: { name: string; text: string }, unit = unitId) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await reconcile(f.text, unit, key.get()));
      key.done();
    } catch (e) {
      if (e instanceof ApiProblem && e.status > 0 && e.status < 500) key.done();
      setError(
        e instanceof ApiProblem && e.code === 'VALIDATION_FAILED'
          ? '花名册无法读取：须为 CSV 文件（UTF-8 编码），首行为列名 name,idNumber,unit（姓名、公民身份号码、单位名称或 ID）。'
          : problemSentence(e),
      );
    } finally {
      setBusy(false);
    }
  };

  const template = () =>
    saveBlob(
      new Blob(['\uFEFFname,idNumber,unit\r\n张三,11010519491231002X,县财政局\r\n'], {
        type: 'text/csv;charset=utf-8',
      }),
      '核查花名册模板.csv',
    );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title="人册核查：花名册与实名制在编人员比对">
        <Typography.Paragraph>
          上传工资或人事花名册（CSV，UTF-8 编码，首行为列名 <Typography.Text code>name,idNumber,unit</Typography.Text>
          ，单位填名称或 ID），与实名制中的在编人员逐人比对。可只核查一个单位（含所属单位）。每次核查记入审计记录。
        </Typography.Paragraph>
        <Space wrap>
          <Select
            aria-label="核查范围"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="全县"
            style={{ width: 260 }}
            value={unitId}
            onChange={(v?: string) => {
              setUnitId(v);
              setResult(null);
            }}
            options={units.filter((u) => u.status === 'active').map((u) => ({ value: u.id, label: u.name }))}
          />
          <Upload
            accept=".csv,text/csv"
            maxCount={1}
            showUploadList={false}
            beforeUpload={(f) => {
              f.text().then((text) => {
                const picked = { name: f.name, text };
                setFile(picked);
                key.done(); // another file is another check
                run(picked);
              });
              return false;
            }}
          >
            <Button type="primary" loading={busy}>
              选择花名册并核查
            </Button>
          </Upload>
          {file && (
            <Button disabled={busy} onClick={() => run(file)}>
              重新核查
            </Button>
          )}
          <Button onClick={template}>下载花名册模板</Button>
        </Space>
        {file && (
          <Typography.Paragraph style={{ margin: '12px 0 0' }} data-testid="reconcile-file">
            花名册：{file.name}
            {unitId ? `；核查范围：${name(unitId)}及所属单位` : '；核查范围：全县'}
          </Typography.Paragraph>
        )}
      </Card>
      {error && <Alert type="error" showIcon title={error} data-testid="reconcile-error" />}
      {result && <Findings result={result} unitName={name} />}
    </Space>
  );
}

function Findings({ result, unitName }: { result: ReconcileResult; unitName: (id?: string) => string }) {
  const c = result.counts;
  const clean = c.notOnEstablishment + c.notOnRoster + c.unitDiffers + c.invalid === 0;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="reconcile-result">
      <Card
        size="small"
        title={`核查结果（${chinaDateOf(result.at)}）`}
        extra={
          <Button
            size="small"
            data-testid="reconcile-csv"
            onClick={() => saveBlob(findingsCsv(result, unitName), `核查结果 ${chinaDateOf(result.at)}.csv`)}
          >
            下载核查结果 CSV
          </Button>
        }
      >
        <Row gutter={[16, 16]}>
          {(
            [
              ['rosterRows', '花名册人数'],
              ['peopleOn', '实名制在编人数'],
              ['notOnEstablishment', FINDING_LABELS.notOnEstablishment],
              ['notOnRoster', FINDING_LABELS.notOnRoster],
              ['unitDiffers', FINDING_LABELS.unitDiffers],
              ['invalid', '无效行'],
            ] as const
          ).map(([k, title]) => (
            <Col xs={12} sm={8} md={4} key={k} data-testid={`count-${k}`}>
              <Statistic title={title} value={c[k]} />
            </Col>
          ))}
        </Row>
        {clean && (
          <Alert type="success" showIcon style={{ marginTop: 12 }} title="人册一致：花名册与实名制在编人员完全相符。" />
        )}
      </Card>
      {KINDS.filter((k) => result[k].length > 0).map((k) => (
        <Card size="small" key={k} title={`${FINDING_LABELS[k]}（${result[k].length}）`} data-testid={`finding-${k}`}>
          <Typography.Paragraph type="secondary">{FINDING_HINTS[k]}</Typography.Paragraph>
          <Table<ReconcileFinding>
            size="small"
            rowKey={(f) => `${f.row ?? ''}:${f.personId ?? ''}:${f.idNumberMasked}`}
            dataSource={result[k]}
            pagination={result[k].length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            scroll={{ x: true }}
            columns={[
              ...(k === 'notOnRoster'
                ? []
                : [
                    { title: '花名册行号', key: 'row', render: (_: unknown, f: ReconcileFinding) => rosterLine(f.row) },
                  ]),
              {
                title: '姓名',
                key: 'name',
                render: (_: unknown, f: ReconcileFinding) =>
                  f.personId ? <Link to={`/people/${f.personId}`}>{f.name}</Link> : f.name,
              },
              { title: '公民身份号码', dataIndex: 'idNumberMasked' },
              ...(k === 'notOnRoster' ? [] : [{ title: '花名册中的单位', dataIndex: 'rosterUnit' }]),
              ...(k === 'notOnEstablishment'
                ? []
                : [
                    {
                      title: '实名制中的单位',
                      key: 'unit',
                      render: (_: unknown, f: ReconcileFinding) => f.unitName ?? (f.unitId ? unitName(f.unitId) : '—'),
                    },
                  ]),
            ]}
          />
        </Card>
      ))}
      {result.invalid.length > 0 && (
        <Card size="small" title={`无效行（${result.invalid.length}）`} data-testid="finding-invalid">
          <Typography.Paragraph type="secondary">
            这些行的公民身份号码有误，未参加比对，请核对花名册。
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey={(p) => `${p.row}:${p.field}`}
            dataSource={result.invalid}
            pagination={false}
            columns={[
              { title: '花名册行号', key: 'row', render: (_: unknown, p) => rosterLine(p.row) },
              { title: '问题', key: 'problem', render: (_: unknown, p) => importProblem(p) },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
