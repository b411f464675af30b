// The form's message guards: what the host accepts from the webview and the webview from the host.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInfoYamlFormHostMessage, isInfoYamlFormWebviewMessage } from '../../src/protocol/infoYamlForm';

describe('info.yaml form protocol guards', () => {
  it('accepts the webview messages it declares', () => {
    for (const m of [{ type: 'ready' }, { type: 'openText' }, { type: 'setField', key: 'Creator.ContactPoint.Email', value: 'a@b.c' }, { type: 'setList', key: 'Keywords', values: ['a', 'b'] }]) {
      assert.equal(isInfoYamlFormWebviewMessage(m), true, JSON.stringify(m));
    }
  });

  it('rejects anything else from the webview', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'eval', code: 'x' },
      { type: 'setField', key: 'Name' },
      { type: 'setField', key: 'Name', value: 1 },
      { type: 'setField', key: '__proto__.x', value: 'v' },
      { type: 'setField', key: 'a..b', value: 'v' },
      { type: 'setList', key: 'Keywords', values: 'a' },
      { type: 'setList', key: 'Keywords', values: [1] },
      { type: 'setField', key: 'Name', value: 'x'.repeat(1_000_001) },
    ];
    for (const m of bad) assert.equal(isInfoYamlFormWebviewMessage(m), false, JSON.stringify(m)?.slice(0, 80));
  });

  it('checks host messages before the webview uses them', () => {
    assert.equal(isInfoYamlFormHostMessage({ type: 'init', fields: [], labels: {} }), true);
    assert.equal(isInfoYamlFormHostMessage({ type: 'document', version: 1, values: {}, readOnly: [], problems: {}, unreadable: false }), true);
    assert.equal(isInfoYamlFormHostMessage({ type: 'document', version: '1', values: {}, readOnly: [], problems: {}, unreadable: false }), false);
    assert.equal(isInfoYamlFormHostMessage({ type: 'init', fields: null, labels: {} }), false);
  });
});
