import type { ParsedSheet } from '../core/roster/validate.js';

/** The demo district as roster sheets, imported through the same path as an admin's file. */
const places: [string, string, string, string][] = [
  ['T01', '城关镇', 'V0101', '东沟村'],
  ['T01', '城关镇', 'V0102', '西坪村'],
  ['T02', '河口镇', 'V0201', '南湾村'],
  ['T02', '河口镇', 'V0202', '北岭村'],
];
const units: [string, string, string][] = [
  ['U01', '区教育局', 'T01'],
  ['U02', '区卫健局', 'T02'],
  ['U03', '区农业农村局', ''],
];
/** code, name, phone, unit, roles, scope; the first helper is the one a newcomer tries. */
export const DEMO_PEOPLE: [string, string, string, string, string, string][] = [
  ['D001', '王小明', '13800000001', 'U01', '帮扶责任人', ''],
  ['D002', '李红', '13800000002', 'U01', '帮扶责任人', ''],
  ['D003', '张强', '13800000003', 'U02', '帮扶责任人', ''],
  ['D004', '赵培训', '13800000004', 'U01', '培训员', ''],
  ['D005', '孙局长', '13800000005', 'U01', '督导', '单位'],
  ['D006', '周镇长', '13800000006', 'U02', '督导', '镇街:T01'],
  ['D007', '吴主任', '13800000007', 'U03', '督导,管理员', '全区'],
];
/** Code, head, village, category, status, main cause, members, and the head's ID number as the registry holds it. */
const households: [string, string, string, string, string, string, string, string][] = [
  ['H0001', '李大山', 'V0101', '一般贫困户', '未脱贫', '因病', '3', '41052319650302123X'],
  ['H0002', '王秀英', 'V0101', '低保贫困户', '未脱贫', '因残', '2', '41052319580611042X'],
  ['H0003', '陈老汉', 'V0102', '特困供养贫困户', '未脱贫', '缺劳力', '1', '410523194709150513'],
  ['H0004', '刘建国', 'V0102', '一般贫困户', '已脱贫', '因学', '5', '410523197001200611'],
  ['H0005', '杨春花', 'V0201', '一般贫困户', '未脱贫', '缺技术', '3', '410523197508080727'],
  ['H0006', '黄德明', 'V0202', '低保贫困户', '未脱贫', '因病', '3', '410523196204030814'],
];
/**
 * What the registration system holds for each household (the roster's optional registry columns): 识别标准, 识别年度,
 * 脱贫年度, 其他致贫原因, farmland, forest, distance to the main road, housing area, road, power, toilet, fuel,
 * cooperative. Made-up figures of a demo district.
 */
const REGISTRY_KEYS = [
  'identification_standard', 'identified_year', 'exit_year', 'cause_other', 'farmland_mu', 'forest_mu', 'road_km', 'housing_area_m2',
  'road_type', 'household_electricity', 'sanitary_toilet', 'main_fuel', 'cooperative_member',
];
const registry: Record<string, string[]> = {
  H0001: ['国家标准', '2015', '', '缺技术', '3.5', '0', '2', '80', '水泥路', '是', '否', '柴草', '否'],
  H0002: ['国家标准', '2014', '', '', '2', '1', '1.5', '60', '砂石路', '是', '否', '柴草', '否'],
  H0003: ['国家标准', '2014', '', '', '1', '0', '3', '40', '泥土路', '是', '否', '柴草', '否'],
  H0004: ['省定标准', '2015', '2017', '', '5', '2', '1', '120', '水泥路', '是', '是', '煤炭', '是'],
  H0005: ['国家标准', '2016', '', '缺资金', '4', '0', '0.5', '90', '水泥路', '是', '否', '清洁能源', '否'],
  H0006: ['国家标准', '2015', '', '缺劳力', '2.5', '0', '4', '70', '砂石路', '是', '否', '柴草', '否'],
};
/**
 * The registry's members: household, name, relation, ID number, 民族, schooling, education, health, certificate,
 * labour, work, months. H0001's is a year old: 张秀兰 has found work in the township since (the bench's first
 * visit records that change).
 */
const MEMBER_KEYS = ['householdCode', 'name', 'relation', 'id_number', 'ethnicity', 'student_status', 'education', 'health', 'disability_cert', 'labour', 'work_status', 'work_months'];
const members: string[][] = [
  ['H0001', '李大山', '户主', '41052319650302123X', '汉族', '', '小学', '长期慢性病', '', '弱劳动力或半劳动力', '未务工', ''],
  ['H0001', '张秀兰', '配偶', '410523196807150022', '汉族', '', '初中', '健康', '', '普通劳动力', '未务工', ''],
  ['H0001', '李小军', '之子', '410523200506010033', '汉族', '小学', '', '健康', '', '', '', ''],
  ['H0002', '王秀英', '户主', '41052319580611042X', '汉族', '', '文盲或半文盲', '残疾', '是', '丧失劳动力', '未务工', ''],
  ['H0002', '王强', '之子', '410523198409200417', '汉族', '', '初中', '健康', '', '普通劳动力', '省外务工', '10'],
  ['H0003', '陈老汉', '户主', '410523194709150513', '汉族', '', '小学', '长期慢性病', '', '', '未务工', ''],
  ['H0004', '刘建国', '户主', '410523197001200611', '汉族', '', '初中', '健康', '', '普通劳动力', '县外省内务工', '9'],
  ['H0004', '陈桂芝', '配偶', '410523197203050527', '汉族', '', '小学', '健康', '', '普通劳动力', '未务工', ''],
  ['H0004', '刘洋', '之子', '41052320000718061X', '汉族', '高职高专', '', '健康', '', '', '', ''],
  ['H0004', '刘丽', '之女', '410523200304120621', '汉族', '高中', '', '健康', '', '', '', ''],
  ['H0004', '刘博', '之子', '410523200801010634', '汉族', '学前教育', '', '健康', '', '', '', ''],
  ['H0005', '杨春花', '户主', '410523197508080727', '汉族', '', '小学', '健康', '', '普通劳动力', '未务工', ''],
  ['H0005', '王大勇', '配偶', '410523197306100750', '汉族', '', '初中', '健康', '', '普通劳动力', '乡(镇)外县内务工', '6'],
  ['H0005', '王小林', '之子', '410523200110220739', '汉族', '初中', '', '健康', '', '', '', ''],
  ['H0006', '黄德明', '户主', '410523196204030814', '汉族', '', '小学', '患有大病', '', '弱劳动力或半劳动力', '未务工', ''],
  ['H0006', '赵玉兰', '配偶', '410523196409200821', '汉族', '', '小学', '健康', '', '普通劳动力', '未务工', ''],
  ['H0006', '黄海', '之子', '410523198811070833', '汉族', '', '高中', '健康', '', '技能劳动力', '省外务工', '11'],
];
const pairings: [string, string, string][] = [
  ['D001', 'H0001', '2017-03-01'],
  ['D001', 'H0002', '2017-03-01'],
  ['D001', 'H0003', '2017-03-01'],
  ['D002', 'H0004', '2017-03-01'],
  ['D003', 'H0005', '2017-04-01'],
  ['D003', 'H0006', '2017-04-01'],
];

const rows = <T extends string[]>(keys: string[], data: T[]) =>
  data.map((values, i) => ({ row: i + 2, cells: Object.fromEntries(keys.map((k, j) => [k, values[j] ?? ''])) }));

export function demoSheets(): ParsedSheet[] {
  return [
    { kind: 'places', name: '镇街村', rows: rows(['townCode', 'townName', 'villageCode', 'villageName'], places) },
    { kind: 'units', name: '帮扶单位', rows: rows(['unitCode', 'unitName', 'townCode'], units) },
    { kind: 'people', name: '人员', rows: rows(['personCode', 'name', 'phone', 'unitCode', 'roles', 'scope'], DEMO_PEOPLE) },
    {
      kind: 'households',
      name: '贫困户',
      rows: rows(
        ['householdCode', 'headName', 'villageCode', 'attribute', 'status', 'causeMain', 'membersCount', 'headIdNumber', ...REGISTRY_KEYS],
        households.map((h) => [...h, ...(registry[h[0]] ?? [])]),
      ),
    },
    { kind: 'pairings', name: '帮扶关系', rows: rows(['personCode', 'householdCode', 'startDate'], pairings) },
    { kind: 'members', name: '家庭成员', rows: rows(MEMBER_KEYS, members) },
  ];
}
