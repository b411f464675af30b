// The compare page's HTML shell. Nothing from the server is in it (run names and values arrive
// as message data and are rendered as text); the only script is the bundle, allowed by a nonce
// made fresh for every load, and styles come only from the extension's own folders.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function compareHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'compare.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'compare.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // The nonce lets the toolkit (FAST) add its one probe <style> for :focus-visible; it finds
    // the nonce in the csp-nonce meta tag. No inline style attribute is allowed.
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    // No img-src: charts draw on canvas, and exports read the canvas rather than load an image.
  ].join('; ');
  const lang = vscode.env.language.replace(/[^\w-]/g, '');
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
