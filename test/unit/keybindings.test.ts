/**
 * The keybindings in package.json: each runs a declared command, only while one of MLWF's own
 * views has the focus (so a key never takes over an editor's or another view's Delete or F2),
 * and only on the rows whose context menu offers the same command. Keybindings cannot see
 * `viewItem` (VS Code sets it only for menus), so they test the selection keys that
 * src/features/tree/selectionContext.ts publishes; the values they compare must be context
 * values the tree items really set.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    keybindings?: { command: string; key: string; mac?: string; when?: string }[];
    menus: Record<string, { command?: string; when?: string }[]>;
  };
};
const { contributes } = manifest;
const keybindings = contributes.keybindings ?? [];
const VIEW_IDS = new Set(Object.values(contributes.views).flat().map((v) => v.id));
const DECLARED = new Set(contributes.commands.map((c) => c.command));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.ts$/.test(name) ? [full] : [];
  });
}
const sources = sourceFiles(path.join(root, 'src')).map((file) => readFileSync(file, 'utf8'));
/** Every quoted `mlwf.…` string of the code: the context values tree items set. */
const literals = new Set(sources.flatMap((text) => [...text.matchAll(/'(mlwf\.[\w.]+)'/g)].map((m) => m[1]!)));
/** The selection key each view publishes: publishSelectionContext(view, provider, 'mlwf.xSelection'). */
const published = new Set(sources.flatMap((text) => [...text.matchAll(/publishSelectionContext\([^)]*'(mlwf\.\w+Selection)'\)/g)].map((m) => m[1]!)));

/** The view a keybinding is scoped to: its `focusedView == …`. */
const focusedViewOf = (when: string | undefined) => /\bfocusedView\s*==\s*([\w.]+)/.exec(when ?? '')?.[1];

/** The context values a keybinding's selection test accepts, from the literals of the code. */
function acceptedValues(when: string): string[] {
  const eq = /\bmlwf\.\w+Selection\s*==\s*([\w.]+)/.exec(when);
  if (eq) return literals.has(eq[1]!) ? [eq[1]!] : [];
  const re = /\bmlwf\.\w+Selection\s*=~\s*\/((?:[^/\\]|\\.)+)\/(\w*)/.exec(when);
  if (re) {
    const pattern = new RegExp(re[1]!, re[2]);
    return [...literals].filter((l) => pattern.test(l));
  }
  return [];
}

describe('keybindings', () => {
  it('there are keybindings for the views’ everyday actions', () => {
    const commands = new Set(keybindings.map((k) => k.command));
    for (const id of ['mlwf.delete', 'mlwf.rename', 'mlwf.compareSelectedRuns', 'mlwf.jobs.cancel']) assert.ok(commands.has(id), `no key for ${id}`);
  });

  it('each names a declared command and is scoped to one MLWF view with the focus', () => {
    const problems: string[] = [];
    for (const k of keybindings) {
      const name = `${k.key} → ${k.command}`;
      if (!DECLARED.has(k.command)) problems.push(`${name}: the command is not declared`);
      const view = focusedViewOf(k.when);
      if (!view) problems.push(`${name}: its when has no focusedView == <view>`);
      else if (!VIEW_IDS.has(view)) problems.push(`${name}: ${view} is not an MLWF view`);
      // `a || b` would let the key loose outside the view; only conjunctions are safe here.
      if (k.when?.includes('||')) problems.push(`${name}: its when has an ||`);
      if (/\bviewItem\b/.test(k.when ?? '')) problems.push(`${name}: keybindings never see viewItem, so this key would never fire`);
    }
    assert.deepEqual(problems, []);
  });

  it('each tests the selection key of its own view, which the code publishes, against real context values', () => {
    const problems: string[] = [];
    for (const k of keybindings) {
      const name = `${k.key} → ${k.command}`;
      const view = focusedViewOf(k.when) ?? '';
      const key = /\b(mlwf\.\w+Selection)\b/.exec(k.when ?? '')?.[1];
      if (!key) {
        problems.push(`${name}: it does not test the selected row`);
        continue;
      }
      if (key !== `${view}Selection`) problems.push(`${name}: it tests ${key} in ${view}`);
      if (!published.has(key)) problems.push(`${name}: ${key} is not published by publishSelectionContext`);
      if (acceptedValues(k.when!).length === 0) problems.push(`${name}: its selection test matches no context value of the code`);
    }
    assert.deepEqual(problems, []);
  });

  it('each runs a command that the same rows offer in their context menu', () => {
    const problems: string[] = [];
    const items = contributes.menus['view/item/context'] ?? [];
    for (const k of keybindings) {
      const view = focusedViewOf(k.when);
      for (const value of acceptedValues(k.when ?? '')) {
        const offered = items.some((m) => {
          if (m.command !== k.command || !m.when) return false;
          if (view && !new RegExp(`\\bview\\s*==\\s*${view.replace(/\./g, '\\.')}\\b`).test(m.when)) return false;
          const eq = /viewItem\s*==\s*([\w.]+)/.exec(m.when);
          const re = /viewItem\s*=~\s*\/((?:[^/\\]|\\.)+)\/(\w*)/.exec(m.when);
          return eq ? eq[1] === value : re ? new RegExp(re[1]!, re[2]).test(value) : false;
        });
        if (!offered) problems.push(`${k.key} → ${k.command} on ${value}: no context menu of such a row offers it`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('no two keybindings of a view share a key on the same rows', () => {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const k of keybindings) {
      for (const value of acceptedValues(k.when ?? '')) {
        for (const key of [k.key, k.mac ? `mac:${k.mac}` : undefined]) {
          if (!key) continue;
          const id = `${focusedViewOf(k.when)} ${value} ${key}`;
          const other = seen.get(id);
          if (other && other !== k.command) problems.push(`${id}: ${other} and ${k.command}`);
          seen.set(id, k.command);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
