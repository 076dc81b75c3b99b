import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuleViolation } from '@bianzhi/domain';
import { documentTitle, issuerFor, renderDocument, RequestDocumentFacts } from '../src';
import { findFonts, forgetCompilers } from '../src/render';
import { chineseDate } from '../src/words';
import { readPdf } from './read-pdf';
import { APPROVAL_FORM, CDC_REPLY, MINUTES, QUOTA_USE_NOTICE, REJECTION } from './samples';

// The documents rendered for real (Typst, the installed Noto CJK) and read back with unpdf.

async function pages(pdf: Uint8Array): Promise<string[]> {
  return readPdf(pdf).pages;
}

/** The text as a reader sees it: without the breaks of lines and pages and the zero-width break hints. */
async function textOf(pdf: Uint8Array): Promise<string> {
  return (await pages(pdf)).join('').replace(/[\s\u200b]/g, '');
}

describe('renderDocument', () => {
  it('renders the 批复 of the seed-002 CDC case with its number, 主送, the units and the count', async () => {
    const doc = await renderDocument(CDC_REPLY);
    expect(Buffer.from(doc.pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = await textOf(doc.pdf);
    expect(text).toContain('枫渚县机构编制委员会文件');
    expect(text).toContain('枫编〔2026〕12号');
    expect(text).toContain('县卫生健康局：');
    expect(text).toContain('疾病预防控制中心');
    expect(text).toContain('事业编制5名');
    expect(text).toContain(
      '你单位《关于将县住房保障服务中心5名事业编制划转县疾病预防控制中心的请示》（枫卫健〔2026〕5号）收悉。',
    );
    expect(text).toContain('经枫渚县机构编制委员会研究，同意将县住房保障服务中心事业编制5名划转至县疾病预防控制中心。');
    expect(text).toContain('县疾病预防控制中心事业编制由30名调整为35名');
    expect(text).toContain('此复。');
    expect(text).toContain('二〇二六年十二月一日');
    expect(text).toContain('抄送：县委组织部，县财政局');
    expect(text).toContain('中共枫渚县委机构编制委员会办公室2026年12月1日印发');
    expect(text).toContain('—1—');
    expect(doc.title).toBe('关于同意将县住房保障服务中心5名事业编制划转县疾病预防控制中心的批复');
    expect(text).toContain(doc.title);
    expect(doc.sha256).toBe(createHash('sha256').update(doc.pdf).digest('hex'));
  });

  it('leaves out the parenthesis without a 来文号 and names the higher authority when it approved', async () => {
    const facts: RequestDocumentFacts = {
      ...CDC_REPLY,
      request: { ...CDC_REPLY.request, referenceNumber: null },
      higherDecision: { approved: true, documentNumber: '市编〔2026〕31号', comment: '同意' },
    };
    const text = await textOf((await renderDocument(facts)).pdf);
    expect(text).toContain('划转县疾病预防控制中心的请示》收悉。');
    expect(text).toContain('并报经上级机构编制部门批准（市编〔2026〕31号），同意');
  });

  it('writes PDF/A-2b with the issue date as its dates, and the same facts give the same bytes', async () => {
    const a = await renderDocument(CDC_REPLY);
    const b = await renderDocument(structuredClone(CDC_REPLY));
    expect(Buffer.from(a.pdf).equals(Buffer.from(b.pdf))).toBe(true);
    expect(a.sha256).toBe(b.sha256);
    const raw = Buffer.from(a.pdf).toString('latin1');
    expect(raw).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(raw).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(raw).toContain('/CreationDate (D:20261201');
    forgetCompilers();
    const fresh = await renderDocument(CDC_REPLY);
    expect(fresh.sha256).toBe(a.sha256);
    const other = await renderDocument({ ...CDC_REPLY, documentNumber: '枫编〔2026〕14号' });
    expect(other.sha256).not.toBe(a.sha256);
  });

  it('names the reason of a rejection, each rule in words', async () => {
    const doc = await renderDocument(REJECTION);
    const text = await textOf(doc.pdf);
    expect(doc.title).toBe('关于不予批准县人民医院使用事业编制的通知');
    expect(text).toContain('县人民医院：');
    expect(text).toContain('不予实施');
    expect(text).toContain('理由：实施时复核不符合规定。');
    expect(text).toContain('县人民医院事业编制已满编，不得再增加使用');
    const two = await renderDocument({
      ...REJECTION,
      rejection: {
        stage: 'implementing',
        reason: '',
        rules: [
          { rule: 'QUOTA_INSUFFICIENT', message: '', unitId: 'elsewhere', category: 'ADMIN', approved: 4 },
          { rule: 'SOME_NEWER_RULE', message: 'a newer rule' } as unknown as RuleViolation,
        ],
      },
    });
    const twoText = await textOf(two.pdf);
    expect(twoText).toContain('不符合的规定如下：一、有关单位空余行政编制不足，调整后将少于在编人数（现核定4名）。');
    expect(twoText).toContain('二、不符合规定（anewerrule）。');
    expect(text).toContain('特此通知。');
  });

  it('tells a refusal by vote, by the office and by the higher authority apart', async () => {
    const byVote = await textOf(
      (await renderDocument({ ...REJECTION, rejection: { stage: 'committee', reason: '' } })).pdf,
    );
    expect(byVote).toContain('经枫渚县机构编制委员会审议表决，该事项未获通过。');
    const byOffice = await textOf(
      (
        await renderDocument({
          ...REJECTION,
          issuer: issuerFor('REJECTION_NOTICE', '枫渚县', 'OFFICE'),
          decidedBy: 'OFFICE',
          rejection: { stage: 'office_decision', reason: '该单位年内已使用编制' },
        })
      ).pdf,
    );
    expect(byOffice).toContain('中共枫渚县委机构编制委员会办公室文件');
    expect(byOffice).toContain('经研究，不同意该事项。理由：该单位年内已使用编制。');
    const byHigher = await textOf(
      (
        await renderDocument({
          ...REJECTION,
          rejection: { stage: 'awaiting_higher_approval', reason: '上级不予批准' },
          higherDecision: { approved: false, documentNumber: '市编〔2026〕40号', comment: '不符合机构限额' },
        })
      ).pdf,
    );
    expect(byHigher).toContain('上级机构编制部门不予批准（市编〔2026〕40号）。上级意见：不符合机构限额');
  });

  it("words the office's own reply as the office's, and refuses a kind it does not know", async () => {
    const facts: RequestDocumentFacts = {
      ...CDC_REPLY,
      issuer: issuerFor('APPROVAL_REPLY', '枫渚县', 'OFFICE'),
      decidedBy: 'OFFICE',
      documentNumber: '枫编办〔2026〕7号',
    };
    const text = await textOf((await renderDocument(facts)).pdf);
    expect(text).toContain('中共枫渚县委机构编制委员会办公室文件');
    expect(text).toContain('经研究，同意将县住房保障服务中心事业编制5名划转至县疾病预防控制中心。');
    expect(text).not.toContain('经枫渚县机构编制委员会研究');
    await expect(renderDocument({ ...CDC_REPLY, kind: 'MEMO' } as unknown as RequestDocumentFacts)).rejects.toThrow(
      /no such kind/,
    );
  });

  it('gives the office a 编制使用通知 with the count and the time to use it', async () => {
    const doc = await renderDocument(QUOTA_USE_NOTICE);
    const text = await textOf(doc.pdf);
    expect(text).toContain('中共枫渚县委机构编制委员会办公室文件');
    expect(text).toContain('枫编用〔2026〕3号');
    expect(text).toContain('经研究，同意县疾病预防控制中心使用事业编制空编3名。');
    expect(text).toContain('核准后，县疾病预防控制中心事业编制待入编3名。');
    expect(text).toContain('请自本通知印发之日起6个月内');
    expect(text).toContain('及时办理入编手续');
  });

  it('lists the items, attendance, recusals and results of a meeting in its minutes', async () => {
    const doc = await renderDocument(MINUTES);
    const text = await textOf(doc.pdf);
    expect(text).toContain('枫渚县机构编制委员会会议纪要');
    expect(text).toContain('枫编委纪〔2026〕2号');
    expect(doc.title).toBe('县机构编制委员会2026年第二次会议纪要');
    expect(text).toContain('审议了3项议题');
    expect(text).toContain('一、关于将县住房保障服务中心5名事业编制划转县疾病预防控制中心的请示（县卫生健康局）');
    expect(text).toContain('陈刚回避表决。应参加表决4人，赞成4票，反对0票，弃权0票。该议题审议通过。');
    expect(text).toContain('该议题未获通过。');
    expect(text).toContain('该议题未达法定人数，退回重新论证。');
    expect(text).toContain('出席：张明（县委副书记），李华（县委组织部部长）');
    expect(text).toContain('缺席：陈刚（县卫生健康局局长）');
  });

  it('prints a 审批表 with the request and every step, names and dates', async () => {
    const doc = await renderDocument(APPROVAL_FORM);
    const text = await textOf(doc.pdf);
    expect(doc.title).toBe('机构编制事项审批表');
    expect(text).toContain('机构编制事项审批表');
    expect(text).toContain('编制划转');
    expect(text).toContain('枫卫健〔2026〕5号');
    expect(text).toContain('为加强基层疾病预防控制体系建设');
    expect(text).toContain('审核通过，提请审议');
    expect(text).toContain('周静');
    expect(text).toContain('2026年11月10日11:00');
    expect(text).toContain('符合规定，提请编委会审议');
    expect(text).not.toContain('枫编〔2026〕12号收悉');
  });

  it('prints hostile text as text: markup, quotes, 〔〕, very long names and 20,000 characters', async () => {
    const markup = '#set page(fill: red) *粗* _斜_ $x^2$ [链接] <label> @ref `code` \\ " \' #{ panic("x") }';
    const longName = '县'.padEnd(120, '某某服务保障中心') + '中心';
    const justification = ('基层医疗卫生服务能力提升需要专业技术人员。' + 'abcdefghij'.repeat(3) + '\n').repeat(600);
    const facts: RequestDocumentFacts = {
      ...CDC_REPLY,
      kind: 'APPROVAL_FORM',
      documentNumber: null,
      request: {
        ...CDC_REPLY.request,
        title: `关于“${markup}”〔2026〕的请示`,
        unitName: longName,
        justification: justification.slice(0, 20_000),
        referenceNumber: '#〔2026〕"5"号',
      },
      unitNames: { ...CDC_REPLY.unitNames, cdc: longName },
      procedure: [
        {
          action: 'submitted',
          actor: markup,
          role: 'clerk',
          at: '2026-11-02T01:30:00.000Z',
          comment: 'x'.repeat(3000),
        },
      ],
    };
    expect(justification.length).toBeGreaterThanOrEqual(20_000);
    const form = await renderDocument(facts);
    const formPages = await pages(form.pdf);
    expect(formPages.length).toBeGreaterThan(5);
    const text = formPages.join('').replace(/[\s\u200b]/g, '');
    const squeeze = (s: string) => s.replace(/\s/g, '');
    expect(text).toContain(squeeze(markup));
    expect(text).toContain(squeeze(longName));
    expect(text).toContain('〔2026〕的请示');
    const sentence = /基层医疗卫生服务能力提升需要专业技术人员/g;
    const given = (facts.request.justification.match(sentence) ?? []).length;
    expect(given).toBeGreaterThan(350);
    expect((text.match(sentence) ?? []).length).toBe(given);

    const reply = await renderDocument({ ...facts, kind: 'APPROVAL_REPLY', documentNumber: '枫编〔2026〕15号' });
    const replyText = await textOf(reply.pdf);
    expect(reply.title).toBe(`关于同意“${markup}”〔2026〕的批复`);
    expect(replyText).toContain(squeeze(`${longName}：`));
    expect(replyText).toContain(squeeze(markup));
  });

  it('keeps every page of a long document within the A4 page', async () => {
    const doc = await renderDocument({
      ...CDC_REPLY,
      request: { ...CDC_REPLY.request, title: `关于${'很长的标题'.repeat(60)}的请示` },
      copyTo: Array.from({ length: 40 }, (_, i) => `县第${i + 1}单位`),
    });
    const { sizes } = readPdf(doc.pdf);
    expect(sizes.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toEqual([595, 842]);
    const text = await textOf(doc.pdf);
    expect(text).toContain('—2—');
    expect(text).toContain('县第40单位');
  });
});

describe('the layout (GB/T 9704-2012)', () => {
  it('sets the body on a grid of 22 lines of 28 characters in the 版心, the page number 7 mm under it', async () => {
    const reason = '编制资源紧张。'.repeat(300);
    const doc = await renderDocument({ ...REJECTION, rejection: { stage: 'committee', reason } });
    const { lines, sizes } = readPdf(doc.pdf);
    expect(sizes.length).toBeGreaterThan(3);
    const full = lines[1]; // the second page: body only
    const body = full.slice(0, -1);
    const number = full[full.length - 1];
    expect(number.text.replace(/\s/g, '')).toBe('—2—');
    expect(body).toHaveLength(22);
    for (const line of body) expect(line.text.replace(/\s/g, '')).toHaveLength(28);
    const mm = 72 / 25.4;
    const pitch = (body[0].y - body[21].y) / 21;
    expect(pitch).toBeCloseTo((225 / 22) * mm, 0);
    // The first line's baseline one 3号 character under the 版心's top edge (top margin 37 mm).
    expect(842 - 37 * mm - body[0].y).toBeCloseTo(16, 0);
    // The last line's baseline inside the 版心, whose bottom edge is 35 mm above the page's.
    expect(body[21].y).toBeGreaterThanOrEqual(Math.floor(35 * mm));
    // The page number's top 7 mm under the 版心 (its 4号 digits' baseline about 14 pt lower).
    expect(number.y).toBeLessThanOrEqual((35 - 7) * mm - 10);
    expect(number.y).toBeGreaterThanOrEqual((35 - 7) * mm - 16);
    // The signature is not left alone: the closing sentence goes with it.
    const last = lines[lines.length - 1].map((l) => l.text.replace(/\s/g, ''));
    expect(last.slice(0, 3)).toEqual(['特此通知。', '枫渚县机构编制委员会', '二〇二六年十二月一日']);
    expect(last).toContain('抄送：县卫生健康局');
  });
});

describe('fonts', () => {
  it("uses an office's font folder first and Noto CJK after it; an empty folder changes nothing", async () => {
    const empty = mkdtempSync(join(tmpdir(), 'fonts-'));
    const withEmpty = await renderDocument(CDC_REPLY, { fontDirs: [empty, '/nonexistent'] });
    expect(withEmpty.sha256).toBe((await renderDocument(CDC_REPLY)).sha256);
    expect(findFonts([empty]).dirs).toEqual([]);
    expect(withEmpty.fonts).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fingerprints the fonts, so that a verifier tells other fonts from a changed document', async () => {
    const office = mkdtempSync(join(tmpdir(), 'fonts-'));
    const { noto } = findFonts();
    mkdirSync(join(office, 'fangzheng'));
    symlinkSync(noto[noto.length - 1], join(office, 'fangzheng', 'office-font.ttc'));
    const plain = await renderDocument(CDC_REPLY);
    const withOffice = await renderDocument(CDC_REPLY, { fontDirs: [office] });
    expect(findFonts([office]).dirs).toEqual([office]);
    expect(withOffice.fonts).not.toBe(plain.fonts);
    expect(await textOf(withOffice.pdf)).toContain('事业编制5名');
  });

  it('says what to install when no CJK font is found', () => {
    const empty = mkdtempSync(join(tmpdir(), 'fonts-'));
    expect(() => findFonts([empty], [empty])).toThrow(/fonts-noto-cjk/);
  });
});

describe('issuerFor and the words', () => {
  it('gives the committee its replies and minutes, the office its notices and decisions', () => {
    expect(issuerFor('APPROVAL_REPLY', '枫渚县', 'COMMITTEE').header).toBe('枫渚县机构编制委员会文件');
    expect(issuerFor('APPROVAL_REPLY', '枫渚县', 'OFFICE').name).toBe('中共枫渚县委机构编制委员会办公室');
    expect(issuerFor('QUOTA_USE_NOTICE', '枫渚县', 'COMMITTEE').name).toBe('中共枫渚县委机构编制委员会办公室');
    expect(issuerFor('MINUTES', '枫渚县').header).toBe('枫渚县机构编制委员会会议纪要');
    expect(issuerFor('REJECTION_NOTICE', '枫渚县', 'COMMITTEE').name).toBe('枫渚县机构编制委员会');
  });

  it('writes dates in Chinese numerals in China Standard Time', () => {
    expect(chineseDate('2026-12-01T02:00:00Z')).toBe('二〇二六年十二月一日');
    expect(chineseDate('2026-11-30T16:30:00Z')).toBe('二〇二六年十二月一日');
    expect(chineseDate('2027-10-20T00:00:00Z')).toBe('二〇二七年十月二十日');
    expect(chineseDate('2030-01-31T00:00:00Z')).toBe('二〇三〇年一月三十一日');
  });

  it('titles a request whose title is not 关于…的请示 from its change', () => {
    expect(documentTitle({ ...CDC_REPLY, request: { ...CDC_REPLY.request, title: '申请编制' } })).toBe(
      '关于同意为县疾病预防控制中心划转编制的批复',
    );
  });
});
