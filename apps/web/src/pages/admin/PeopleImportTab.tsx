import { Alert, Button, Card, Space, Steps, Table, Typography, Upload } from 'antd';
import { saveBlob } from '../../download';
import { useUnits } from '../../units';
import { csvBlob } from '../numbers/sheet';
import { importPeople, type PeopleImportResult } from '../people/data';
import { importLines, peopleTemplateCsv, type ImportLine } from '../people/model';
import { useCheckedImport } from './useCheckedImport';

// 人员导入 (POST /v1/people/import): the people on establishment now, for units loaded with counts only (未实名).
// A file is first checked whole without writing (?dryRun=true), every problem shown by row in words; only a file
// that passed is imported, the very same bytes, as one audited action.

export function PeopleImportTab() {
  const { units } = useUnits();
  const { file, outcome, busy, check, pick, confirm, step } = useCheckedImport<PeopleImportResult, ImportLine>({
    send: importPeople,
    report: importLines,
    invalidates: ['people', 'units'],
  });

  const unitList = () =>
    saveBlob(
      csvBlob([['unitId', '单位名称'], ...units.filter((u) => u.status === 'active').map((u) => [u.id, u.name])]),
      '单位 ID 对照表.csv',
    );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Steps
        size="small"
        current={step}
        items={[{ title: '选择文件' }, { title: '检查（不写入）' }, { title: '确认导入' }, { title: '完成' }]}
      />
      <Card size="small" title="导入实名制在编人员">
        <Typography.Paragraph>
          为台账中只有实有人数、尚未实名的单位录入在编人员。上传 CSV（UTF-8 编码，首行为列名{' '}
          <Typography.Text code>name,idNumber,unitId,category</Typography.Text>
          ，即姓名、公民身份号码、单位 ID、编制类别代码）或 JSON 文件（
          <Typography.Text code>{'{ people: [...] }'}</Typography.Text>
          ）。文件先整体检查、不写入任何数据，逐行列出问题（公民身份号码校验码、同一人重复、单位超编等）；检查通过后再确认导入，全部人员在一次操作中写入并记入审计记录。
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
            onClick={() =>
              saveBlob(new Blob([peopleTemplateCsv()], { type: 'text/csv;charset=utf-8' }), '人员导入模板.csv')
            }
          >
            下载 CSV 模板
          </Button>
          <Button onClick={unitList}>下载单位 ID 对照表</Button>
          {file && (
            <Button disabled={!!busy} onClick={() => check(file)}>
              重新检查
            </Button>
          )}
        </Space>
        {file && (
          <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }} data-testid="people-import-file">
            文件：{file.name}（{file.format === 'csv' ? 'CSV' : 'JSON'}）
          </Typography.Paragraph>
        )}
      </Card>

      {outcome?.kind === 'refused' && file && (
        <Card size="small" title="检查结果" data-testid="people-import-refused">
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={`文件有 ${outcome.lines.length} 处问题，未导入任何人员。请修改后重新选择文件。`}
          />
          <Table<ImportLine>
            data-testid="people-import-report"
            size="small"
            rowKey={(l) => `${l.row}|${l.column}|${l.problem}`}
            dataSource={outcome.lines}
            pagination={outcome.lines.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: true }}
            columns={[
              {
                title: file.format === 'csv' ? '行号' : '人员',
                dataIndex: 'row',
                width: 110,
                render: (row: number | null) =>
                  row === null ? '整个文件' : file.format === 'csv' ? `第 ${row} 行` : `第 ${row} 人`,
              },
              { title: '列', dataIndex: 'column', width: 140 },
              { title: '问题', dataIndex: 'problem' },
            ]}
          />
        </Card>
      )}
      {outcome?.kind === 'failed' && <Alert type="error" showIcon title={outcome.sentence} />}
      {outcome?.kind === 'checked' && (
        <Card size="small" title="检查结果" data-testid="people-import-checked">
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            title={`检查通过：共 ${outcome.result.checked} 人，尚未写入。`}
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
          data-testid="people-import-done"
          title={`已导入 ${outcome.result.imported} 人，已记入审计记录。`}
        />
      )}
    </Space>
  );
}
