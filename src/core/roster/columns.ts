/**
 * The roster workbook: one sheet per kind, Chinese headers first (English accepted too).
 * A CSV file holds one sheet; its kind is recognised from its headers.
 */
export type SheetKind = 'places' | 'units' | 'people' | 'households' | 'pairings' | 'members';

export interface ColumnDef {
  key: string;
  zh: string;
  en: string;
  required: boolean;
  example: string;
  /** a fact of the registration system, named by the card field it fills (checked as the card checks it) */
  registry?: true;
}

export interface SheetDef {
  kind: SheetKind;
  zh: string;
  en: string;
  columns: ColumnDef[];
}

/** A registry fact's column: optional, keyed by the card field id it fills. */
const reg = (field: string, zh: string, en: string, example: string): ColumnDef => ({ key: field, zh, en, required: false, example, registry: true });

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
      // what the registration system holds for the household (optional): its first card confirms them
      reg('identification_standard', '识别标准', 'Identification standard', '国家标准'),
      reg('identified_year', '识别年度', 'Year identified', '2015'),
      reg('exit_year', '脱贫年度', 'Year exited', ''),
      reg('cause_other', '其他致贫原因', 'Other causes of poverty', '缺技术'),
      reg('farmland_mu', '耕地面积（亩）', 'Farmland (mu)', '3.5'),
      reg('forest_mu', '林地面积（亩）', 'Forest land (mu)', '0'),
      reg('road_km', '距村主干路距离（公里）', 'Distance to the village main road (km)', '2'),
      reg('housing_area_m2', '住房面积（平方米）', 'Housing area (m²)', '80'),
      reg('road_type', '入户路类型', 'Road to the house', '水泥路'),
      reg('household_electricity', '通生活用电', 'Household electricity', '是'),
      reg('sanitary_toilet', '有卫生厕所', 'Sanitary toilet', '否'),
      reg('main_fuel', '主要燃料类型', 'Main cooking fuel', '柴草'),
      reg('cooperative_member', '加入农民专业合作社', "Member of a farmers' cooperative", '否'),
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
  {
    // the registration system's members (optional sheet): one row per member, the head (户主) among them
    kind: 'members',
    zh: '家庭成员',
    en: 'Members',
    columns: [
      col('householdCode', '户编号', 'Household code', true, 'H0001'),
      { ...reg('name', '姓名', 'Name', '李大山'), required: true },
      { ...reg('relation', '与户主关系', 'Relation to the head', '户主'), required: true },
      reg('id_number', '身份证号', 'ID number', ''),
      reg('ethnicity', '民族', 'Ethnic group', '汉族'),
      reg('student_status', '在校生状况', 'Schooling', ''),
      reg('education', '文化程度', 'Education level', '小学'),
      reg('health', '健康状况', 'Health', '健康'),
      reg('disability_cert', '是否持有残疾证', 'Has a disability certificate', ''),
      reg('labour', '劳动技能', 'Ability to work', '普通劳动力'),
      reg('work_status', '务工状况', 'Work', '未务工'),
      reg('work_months', '务工时间（月）', 'Months worked', ''),
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
