/**
 * The roster workbook: one sheet per kind, Chinese headers first (English accepted too).
 * A CSV file holds one sheet; its kind is recognised from its headers.
 */
export type SheetKind = 'places' | 'units' | 'people' | 'households' | 'pairings';

export interface ColumnDef {
  key: string;
  zh: string;
  en: string;
  required: boolean;
  example: string;
}

export interface SheetDef {
  kind: SheetKind;
  zh: string;
  en: string;
  columns: ColumnDef[];
}

const col = (key: string, zh: string, en: string, required: boolean, example: string): ColumnDef => ({
  key,
  zh,
  en,
  required,
  example,
});

export const ROSTER_SHEETS: SheetDef[] = [
  {
    kind: 'places',
    zh: '镇街村',
    en: 'Towns and villages',
    columns: [
      col('townCode', '镇街编码', 'Town code', true, 'T01'),
      col('townName', '镇街名称', 'Town name', true, '城关镇'),
      col('villageCode', '村编码', 'Village code', true, 'V0101'),
      col('villageName', '村名称', 'Village name', true, '东沟村'),
    ],
  },
  {
    kind: 'units',
    zh: '帮扶单位',
    en: 'Units',
    columns: [
      col('unitCode', '单位编码', 'Unit code', true, 'U01'),
      col('unitName', '单位名称', 'Unit name', true, '区教育局'),
      col('townCode', '所属镇街编码', 'Town code', false, ''),
    ],
  },
  {
    kind: 'people',
    zh: '人员',
    en: 'People',
    columns: [
      col('personCode', '人员编号', 'Person code', true, 'P001'),
      col('name', '姓名', 'Name', true, '王小明'),
      col('phone', '手机号', 'Phone', true, '13800138000'),
      col('unitCode', '单位编码', 'Unit code', false, 'U01'),
      col('roles', '角色', 'Roles', true, '帮扶责任人'),
      col('scope', '督导范围', 'Supervision scope', false, ''),
    ],
  },
  {
    kind: 'households',
    zh: '贫困户',
    en: 'Households',
    columns: [
      col('householdCode', '户编号', 'Household code', true, 'H0001'),
      col('headName', '户主姓名', 'Head of household', true, '李大山'),
      col('headIdNumber', '户主身份证号', 'Head ID number', false, ''),
      col('villageCode', '村编码', 'Village code', true, 'V0101'),
      col('attribute', '贫困户属性', 'Household attribute', true, '一般贫困户'),
      col('status', '脱贫属性', 'Poverty status', true, '未脱贫'),
      col('causeMain', '主要致贫原因', 'Main cause of poverty', true, '因病'),
      col('membersCount', '家庭人口', 'Household members', false, '3'),
      col('lat', '纬度', 'Latitude', false, ''),
      col('lon', '经度', 'Longitude', false, ''),
    ],
  },
  {
    kind: 'pairings',
    zh: '帮扶关系',
    en: 'Pairings',
    columns: [
      col('personCode', '人员编号', 'Person code', true, 'P001'),
      col('householdCode', '户编号', 'Household code', true, 'H0001'),
      col('startDate', '开始日期', 'Start date', true, '2017-03-01'),
    ],
  },
];

/** Option lists of the national registry, as the card uses them (sources S9, S24 in docs/content-sources.md). */
export const HOUSEHOLD_ATTRIBUTES = ['一般贫困户', '低保贫困户', '特困供养贫困户'] as const;
export const HOUSEHOLD_ATTRIBUTE_ALIASES: Record<string, string> = { '五保贫困户': '特困供养贫困户', '特困供养(五保)贫困户': '特困供养贫困户' };
export const POVERTY_STATUSES = ['未脱贫', '已脱贫', '返贫', '脱贫享受政策'] as const;
export const POVERTY_CAUSES = [
  '因病', '因残', '因学', '因灾', '缺土地', '缺水', '缺技术', '缺劳力', '缺资金', '交通条件落后', '自身发展动力不足', '其他',
] as const;

/** Role names as written in the sheet. */
export const ROLE_NAMES: Record<string, 'helper' | 'trainer' | 'supervisor' | 'admin'> = {
  帮扶责任人: 'helper',
  helper: 'helper',
  培训员: 'trainer',
  trainer: 'trainer',
  督导: 'supervisor',
  supervisor: 'supervisor',
  管理员: 'admin',
  admin: 'admin',
};
