// A row of quick-input questions with a step count ("2/4") and a Back button, as in VS Code's
// multi-step input sample: each step is its own QuickPick or InputBox, what was answered (or
// typed before going Back) is shown again when a step comes back, an input's problem is shown
// under it as the user types, and Escape on any step cancels the whole row.
import * as vscode from 'vscode';

export interface StepItem extends vscode.QuickPickItem {
  readonly value: string;
}

export interface PickStep {
  readonly kind: 'pick';
  readonly placeholder: string;
  /** Asked when the step is shown (cache it to ask once); an error ends the row and is thrown. */
  readonly items: () => readonly StepItem[] | Promise<readonly StepItem[]>;
  /** The value highlighted the first time the step is shown. */
  readonly initial: string | undefined;
  readonly accept: (value: string) => void;
}

export interface InputStep {
  readonly kind: 'input';
  readonly prompt: string;
  readonly initial: string;
  /** The problem with a value (shown under the box; Enter does not go on), or undefined. */
  readonly validate: (value: string) => string | undefined;
  readonly accept: (value: string) => void;
}

export type Step = PickStep | InputStep;

type Outcome = { readonly kind: 'value'; readonly value: string } | { readonly kind: 'back'; readonly value?: string } | { readonly kind: 'cancel' };

interface Frame {
  readonly title: string;
  /** Undefined for a row of one question: "1/1" would count nothing. */
  readonly step: number | undefined;
  readonly totalSteps: number | undefined;
  readonly canGoBack: boolean;
}

/** Asks the steps in order; true when all were answered, false when the user cancelled. */
export async function runSteps(title: string, steps: readonly Step[]): Promise<boolean> {
  // Per step, the last value answered or typed: shown again when the user comes back to it.
  const values = new Map<number, string>();
  let index = 0;
  while (index < steps.length) {
    const step = steps[index]!;
    const counted = steps.length > 1;
    const frame: Frame = { title, step: counted ? index + 1 : undefined, totalSteps: counted ? steps.length : undefined, canGoBack: index > 0 };
    const outcome = step.kind === 'pick' ? await askPick(frame, step, values.get(index) ?? step.initial) : await askInput(frame, step, values.get(index) ?? step.initial);
    if (outcome.kind === 'cancel') return false;
    if (outcome.value !== undefined) values.set(index, outcome.value);
    if (outcome.kind === 'back') {
      index--;
      continue;
    }
    step.accept(outcome.value);
    index++;
  }
  return true;
}

function frameInput(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }, frame: Frame): void {
  input.title = frame.title;
  input.step = frame.step;
  input.totalSteps = frame.totalSteps;
  input.ignoreFocusOut = true;
  input.buttons = frame.canGoBack ? [vscode.QuickInputButtons.Back] : [];
}

function settle<T extends vscode.QuickInput>(input: T, wire: (resolve: (o: Outcome) => void, reject: (e: unknown) => void) => vscode.Disposable[]): Promise<Outcome> {
  const disposables: vscode.Disposable[] = [];
  return new Promise<Outcome>((resolve, reject) => {
    disposables.push(...wire(resolve, reject), input.onDidHide(() => resolve({ kind: 'cancel' })));
    input.show();
  }).finally(() => {
    // The listeners go first: disposing a visible input hides it, which is not a cancel here.
    for (const d of disposables) d.dispose();
    input.dispose();
  });
}

function askPick(frame: Frame, step: PickStep, active: string | undefined): Promise<Outcome> {
  const pick = vscode.window.createQuickPick<StepItem>();
  frameInput(pick, frame);
  pick.placeholder = step.placeholder;
  pick.matchOnDescription = true;
  pick.busy = true;
  return settle(pick, (resolve, reject) => {
    void (async () => {
      try {
        const items = await step.items();
        pick.items = items;
        const current = items.find((i) => i.value === active);
        if (current) pick.activeItems = [current];
        pick.busy = false;
      } catch (e) {
        reject(e);
      }
    })();
    return [
      pick.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) resolve({ kind: 'back' });
      }),
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (chosen) resolve({ kind: 'value', value: chosen.value });
      }),
    ];
  });
}

function askInput(frame: Frame, step: InputStep, value: string): Promise<Outcome> {
  const input = vscode.window.createInputBox();
  frameInput(input, frame);
  input.prompt = step.prompt;
  input.value = value;
  // A value shown again says at once what is wrong with it; an empty box keeps its prompt visible
  // (a validation message takes the prompt's place) until the user types.
  input.validationMessage = value === '' ? undefined : step.validate(value);
  return settle(input, (resolve) => [
    input.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) resolve({ kind: 'back', value: input.value });
    }),
    input.onDidChangeValue((v) => {
      input.validationMessage = step.validate(v);
    }),
    input.onDidAccept(() => {
      const problem = step.validate(input.value);
      input.validationMessage = problem;
      if (!problem) resolve({ kind: 'value', value: input.value });
    }),
  ]);
}
