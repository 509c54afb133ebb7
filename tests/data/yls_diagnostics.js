// Prints the diagnostics yaml-language-server gives each YAML file, one per line as FILE:LINE:COL: MESSAGE.
// Usage: node yls_diagnostics.js SERVER_JS FILE.yaml...  (used by tests/test_editor_schemas.py when node is present)
const { spawn } = require('child_process');
const fs = require('fs'); const path = require('path'); const url = require('url');
const [server, ...files] = process.argv.slice(2);
const proc = spawn('node', [server, '--stdio']);
let buf = Buffer.alloc(0); let id = 0; const pending = {}; const diags = {};
function send(msg) { const s = JSON.stringify({ jsonrpc: '2.0', ...msg }); proc.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`); }
function request(method, params) { return new Promise(r => { id++; pending[id] = r; send({ id, method, params }); }); }
proc.stdout.on('data', d => { buf = Buffer.concat([buf, d]);
  while (true) { const h = buf.indexOf('\r\n\r\n'); if (h < 0) break;
    const len = parseInt(/Content-Length: (\d+)/.exec(buf.slice(0, h).toString())[1]);
    if (buf.length < h + 4 + len) break;
    const msg = JSON.parse(buf.slice(h + 4, h + 4 + len).toString()); buf = buf.slice(h + 4 + len);
    if (msg.id && pending[msg.id] && !msg.method) { pending[msg.id](msg.result); delete pending[msg.id]; }
    else if (msg.method === 'textDocument/publishDiagnostics') diags[msg.params.uri] = msg.params.diagnostics;
    else if (msg.method === 'workspace/configuration') send({ id: msg.id, result: msg.params.items.map(() => ({ validate: true, schemaStore: { enable: false } })) });
    else if (msg.id && msg.method) send({ id: msg.id, result: null });
  } });
(async () => {
  await request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  send({ method: 'initialized', params: {} });
  send({ method: 'workspace/didChangeConfiguration', params: { settings: { yaml: { validate: true, schemaStore: { enable: false }, format: {enable: false} } } } });
  const uris = files.map(f => url.pathToFileURL(path.resolve(f)).href);
  files.forEach((f, i) => send({ method: 'textDocument/didOpen', params: { textDocument: { uri: uris[i], languageId: 'yaml', version: 1, text: fs.readFileSync(f, 'utf8') } } }));
  const t0 = Date.now();
  while (uris.some(u => !(u in diags)) && Date.now() - t0 < 20000) await new Promise(r => setTimeout(r, 200));
  await new Promise(r => setTimeout(r, 1500));
  for (const [i, u] of uris.entries()) {
    const d = diags[u];
    if (d === undefined) { console.log(`${files[i]}:0:0: no diagnostics received`); continue; }
    for (const x of d) console.log(`${files[i]}:${x.range.start.line + 1}:${x.range.start.character + 1}: ${x.message.replace(/\n/g, ' ')}`);
  }
  proc.kill(); process.exit(0);
})();
