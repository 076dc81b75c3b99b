import { Alert, Button, Card, Collapse, Space, Steps, Table, Typography, Upload } from 'antd';
import { api, idempotency, unwrap } from '../../api/client';
import { columnHint, columnLabel, importReport, templateCsv, TEMPLATE_COLUMNS, type ReportLine } from './importReport';
import { saveBlob } from '../../download';
import { type PickedFile, useCheckedImport } from './useCheckedImport';

// 台账导入 (POST /v1/registry/import): a file is first checked whole without writing (?dryRun=true), its report
// shown row by row; only a file that passed is imported, the very same bytes, as one audited action.

interface ImportResult {
  imported: number;
  checked: number;
  dryRun: boolean;
  totals: boolean;
}

const COLUMNS_HELP =
  '类别、规格、经费形式填代码；编制数、实有人数、待入编人数填整数，不用的列留空；领导职数写作“规格:正职数:副职数”，' +
  '多项、多个内设机构或牌子以分号分隔；上级单位填本文件中另一行的行标识（parentRef），或已有单位的 ID（parentId）。';

/** Sends the file as it was read: CSV as text/csv, JSON as it stands (the API parses either). */
function post(file: PickedFile, dryRun: boolean, key?: string) {
  return unwrap<ImportResult>(
    api.POST('/v1/registry/import', {
      params: { query: dryRun ? { dryRun: 'true' } : {}, header: key ? idempotency(key) : {} },
      body: file.text,
      bodySerializer: (b: string) => b,
      headers: { 'Content-Type': file.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json' },
    }),
  );
}

/** The check's report: each row's problem, the column it is in, in words. */
export function ImportReport({ lines, format }: { lines: ReportLine[]; format: 'csv' | 'json' }) {
  return (
    <Table<ReportLine>
      data-testid="import-report"
      size="small"
      rowKey={(l) => `${l.row}|${l.column}|${l.problem}`}
      dataSource={lines}
      pagination={false}
      scroll={{ x: true }}
      columns={[
        {
          title: format === 'csv' ? '行号' : '单位',
          dataIndex: 'row',
          width: 110,
          render: (row: number | null) =>
            row === null ? '整个文件' : format === 'csv' ? `第 ${row} 行` : `第 ${row} 个单位`,
        },
        {
          title: '列',
          dataIndex: 'columnLabel',
          render: (label: string, l) =>
            label === l.column || !l.column ? (
              label
            ) : (
              <>
                {label} <Typography.Text type="secondary">{l.column}</Typography.Text>
              </>
            ),
        },
        { title: '问题', dataIndex: 'problem' },
      ]}
    />
  );
}

export function ImportTab() {
  const { file, outcome, busy, check, pick, confirm, step } = useCheckedImport<ImportResult, ReportLine>({
    send: post,
    report: importReport,
    invalidates: ['units', 'summary'],
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Steps
        size="small"
        current={step}
        items={[{ title: '选择文件' }, { title: '检查（不写入）' }, { title: '确认导入' }, { title: '完成' }]}
      />
      <Card size="small" title="导入已有的机构编制台账">
        <Typography.Paragraph>
          上传单位 CSV（每行一个单位，UTF-8 编码，首行为列名）或 JSON 文件（
          <Typography.Text code>{'{ totals?, units: [...] }'}</Typography.Text>
          ）。文件先整体检查、不写入任何数据，逐行列出问题；检查通过后，再确认导入，全部单位在一次操作中写入并记入审计记录。
        </Typography.Paragraph>
        <Space wrap>
          <Upload
            accept=".csv,.json,text/csv,application/json"
            maxCount={1}
            showUploadList={false}
            beforeUpload={(f) => {
              pick(f);
              return false;
            }}
          >
            <Button type="primary" loading={busy === 'check'}>
              选择文件并检查
            </Button>
          </Upload>
          <Button
            onClick={() => saveBlob(new Blob([templateCsv()], { type: 'text/csv;charset=utf-8' }), '台账导入模板.csv')}
          >
            下载 CSV 模板
          </Button>
          {file && (
            <Button disabled={!!busy} onClick={() => check(file)}>
              重新检查
            </Button>
          )}
        </Space>
        {file && (
          <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }} data-testid="import-file">
            文件：{file.name}（{file.format === 'csv' ? 'CSV' : 'JSON'}）
          </Typography.Paragraph>
        )}
      </Card>

      {outcome?.kind === 'refused' && file && (
        <Card size="small" title="检查结果" data-testid="import-refused">
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={`文件有 ${outcome.lines.length} 处问题，未导入任何数据。请修改后重新选择文件。`}
          />
          <ImportReport lines={outcome.lines} format={file.format} />
        </Card>
      )}
      {outcome?.kind === 'failed' && <Alert type="error" showIcon title={outcome.sentence} />}
      {outcome?.kind === 'checked' && (
        <Card size="small" title="检查结果" data-testid="import-checked">
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            title={`检查通过：共 ${outcome.result.checked} 个单位${outcome.result.totals ? '，并含全县编制总额' : ''}，尚未写入。`}
          />
          <Button type="primary" loading={busy === 'import'} onClick={confirm}>
            确认导入
          </Button>
        </Card>
      )}
      {outcome?.kind === 'imported' && (
        <Alert
          type="success"
          showIcon
          data-testid="import-done"
          title={`已导入 ${outcome.result.imported} 个单位${outcome.result.totals ? '及全县编制总额' : ''}，已记入审计记录。`}
        />
      )}

      <Collapse
        size="small"
        items={[
          {
            key: 'columns',
            label: 'CSV 的列及填写方法',
            children: (
              <>
                <Typography.Paragraph type="secondary">{COLUMNS_HELP}</Typography.Paragraph>
                <Table
                  size="small"
                  pagination={false}
                  rowKey="column"
                  scroll={{ x: true }}
                  dataSource={TEMPLATE_COLUMNS.map((column) => ({
                    column,
                    label: columnLabel(column),
                    hint: columnHint(column),
                  }))}
                  columns={[
                    {
                      title: '列名',
                      dataIndex: 'column',
                      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
                    },
                    { title: '含义', dataIndex: 'label' },
                    { title: '填写', dataIndex: 'hint' },
                  ]}
                />
              </>
            ),
          },
        ]}
      />
    </Space>
  );
}
