// The info.yaml form editor's page. Waits for the host's `init` (fields and localised labels)
// after saying `ready`, then renders every `document` state the host sends; edits go back as
// setField/setList messages and come back as a new state once the host changed the text.
import { isInfoYamlFormHostMessage, type InfoYamlFormWebviewMessage } from '../../../../src/protocol/infoYamlForm';
import { announceReady, vscodeApi } from '../../vscodeApi';
import { FormView } from './formView';
import { registerToolkit } from './toolkit';

registerToolkit();
const api = vscodeApi<InfoYamlFormWebviewMessage, unknown>();
const container = document.getElementById('form')!;
let view: FormView | undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isInfoYamlFormHostMessage(message)) return;
  switch (message.type) {
    case 'init':
      view = new FormView(container, message.fields, message.labels, {
        setField: (key, value) => api.postMessage({ type: 'setField', key, value }),
        setList: (key, values) => api.postMessage({ type: 'setList', key, values }),
        openText: () => api.postMessage({ type: 'openText' }),
      });
      break;
    case 'document':
      view?.render(message);
      document.body.dataset.version = String(message.version);
      break;
  }
});

// Anything not sent yet goes now when focus leaves the page or it is hidden.
window.addEventListener('blur', () => view?.flushAll());
window.addEventListener('pagehide', () => view?.flushAll());
document.addEventListener('visibilitychange', () => view?.flushAll());

announceReady();
