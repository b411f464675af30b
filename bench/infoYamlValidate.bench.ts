// What live info.yaml validation costs per keystroke burst (it runs 300 ms after typing stops),
// against the floor of any schema check: js-yaml (the design card's parser, no source positions)
// plus Ajv on the same schema, with no ranges, messages or fixes. And a form edit (parse +
// minimal text edit) against the yaml library's own comment-keeping route (Document.setIn +
// toString, which reprints the whole file).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import jsYaml from 'js-yaml';
import { parseDocument } from 'yaml';
import { applyEdits, INFO_YAML_SCHEMA, parseInfoYaml, setScalar, validateInfoYaml } from '../src/core/infoYaml';
import { row, timeMedian } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 51);

function peerValidator(): (text: string) => boolean {
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email']);
  ajv.addVocabulary(['errorMessage', 'patternErrorMessage', 'x-title-ja', 'x-description-en', 'x-description-ja']);
  const validate = ajv.compile(INFO_YAML_SCHEMA);
  return (text) => validate(jsYaml.load(text, { schema: jsYaml.JSON_SCHEMA }));
}

async function main(): Promise<void> {
  const example = readFileSync(path.join(__dirname, '../test/fixtures/infoYaml/official-example.yaml'), 'utf8');
  const big = `${example}AdditionalInfo: |\n${'  A line of Markdown describing the model in some detail, repeated.\n'.repeat(1500)}`;
  const broken = example.replace('Keywords:\n', 'Keyword:\n').replace('Version: "1.1b"', 'Version: 1.1').replace('DateCreated: 2020-04-18', 'DateCreated: 2020/04/18');
  const peer = peerValidator();
  const widths = [58, 12, 12, 8];
  const out = [row(['work', 'MLWF (ms)', 'peer (ms)', 'ratio'], widths)];
  const compare = async (label: string, ours: () => unknown, theirs: () => unknown): Promise<void> => {
    const a = await timeMedian(RUNS, async () => ours());
    const b = await timeMedian(RUNS, async () => theirs());
    out.push(row([label, a.medianMs, b.medianMs, `${(a.medianMs / b.medianMs).toFixed(2)}×`], widths));
  };
  await compare(`validate the official example (${example.length} B) vs js-yaml+Ajv`, () => validateInfoYaml(example), () => peer(example));
  await compare('validate it with 4 problems (ranges, fixes) vs js-yaml+Ajv', () => validateInfoYaml(broken), () => peer(broken));
  await compare(`validate a ${(big.length / 1024).toFixed(0)} KiB file vs js-yaml+Ajv`, () => validateInfoYaml(big), () => peer(big));
  await compare(
    'form edit of Name (parse + edit + apply) vs yaml setIn+toString',
    () => applyEdits(example, setScalar(parseInfoYaml(example), ['Name'], 'A new name')),
    () => {
      const doc = parseDocument(example, { version: '1.1' });
      doc.setIn(['Name'], 'A new name');
      return doc.toString();
    },
  );
  console.log(`median of ${RUNS} runs after 5 warm-up rounds, Node ${process.version}`);
  console.log(out.join('\n'));
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
