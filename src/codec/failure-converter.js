'use strict';
// Loaded by path (DataConverter.failureConverterPath), both by Node and by the
// workflow bundler, so it is plain CommonJS: Node 20 cannot require .ts files.
// encodeCommonAttributes moves each failure's message and stack trace into a
// payload, so the payload codec encrypts them too: error messages name devices.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS on purpose, see above
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
