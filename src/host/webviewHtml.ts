// The HTML shell every webview panel loads. Nothing from a server is ever in it (data arrives as
// messages and is rendered as text); the only script is the panel's bundle from dist/webview,
// allowed by a nonce made fresh for every load; styles come only from media/.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** The bundle dist/webview/<bundle>.js. */
  readonly bundle: string;
  /** The stylesheet media/<stylesheet>. */
  readonly stylesheet: string;
  /** Id of the element the page renders into. */
  readonly rootId: string;
  readonly title?: string;
  /** Lets the webview toolkit (FAST) add its probe <style>, which finds the nonce in a csp-nonce
   * meta tag. Inline style attributes stay forbidden either way. */
  readonly styleNonce?: boolean;
  /** Images from the extension's own folders (none from anywhere else). */
  readonly images?: boolean;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${page.bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', page.stylesheet));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}${page.styleNonce ? ` 'nonce-${nonce}'` : ''}`,
    `font-src ${webview.cspSource}`,
    ...(page.images ? [`img-src ${webview.cspSource}`] : []),
  ].join('; ');
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const lang = vscode.env.language.replace(/[^\w-]/g, '');
  return `<!DOCTYPE html>
<html lang="${esc(lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
${page.styleNonce ? `<meta property="csp-nonce" content="${nonce}">\n` : ''}<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
${page.title !== undefined ? `<title>${esc(page.title)}</title>\n` : ''}</head>
<body>
<main id="${esc(page.rootId)}" aria-live="polite"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
