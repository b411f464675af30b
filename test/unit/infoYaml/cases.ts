// Invalid info.yaml documents and the diagnostics each must produce (code @ range, ranges as
// line:character-line:character, zero-based like VS Code). Shared by the validation and the
// quick-fix tests. VALID is a complete document; most cases change one thing in it.

export const VALID = `# Model for ABCI Datasets
Name: Wine quality ElasticNet
Description: An ElasticNet regression model trained on the UCI wine quality data set with MLflow.
Keywords:
  - mlflow
  - regression
Creator:
  Name: ABC Team
  ContactPoint:
    Email: team@example.com
License:
  Name: MIT License
`;

/** VALID with whole lines (given by their exact text) replaced, or removed (replacement undefined). */
export function variant(lines: string, replacement: string | undefined): string {
  const at = VALID.indexOf(`${lines}\n`);
  if (at === -1 || (at > 0 && VALID[at - 1] !== '\n')) throw new Error(`no lines ${lines}`);
  return VALID.slice(0, at) + (replacement === undefined ? '' : `${replacement}\n`) + VALID.slice(at + lines.length + 1);
}

export interface InvalidCase {
  readonly name: string;
  readonly text: string;
  /** `code@l:c-l:c`, in source order. */
  readonly expected: readonly string[];
  /** Codes of the diagnostics whose quick fix the fix tests apply. */
  readonly fixes?: readonly string[];
}

const billionLaughs = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n') + '\n';

export const INVALID_CASES: readonly InvalidCase[] = [
  { name: 'empty file', text: '', expected: ['empty-document@0:0-0:0'] },
  { name: 'only comments', text: '# nothing yet\n', expected: ['empty-document@0:0-0:13'] },
  { name: 'top-level list', text: '- Name: x\n- Description: y\n', expected: ['not-a-mapping@0:0-1:16'] },
  { name: 'top-level scalar', text: 'just some words\n', expected: ['not-a-mapping@0:0-0:15'] },
  { name: 'tab indentation', text: variant('  - mlflow', '\t- mlflow'), expected: ['tab-indent@4:0-4:1'] },
  { name: 'duplicate key', text: variant('License:', 'Name: Again\nLicense:'), expected: ['duplicate-key@10:0-10:4'] },
  { name: 'binary garbage', text: '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR', expected: ['not-text@1:0-1:1'] },
  { name: 'a 5 MB file', text: VALID + `AdditionalInfo: |\n${'  a line of text that repeats to make the file large\n'.repeat(100_000)}`, expected: ['too-large@0:0-0:25'] },
  { name: 'unterminated quote', text: variant('Name: Wine quality ElasticNet', 'Name: "Wine quality ElasticNet'), expected: ['unterminated-quote@1:6-1:30'] },
  { name: 'alias to an unknown anchor', text: variant('  Name: ABC Team', '  Name: *team'), expected: ['unknown-alias@7:8-7:13'] },
  { name: 'aliases that expand a billion times', text: billionLaughs, expected: ['alias-overflow@1:13-1:15'] },
  { name: 'multiple documents', text: VALID + '---\nName: second\n', expected: ['yaml-syntax@12:0-13:12'] },
  { name: 'missing Name', text: variant('Name: Wine quality ElasticNet', undefined), expected: ['missing-required@1:0-1:11'], fixes: ['missing-required'] },
  { name: 'missing Description', text: variant('Description: An ElasticNet regression model trained on the UCI wine quality data set with MLflow.', undefined), expected: ['missing-required@1:0-1:4'], fixes: ['missing-required'] },
  { name: 'Description of 50 characters', text: variant('Description: An ElasticNet regression model trained on the UCI wine quality data set with MLflow.', `Description: ${'x'.repeat(50)}`), expected: ['description-too-short@2:13-2:63'] },
  { name: 'empty Name', text: variant('Name: Wine quality ElasticNet', 'Name:'), expected: ['empty-value@1:5-1:5'], fixes: ['empty-value'] },
  { name: 'empty quoted Name', text: variant('Name: Wine quality ElasticNet', 'Name: ""'), expected: ['empty-value@1:6-1:8'] },
  { name: 'Name read as a boolean', text: variant('Name: Wine quality ElasticNet', 'Name: yes'), expected: ['wrong-type@1:6-1:9'], fixes: ['wrong-type'] },
  { name: 'Keywords as a scalar', text: variant('Keywords:\n  - mlflow\n  - regression', 'Keywords: mlflow, regression  # two keywords'), expected: ['not-a-list@3:10-3:28'], fixes: ['not-a-list'] },
  { name: 'Keywords an empty list', text: variant('Keywords:\n  - mlflow\n  - regression', 'Keywords: []'), expected: ['empty-list@3:10-3:12'] },
  { name: 'Keywords item a mapping', text: variant('  - regression', '  - kind: regression'), expected: ['wrong-type@5:4-5:20'] },
  { name: 'Keyword misspelled', text: variant('Keywords:', 'Keyword:'), expected: ['missing-required@1:0-1:4', 'unknown-key@3:0-3:7'], fixes: ['unknown-key'] },
  { name: 'unknown key without a near match', text: VALID + 'Owner: someone\n', expected: ['unknown-key@12:0-12:5'] },
  { name: 'unknown key in Creator', text: variant('  Name: ABC Team', '  Name: ABC Team\n  Affiliation: AIST'), expected: ['unknown-key@8:2-8:13'] },
  { name: 'misspelled key in ContactPoint', text: variant('    Email: team@example.com', '    Emial: team@example.com'), expected: ['missing-contact@8:2-8:14', 'unknown-key@9:4-9:9'], fixes: ['unknown-key'] },
  { name: 'missing Creator', text: variant('Creator:\n  Name: ABC Team\n  ContactPoint:\n    Email: team@example.com', undefined), expected: ['missing-required@1:0-1:4'], fixes: ['missing-required'] },
  { name: 'empty Creator', text: variant('Creator:\n  Name: ABC Team\n  ContactPoint:\n    Email: team@example.com', 'Creator:'), expected: ['empty-value@6:8-6:8'], fixes: ['empty-value'] },
  { name: 'missing Creator.Name', text: variant('  Name: ABC Team', undefined), expected: ['missing-required@6:0-6:7'], fixes: ['missing-required'] },
  { name: 'missing ContactPoint', text: variant('  ContactPoint:\n    Email: team@example.com', undefined), expected: ['missing-required@6:0-6:7'], fixes: ['missing-required'] },
  { name: 'ContactPoint with neither Email nor URL', text: variant('  ContactPoint:\n    Email: team@example.com', '  ContactPoint: {}  # to be decided'), expected: ['missing-contact@8:2-8:14'], fixes: ['missing-contact'] },
  { name: 'invalid e-mail', text: variant('    Email: team@example.com', '    Email: team at example'), expected: ['invalid-email@9:11-9:26'] },
  { name: 'missing License', text: variant('License:\n  Name: MIT License', undefined), expected: ['missing-required@1:0-1:4'], fixes: ['missing-required'] },
  { name: 'License without Name', text: variant('  Name: MIT License', '  URL: https://opensource.org/license/mit'), expected: ['missing-required@10:0-10:7'], fixes: ['missing-required'] },
  { name: 'License as text', text: variant('License:\n  Name: MIT License', 'License: MIT'), expected: ['wrong-type@10:9-10:12'] },
  { name: 'UsageInfo not a URL', text: VALID + 'UsageInfo: see the README\n', expected: ['invalid-url@12:11-12:25'] },
  { name: 'ContentURL as a scalar', text: VALID + 'Distribution:\n  EncodingFormat: MLflow Model (tar.gz)\n  ContentURL: https://bucket.s3.abci.ai/model.tar.gz\n', expected: ['not-a-list@14:14-14:52'], fixes: ['not-a-list'] },
  { name: 'ContentURL item not a URL', text: VALID + 'Distribution:\n  ContentURL:\n    - https://bucket.s3.abci.ai/a.tar.gz\n    - model.tar.gz\n', expected: ['invalid-url@15:6-15:18'] },
  { name: 'Distribution as a list', text: VALID + 'Distribution:\n  - https://bucket.s3.abci.ai/a.tar.gz\n', expected: ['wrong-type@13:2-13:38'] },
  { name: 'Version as a number', text: VALID + 'Version: 1.0  # keep the trailing zero\n', expected: ['version-not-string@12:9-12:12'], fixes: ['version-not-string'] },
  { name: 'date with slashes', text: VALID + '# when it was made\nDateCreated: 2024/01/05\n', expected: ['invalid-date@13:13-13:23'], fixes: ['invalid-date'] },
  { name: 'compact date read as a number', text: VALID + 'DatePublished: 20240105\n', expected: ['invalid-date@12:15-12:23'], fixes: ['invalid-date'] },
  { name: 'Japanese date with a time', text: VALID + 'DateModified: 2024年1月5日 9:30\n', expected: ['invalid-date@12:14-12:28'], fixes: ['invalid-date'] },
  { name: 'date in words', text: VALID + 'DateModified: yesterday\n', expected: ['invalid-date@12:14-12:23'] },
  { name: 'impossible date', text: VALID + 'DateCreated: 2024-02-30x\n', expected: ['invalid-date@12:13-12:24'] },
  { name: 'Citation as a scalar', text: VALID + 'Citation: Doe, J. "Example Paper," 2020.\n', expected: ['not-a-list@12:10-12:40'], fixes: ['not-a-list'] },
  { name: 'quoted placeholder', text: variant('Name: Wine quality ElasticNet', 'Name: "<<FILL IN: name of the data set or model>>"'), expected: ['placeholder-not-filled@1:7-1:49'] },
  { name: 'placeholder inside a Description', text: variant('Description: An ElasticNet regression model trained on the UCI wine quality data set with MLflow.', 'Description: "An ElasticNet regression model trained on <<FILL IN: data set>> with MLflow."'), expected: ['placeholder-not-filled@2:56-2:77'] },
  { name: 'unquoted placeholder breaks the YAML', text: variant('  Name: MIT License', '  Name: <<FILL IN: license name>>'), expected: ['yaml-syntax@11:8-11:9', 'placeholder-not-filled@11:8-11:33'] },
  { name: 'placeholder in a Keywords item', text: variant('  - regression', '  - "<<FILL IN: keyword>>"'), expected: ['placeholder-not-filled@5:5-5:25'] },
];
