/**
 * The Markdown texts MLflow keeps per entity and its UI edits: a run's note and an experiment's
 * description (both the `mlflow.note.content` tag), a registered model's and a version's
 * description. Read and written here with one REST call each, so an editor tab can show one as a
 * file. `ChangeClock` gives each text a modification time that moves forward whenever the
 * server's text is not what was last seen: that is how the editor notices, on save, that someone
 * changed it meanwhile (VS Code compares the time it read with the time it sees now).
 */
import type { MlflowClient } from '../mlflow/client';
import type { CallOptions } from '../mlflow/http';
import { NOTE_TAG } from '../mlflow/trackingWrites';

export type EditableText =
  | { readonly kind: 'runNote'; readonly runId: string }
  | { readonly kind: 'experimentNote'; readonly experimentId: string }
  | { readonly kind: 'modelDescription'; readonly name: string }
  | { readonly kind: 'versionDescription'; readonly name: string; readonly version: string };

type Client = Pick<MlflowClient, 'getRun' | 'getExperiment' | 'getRegisteredModel' | 'getModelVersion' | 'trackingWrites' | 'registryWrites'>;

export async function readEditableText(client: Client, ref: EditableText, options: CallOptions = {}): Promise<string> {
  switch (ref.kind) {
    case 'runNote':
      return (await client.getRun(ref.runId, options)).data.tags.find((t) => t.key === NOTE_TAG)?.value ?? '';
    case 'experimentNote':
      return (await client.getExperiment(ref.experimentId, options)).tags.find((t) => t.key === NOTE_TAG)?.value ?? '';
    case 'modelDescription':
      return (await client.getRegisteredModel(ref.name, options)).description ?? '';
    case 'versionDescription':
      return (await client.getModelVersion(ref.name, ref.version, options)).description ?? '';
  }
}

export async function writeEditableText(client: Client, ref: EditableText, text: string, options: CallOptions = {}): Promise<void> {
  switch (ref.kind) {
    case 'runNote':
      return client.trackingWrites.setRunNote(ref.runId, text, options);
    case 'experimentNote':
      return client.trackingWrites.setExperimentNote(ref.experimentId, text, options);
    case 'modelDescription':
      return client.registryWrites.setRegisteredModelDescription(ref.name, text, options);
    case 'versionDescription':
      return client.registryWrites.setModelVersionDescription(ref.name, ref.version, text, options);
  }
}

/** `/runNote/<id>/<title>.md`: the title is only the tab's label; the other parts say what it is. */
export function editableTextPath(ref: EditableText, title: string): string {
  const parts = ref.kind === 'runNote' ? [ref.runId] : ref.kind === 'experimentNote' ? [ref.experimentId] : ref.kind === 'modelDescription' ? [ref.name] : [ref.name, ref.version];
  // Only the characters that are unsafe in a tab title or a file name are replaced.
  const label = [...title].map((c) => (c < ' ' || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('').slice(0, 80) || 'text';
  return `/${ref.kind}/${parts.map(encodeURIComponent).join('/')}/${label}.md`;
}

export function parseEditableTextPath(path: string): EditableText | undefined {
  const parts = path.split('/').slice(1, -1).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return '';
    }
  });
  const [kind, a, b] = parts;
  if (!a) return undefined;
  if (kind === 'runNote' && parts.length === 2) return { kind, runId: a };
  if (kind === 'experimentNote' && parts.length === 2) return { kind, experimentId: a };
  if (kind === 'modelDescription' && parts.length === 2) return { kind, name: a };
  if (kind === 'versionDescription' && parts.length === 3 && b) return { kind, name: a, version: b };
  return undefined;
}

/** Per key: the text last seen and the time it was first seen; a different text moves the time on. */
export class ChangeClock {
  private readonly seen = new Map<string, { text: string; mtime: number }>();
  private last = 0;

  private tick(): number {
    this.last = Math.max(Date.now(), this.last + 1);
    return this.last;
  }

  observe(key: string, text: string): number {
    const known = this.seen.get(key);
    if (known && known.text === text) return known.mtime;
    const mtime = this.tick();
    this.seen.set(key, { text, mtime });
    return mtime;
  }
}
