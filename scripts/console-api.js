'use strict';
// `npm run console:api`: regenerates apps/console/src/api/schema.d.ts from the api's OpenAPI document, made offline
// (Nest preview mode: no database, no Temporal) from the compiled api. Run after changing a controller or DTO.
const fs = require('node:fs');
const path = require('node:path');
const { distDir } = require('./lib/paths');
const log = require('./lib/log');
const { run } = require('./lib/bootstrap');
const { schemaFile, apiTypesFromDocument } = require('./lib/console-api-types');

async function main() {
  // Only the api's TypeScript (not the console, whose build needs this very file).
  run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  require('reflect-metadata');
  const { openApiDocumentOffline } = require(path.join(distDir, 'apps', 'api', 'src', 'openapi.js'));
  const text = await apiTypesFromDocument(await openApiDocumentOffline());
  fs.writeFileSync(schemaFile, text);
  log.info(`written ${path.relative(process.cwd(), schemaFile)} (${Math.round(text.length / 1024)} KiB)`);
}

main().catch((error) => {
  log.error(error.stack ?? error.message);
  process.exit(1);
});
