/**
 * The manifest and the code agree: every `when` clause in package.json refers to context keys and
 * tree-item context values the code really sets, every menu and keybinding names a declared
 * command, and every %key% has its English and Japanese text. (That every declared command is
 * registered, and the reverse, is checked in a running VS Code: test/suite/manifest.test.ts.)
 * A clause that names a key nobody sets hides its menu item forever, silently.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: Record<string, unknown> };
const contributes = manifest.contributes as {
  commands: { command: string }[];
  menus?: Record<string, { command?: string; submenu?: string; when?: string }[]>;
  views?: Record<string, { id: string; when?: string }[]>;
  viewsWelcome?: { view: string; when?: string }[];
  keybindings?: { command: string; when?: string }[];
  submenus?: { id: string }[];
  walkthroughs?: { steps: { when?: string; completionEvents?: string[] }[] }[];
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}
const sources = sourceFiles(path.join(root, 'src')).map((file) => readFileSync(file, 'utf8'));

/** Every `mlwf.` word inside a string literal of the code (template literals up to their first `${`). */
const literals = new Set<string>();
for (const text of sources) {
  for (const m of text.matchAll(/(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1/g)) {
    const body = m[1] === '`' ? m[2]!.split('${')[0]! : m[2]!;
    for (const word of body.split(/\s+/)) if (word.startsWith('mlwf.')) literals.add(word);
  }
}
const codeSetsContext = sources.some((text) => text.includes("'setContext'"));

interface Clause {
  where: string;
  when: string;
}
function whenClauses(): Clause[] {
  const out: Clause[] = [];
  for (const [menu, items] of Object.entries(contributes.menus ?? {})) items.forEach((m, i) => m.when && out.push({ where: `menus.${menu}[${i}]`, when: m.when }));
  for (const [container, views] of Object.entries(contributes.views ?? {})) views.forEach((v) => v.when && out.push({ where: `views.${container}.${v.id}`, when: v.when }));
  (contributes.viewsWelcome ?? []).forEach((v, i) => v.when && out.push({ where: `viewsWelcome[${i}]`, when: v.when }));
  (contributes.keybindings ?? []).forEach((k, i) => k.when && out.push({ where: `keybindings[${i}]`, when: k.when }));
  (contributes.walkthroughs ?? []).forEach((w, i) => w.steps.forEach((s, j) => s.when && out.push({ where: `walkthroughs[${i}].steps[${j}]`, when: s.when })));
  return out;
}

const VIEW_IDS = new Set(Object.values(contributes.views ?? {}).flat().map((v) => v.id));
const DECLARED = new Set(contributes.commands.map((c) => c.command));

describe('package.json agrees with the code', () => {
  it('has when clauses to check (the parser below sees them)', () => {
    assert.ok(whenClauses().length > 10, `only ${whenClauses().length} when clauses found`);
  });

  it('every viewItem compared in a when clause is a context value some tree item sets', () => {
    const problems: string[] = [];
    for (const { where, when } of whenClauses()) {
      for (const m of when.matchAll(/viewItem\s*==\s*([\w.-]+)/g)) {
        if (!literals.has(m[1]!) && ![...literals].some((l) => m[1]!.startsWith(l) && l.endsWith('.'))) problems.push(`${where}: viewItem == ${m[1]} is never set`);
      }
      for (const m of when.matchAll(/viewItem\s*=~\s*\/((?:[^/\\]|\\.)+)\/(\w*)/g)) {
        const re = new RegExp(m[1]!, m[2]);
        if (![...literals].some((l) => re.test(l))) problems.push(`${where}: viewItem =~ /${m[1]}/ matches no context value`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every mlwf.* context key in a when clause is set by the code, every view named exists', () => {
    const problems: string[] = [];
    for (const { where, when } of whenClauses()) {
      // Drop the right-hand sides of comparisons first: they are values, not keys.
      const keys = when.replace(/(==|!=|=~)\s*('[^']*'|\/(?:[^/\\]|\\.)+\/\w*|[\w.-]+)/g, '$1').match(/[A-Za-z_][\w.-]*/g) ?? [];
      for (const key of keys) {
        if (!key.startsWith('mlwf.')) continue;
        if (!codeSetsContext || !literals.has(key)) problems.push(`${where}: context key ${key} is never set`);
      }
      for (const m of when.matchAll(/\b(?:view|focusedView)\s*==\s*([\w.-]+)/g)) {
        if (!VIEW_IDS.has(m[1]!)) problems.push(`${where}: view ${m[1]} is not contributed`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every menu item and keybinding names a declared command (or submenu)', () => {
    const submenus = new Set((contributes.submenus ?? []).map((s) => s.id));
    const problems: string[] = [];
    for (const [menu, items] of Object.entries(contributes.menus ?? {})) {
      for (const item of items) {
        if (item.command && !DECLARED.has(item.command)) problems.push(`menus.${menu}: ${item.command} is not declared`);
        if (item.submenu && !submenus.has(item.submenu)) problems.push(`menus.${menu}: submenu ${item.submenu} is not declared`);
      }
    }
    for (const k of contributes.keybindings ?? []) if (!DECLARED.has(k.command)) problems.push(`keybindings: ${k.command} is not declared`);
    assert.deepEqual(problems, []);
  });

  it('the walkthrough: every step has an image that exists, and every button runs a declared command', () => {
    const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const walkthroughs = (manifest.contributes.walkthroughs ?? []) as { steps: { id: string; description: string; media: { image?: string } }[] }[];
    assert.equal(walkthroughs.length, 1, 'one "Get started" walkthrough');
    const viewFocus = new Set([...VIEW_IDS].map((v) => `${v}.focus`));
    const problems: string[] = [];
    for (const step of walkthroughs[0]!.steps) {
      if (!step.media.image || !existsSync(path.join(root, step.media.image))) problems.push(`${step.id}: image ${step.media.image} is missing`);
      const text = nls[step.description.replace(/^%|%$/g, '')] ?? step.description;
      const links = [...text.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]!);
      if (links.length === 0) problems.push(`${step.id}: no button`);
      for (const id of links) {
        if (!DECLARED.has(id) && !viewFocus.has(id) && id !== 'workbench.action.openSettings') problems.push(`${step.id}: button runs ${id}, which is not declared`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('commands hidden from the palette are declared, and no command is declared twice', () => {
    assert.equal(DECLARED.size, contributes.commands.length, 'a command id is declared twice');
  });
});
