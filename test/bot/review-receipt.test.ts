import { describe, expect, it } from 'vitest';
import { seededDistrict } from './stats-fixture.js';
import { RECEIPT_LABEL_KEYS, receiptSvg, type ReceiptLabels } from '../../src/reports/receipt.js';
import { receiptData } from '../../src/app/receipt.js';

describe('明白卡 after a submitted visit', () => {
  it('the submitted message offers the receipt; it comes as a PNG with the helper, policies and measures', async () => {
    const d = await seededDistrict();
    const u = d.users.wang;
    await u.press('生成明白卡');
    const photo = u.inbox().filter((m) => m.method === 'sendPhoto').at(-1)!;
    expect(photo.caption).toBe('H0001 李大山 的帮扶明白卡');
    const png = photo.file!.bytes;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);

    // what went on it: the same data rebuilt from the stored card
    const form = d.h.deps.content.forms.get('dynamic_card')!;
    const fields = form.sections.flatMap((s) => s.fields);
    const card = JSON.parse(d.h.db.$client.prepare('SELECT answers FROM cards WHERE id = ?').pluck().get(d.card.c1) as string);
    const data = receiptData(
      card,
      { policies: fields.find((f) => f.id === 'policies'), measures: fields.find((f) => f.id === 'measures') },
      { headName: '李大山', address: '城关镇 · 东沟村' },
      { name: '王小明', unit: '区教育局', phone: '13800000001' },
      '2017-11-10',
    );
    expect(data.policies).toEqual([{ name: '健康扶贫', detail: '慢病签约家庭医生，门诊报销', amountYuan: 800 }]);
    expect(data.measures).toEqual([{ content: '协助办理慢病卡', responsible: '王小明', deadline: '2017-12-31' }]);
    const svg = receiptSvg(data, Object.fromEntries(Object.keys(RECEIPT_LABEL_KEYS).map((k) => [k, k])) as unknown as ReceiptLabels);
    expect(svg).toContain('13800000001'); // the helper's own phone, in full
    expect(svg).toContain('协助办理慢病卡');

    // another helper cannot get it
    await d.users.zhang.pressData(`rc:${d.card.c1}`, u.last());
    expect(d.users.zhang.inbox().filter((m) => m.method === 'sendPhoto')).toHaveLength(0);
  }, 60_000);
});
