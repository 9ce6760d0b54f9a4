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
      rows: rows(['householdCode', 'headName', 'villageCode', 'attribute', 'status', 'causeMain', 'membersCount', 'headIdNumber'], households),
    },
    { kind: 'pairings', name: '帮扶关系', rows: rows(['personCode', 'householdCode', 'startDate'], pairings) },
  ];
}
