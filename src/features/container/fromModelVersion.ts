// "Export and Generate Container Recipe…" on a model version: the recipe is made from an export
// folder, so this runs the export command first (its own progress, Cancel and errors) and hands
// the folder it wrote to the recipe generator. The two features meet only through the export
// command's id and its result, so neither imports the other. The result is the handler's own
// (commandResult): executeCommand hands callers only what the workbench may receive.
import { commandResult } from '../../host/commands';
import type { ImageFolder } from '../../core/container/createImageFolder';

export const CONTAINER_FROM_MODEL_VERSION_COMMAND = 'mlwf.generateContainerRecipeFromModelVersion';
const EXPORT_COMMAND = 'mlwf.exportModelVersion';

/** The export command resolves with its result (undefined when cancelled, failed or dismissed). */
interface ExportedFolder {
  readonly folder: string;
}

export async function generateFromModelVersion(
  target: unknown,
  generate: (exportFolder: string) => Promise<ImageFolder | undefined>,
): Promise<ImageFolder | undefined> {
  const exported = await commandResult<ExportedFolder | undefined>(EXPORT_COMMAND, target);
  if (!exported?.folder) return undefined; // the export said why (or the user cancelled)
  return generate(exported.folder);
}
