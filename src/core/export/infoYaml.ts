// info.yaml: the ABCI Datasets registration template, pre-filled from MLflow, with the
// template's guiding comments kept so a person can finish it. Values MLflow cannot know (a
// licence, a contact, a description that is missing or too short, the download URL before the
// upload) are PLACEHOLDERS: `<<FILL IN: hint>>`, the marker src/core/infoYaml validates as "not
// filled in yet", so the validator and the upload step recognise them (`isPlaceholder`, `findPlaceholders`).
import * as yaml from 'js-yaml';
import { PLACEHOLDER_PREFIX, hasPlaceholder, placeholder as markPlaceholder } from '../infoYaml/placeholder';
import type { Experiment, ModelVersion, RegisteredModel, Run } from '../mlflow';

/** Every placeholder value starts with this marker (and nothing MLflow writes does): the info.yaml
 * validator's own marker, so validation reports each one as "not filled in yet". */
export const INFO_YAML_PLACEHOLDER = PLACEHOLDER_PREFIX;

export const MIN_DESCRIPTION_LENGTH = 51; // ABCI Datasets: "more than 50 characters"

export function placeholder(hint: string): string {
  return markPlaceholder(hint);
}

export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && hasPlaceholder(value);
}

/** Dotted paths (`License.Name`, `Distribution.ContentURL.0`) of every placeholder in a parsed info.yaml. */
export function findPlaceholders(value: unknown, at = ''): string[] {
  if (isPlaceholder(value)) return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => findPlaceholders(v, at ? `${at}.${i}` : String(i)));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => findPlaceholders(v, at ? `${at}.${k}` : k));
  }
  return [];
}

export interface InfoYamlInput {
  model: RegisteredModel;
  version: ModelVersion;
  run?: Run;
  experiment?: Experiment;
  /** The parsed MLmodel file, when there is one. */
  mlmodel?: Record<string, unknown>;
  /** requirements.txt lines (comments and blanks dropped). */
  requirements?: string[];
  /** Files of the export, for the AdditionalInfo's list of what is inside. */
  files?: Array<{ path: string; size?: number }>;
  /** `mlwf.export.creator` (or --creator); else the run's mlflow.user. */
  creator?: string;
}

const isoOf = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
const tagOf = (run: Run | undefined, key: string) => run?.data.tags.find((t) => t.key === key)?.value;

function flavorsOf(mlmodel?: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const f = mlmodel?.flavors;
  return f && typeof f === 'object' ? (f as Record<string, Record<string, unknown>>) : {};
}

function keywordsOf(input: InfoYamlInput): string[] {
  const words = ['MLflow', ...Object.keys(flavorsOf(input.mlmodel))];
  for (const tags of [input.model.tags, input.version.tags]) {
    for (const t of tags) {
      if (t.key.startsWith('mlflow.')) continue;
      words.push(t.value && t.value.length <= 40 && !/\s{2}/.test(t.value) ? t.value : t.key);
    }
  }
  return [...new Set(words.map((w) => w.trim()).filter(Boolean))];
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function additionalInfo(input: InfoYamlInput): string {
  const { model, version, run, experiment, mlmodel } = input;
  const lines: string[] = [];
  if (version.version === '') lines.push(`MLflow logged model \`${model.name}\` (\`${version.source}\`).`, '');
  else lines.push(`MLflow model \`${model.name}\`, version ${version.version}${version.aliases.length ? ` (aliases: ${version.aliases.join(', ')})` : ''}${version.current_stage && version.current_stage !== 'None' ? `, stage ${version.current_stage}` : ''}.`, '');
  lines.push('## Source run', '');
  if (run) {
    lines.push(`- Run: \`${run.info.run_id}\`${run.info.run_name ? ` (${cell(run.info.run_name)})` : ''}, status ${run.info.status}`);
    if (experiment) lines.push(`- Experiment: ${cell(experiment.name)} (id ${experiment.experiment_id})`);
    const git = tagOf(run, 'mlflow.source.git.commit');
    if (git) lines.push(`- Git commit: \`${git}\``);
  } else {
    lines.push(`- Source: \`${version.source}\``);
  }
  if (run?.data.params.length) {
    lines.push('', '## Parameters', '', '| name | value |', '|---|---|');
    for (const p of [...run.data.params].sort((a, b) => (a.key < b.key ? -1 : 1))) lines.push(`| ${cell(p.key)} | ${cell(p.value)} |`);
  }
  if (run?.data.metrics.length) {
    lines.push('', '## Final metrics', '', '| name | value | step |', '|---|---|---|');
    for (const m of [...run.data.metrics].sort((a, b) => (a.key < b.key ? -1 : 1))) lines.push(`| ${cell(m.key)} | ${m.value} | ${m.step} |`);
  }
  const flavors = flavorsOf(mlmodel);
  if (Object.keys(flavors).length) {
    lines.push('', '## Flavors', '');
    for (const [name, f] of Object.entries(flavors)) {
      const details = Object.entries(f)
        .filter(([k, v]) => /version|loader_module|serialization_format/.test(k) && (typeof v === 'string' || typeof v === 'number'))
        .map(([k, v]) => `${k} ${String(v)}`);
      lines.push(`- ${name}${details.length ? `: ${details.join(', ')}` : ''}`);
    }
  }
  const python = flavors.python_function?.python_version;
  const mlflowVersion = mlmodel?.mlflow_version;
  if (python || mlflowVersion || input.requirements?.length) {
    lines.push('', '## Environment', '');
    if (python) lines.push(`- Python ${String(python)}`);
    if (mlflowVersion) lines.push(`- MLflow ${String(mlflowVersion)}`);
    if (input.requirements?.length) lines.push('- Requirements:', ...input.requirements.map((r) => `  - \`${r}\``));
  }
  const signature = mlmodel?.signature as Record<string, unknown> | undefined;
  const example = (mlmodel?.saved_input_example_info as Record<string, unknown> | undefined)?.artifact_path;
  if (signature || example) {
    lines.push('', '## Signature and input example', '');
    for (const part of ['inputs', 'outputs', 'params'] as const) {
      const v = signature?.[part];
      if (typeof v === 'string' && v !== 'null') lines.push(`- ${part}: \`${summariseSchema(v)}\``);
    }
    if (typeof example === 'string') lines.push(`- Input example: \`${example}\` in the package`);
  }
  return lines.join('\n');
}

/** `[{"type": "double", "name": "alcohol"}, …]` → `alcohol: double, …` (long schemas shortened). */
function summariseSchema(json: string): string {
  try {
    const cols = JSON.parse(json) as Array<{ name?: string; type?: string; 'tensor-spec'?: { dtype?: string; shape?: number[] } }>;
    const parts = cols.map((c) => `${c.name ? `${c.name}: ` : ''}${c.type === 'tensor' ? `tensor ${c['tensor-spec']?.dtype ?? ''} ${JSON.stringify(c['tensor-spec']?.shape ?? [])}` : c.type ?? '?'}`);
    return parts.length > 20 ? `${parts.slice(0, 20).join(', ')}, … (${parts.length} columns)` : parts.join(', ');
  } catch {
    return json.length > 200 ? `${json.slice(0, 200)}…` : json;
  }
}

/** The document as data (what the YAML holds, before the comments are added). */
export function infoYamlData(input: InfoYamlInput): Record<string, unknown> {
  const { model, version, run } = input;
  const description = [model.description, version.description].map((d) => d?.trim()).filter(Boolean).join('\n\n');
  const creator = input.creator?.trim() || tagOf(run, 'mlflow.user') || run?.info.user_id || version.user_id;
  return {
    Name: model.name,
    Description:
      description.length >= MIN_DESCRIPTION_LENGTH
        ? description
        : placeholder(`describe the model in more than 50 characters (what it predicts, from which data, how to use it)${description ? `. MLflow says: ${description}` : ''}`),
    Keywords: keywordsOf(input),
    Distribution: {
      EncodingFormat: 'MLflow Model (tar.gz)',
      ContentURL: [placeholder('the URL of model.tar.gz, filled in by the upload')],
    },
    Creator: {
      Name: creator || placeholder('your organisation or name'),
      ContactPoint: { Email: placeholder('a contact e-mail address (or replace Email with URL)') },
    },
    License: { Name: placeholder('a licence name, e.g. MIT License, CC-BY-SA 4.0 or Custom License') },
    // A logged model exported unregistered has no version number: the optional field is left out.
    Version: version.version === '' ? undefined : String(version.version),
    DateCreated: isoOf(version.creation_timestamp ?? model.creation_timestamp),
    DateModified: isoOf(version.last_updated_timestamp ?? model.last_updated_timestamp),
    AdditionalInfo: additionalInfo(input),
  };
}

// The template's guidance, above each field (ABCI Datasets' dataset_info_template.yaml).
const COMMENTS: Record<string, string[]> = {
  Name: ['Name (required): the name shown in ABCI Datasets.'],
  Description: ['Description (required): more than 50 characters; Markdown links are allowed.'],
  Keywords: ['Keywords (required): a block sequence, even for a single keyword.'],
  Distribution: [
    'UsageInfo (optional): URL of a page that explains how to use the model, e.g.',
    'UsageInfo: https://example.org/models/usage',
    'Distribution (optional): EncodingFormat is the format; ContentURL lists the URLs of the data.',
  ],
  Creator: ['Creator (required): Name is an organisation or a person; URL is optional;', 'ContactPoint needs an Email or a URL.'],
  License: ['License (required): Name such as MIT License, CC-BY-SA 4.0 or Custom License; URL is optional.'],
  Version: ['Version (optional): a string, quoted, e.g. "1.1b".'],
  DateCreated: ['DateCreated, DateModified, DatePublished (optional): ISO 8601, the time part is optional.'],
  AdditionalInfo: [
    'Identifier (optional): e.g. a DOI URL.  Citation (optional): a block sequence of strings.',
    'AdditionalInfo (optional): Markdown text.',
  ],
};

export function renderInfoYaml(input: InfoYamlInput, generatedAt = new Date()): string {
  // No line width: a long Markdown line would otherwise turn AdditionalInfo into a folded scalar, which
  // needs a blank line between every line; a literal block shows the Markdown as it is written.
  const body = yaml.dump(infoYamlData(input), { lineWidth: -1, noRefs: true, quotingType: '"', forceQuotes: false });
  const out: string[] = [
    input.version.version === ''
      ? `# ABCI Datasets registration for MLflow logged model ${JSON.stringify(input.model.name)} (${input.version.source}).`
      : `# ABCI Datasets registration for MLflow model ${JSON.stringify(input.model.name)}, version ${input.version.version}.`,
    `# Pre-filled by MLWF on ${isoOf(generatedAt.getTime())}. Values starting with "${INFO_YAML_PLACEHOLDER}" are placeholders:`,
    '# replace each of them before you upload this file and apply.',
  ];
  for (const line of body.split('\n')) {
    const key = /^([A-Za-z]+):/.exec(line)?.[1];
    if (key && COMMENTS[key]) out.push('', ...COMMENTS[key]!.map((c) => `# ${c}`));
    // The version is a string: keep it quoted even when it looks like a number.
    out.push(key === 'Version' ? `Version: ${JSON.stringify(String(input.version.version))}` : line);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
