/**
 * Child of test/unit/xlsx-promotion.test.ts, run as `node --trace-gc-nvp --import tsx <this> <file> <rows>`: streams
 * a wide sheet of numbers, dates and repeated texts, printing `EXPORT START` and `EXPORT END` around it so the parent
 * sums only the scavenges of the export itself (V8 prints one `gc=s … promoted=<bytes>` line per scavenge).
 */
import { writeWorkbook } from '../../src/reports/xlsx.js';

const [file, rowsArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const columns = Array.from({ length: 30 }, (_, c) => ({ header: `列${c + 1}`, key: `c${c}`, numFmt: c % 3 === 2 ? 'yyyy-mm-dd' : undefined }));
const words = ['已落实', '进行中', '未开始', '因病致贫，家庭医生已签约'];
const day0 = Date.UTC(2017, 0, 1);

// no number is made into a string here: whatever is promoted is the writer's
function* sheetRows() {
  for (let i = 0; i < rows; i++) {
    const row: unknown[] = [];
    for (let c = 0; c < columns.length; c++) row.push(c % 3 === 0 ? i * 31 + c : c % 3 === 1 ? words[(i + c) % words.length] : new Date(day0 + (i % 900) * 3_600_000));
    yield row;
  }
}

console.log('EXPORT START');
await writeWorkbook(file, [{ name: 'x', columns, rows: sheetRows() }]);
console.log('EXPORT END');
