// answersHttp: a server that answers (whatever the status) is reachable; a closed port, an
// unknown host or a server that never answers is not, within the time limit.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { answersHttp } from '../../src/core/net/answersHttp';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/vscode/gallery`)));
}

describe('answersHttp (is the marketplace reachable from here?)', () => {
  const answering = createServer((req, res) => {
    res.statusCode = req.method === 'HEAD' ? 404 : 500;
    res.end();
  });
  const silent = createServer(() => undefined); // accepts the connection, never answers
  let answeringUrl = '';
  let silentUrl = '';
  let closedUrl = '';
  before(async () => {
    answeringUrl = await listen(answering);
    silentUrl = await listen(silent);
    const closed = createServer();
    closedUrl = await listen(closed);
    await new Promise((r) => closed.close(r));
  });
  after(() => {
    answering.close();
    silent.closeAllConnections();
    silent.close();
  });

  it('a server that answers, even with a 404, is reachable', async () => {
    assert.equal(await answersHttp(answeringUrl), true);
  });

  it('a closed port and an unknown host are not', async () => {
    assert.equal(await answersHttp(closedUrl), false);
    assert.equal(await answersHttp('http://no-such-host.invalid/'), false);
  });

  it('a server that never answers is not, once the time limit is over', async () => {
    const t0 = Date.now();
    assert.equal(await answersHttp(silentUrl, 300), false);
    const took = Date.now() - t0;
    assert.ok(took >= 250 && took < 3000, `gave up after ${took} ms`);
  });
});
