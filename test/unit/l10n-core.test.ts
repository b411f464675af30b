// src/core/ messages reach the UI (tree error rows, export and container errors), so they are
// translated with @vscode/l10n from the same bundle as the host's strings. Here: English without a
// bundle (plain Node, the CLI), Japanese once the bundle is configured as the extension host does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { errorFromResponse, networkError } from '../../src/core/mlflow/errors';
import { BaseImageError, parseBaseImage } from '../../src/core/container/baseImage';

const root = path.resolve(__dirname, '../..');

describe('core messages through @vscode/l10n', () => {
  it('are English when no bundle is configured, with their values filled in', () => {
    assert.equal(
      errorFromResponse({ status: 503, contentType: 'text/html', bodyText: '<html>', hadCredentials: true }).userMessage,
      'The MLflow server is not responding behind its proxy (HTTP 503): try again later or ask its administrator.',
    );
  });

  it('follow the display language once the extension host hands over the bundle', () => {
    const contents = JSON.parse(readFileSync(path.join(root, 'l10n/bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
    l10n.config({ contents });
    try {
      assert.equal(
        errorFromResponse({ status: 503, contentType: 'text/html', bodyText: '<html>', hadCredentials: true }).userMessage,
        'プロキシの背後の MLflow サーバーが応答していません (HTTP 503)。後でやり直すか、管理者に問い合わせてください。',
      );
      assert.equal(networkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).userMessage, contents['Nothing is listening at the MLflow server address (connection refused): is the server running and the port right?']);
      assert.throws(() => parseBaseImage('ftp://x'), (e: unknown) => e instanceof BaseImageError && /Singularity は "ftp:\/\/x" から開始できません/.test(e.message));
    } finally {
      l10n.config({ contents: {} });
    }
  });
});
