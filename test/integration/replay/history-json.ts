import { dirname } from 'node:path';
import type * as protoTypes from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

/**
 * History <-> the JSON of `temporal workflow show --output json`.
 *
 * The SDK's own historyToJSON/historyFromJSON (@temporalio/common) fail here
 * with "type must be a Type": npm keeps three copies of protobufjs 8 (under
 * common, proto and worker, because protobufjs 7 from grpc's proto-loader
 * holds the top-level slot), and common's JSON converter rejects types built
 * by proto's copy. Converting with the copy that built the types avoids it.
 */
type History = protoTypes.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

// Both through require: the CommonJS module object is the protobuf root
// (an ESM namespace wrapper around it is not, under vitest).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require('@temporalio/proto') as typeof protoTypes;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [dirname(require.resolve('@temporalio/proto/package.json'))] })) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

export function historyToJson(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

/** A History with Long event ids, so the replay worker takes it as is. */
export function historyFromJson(text: string): History {
  const loaded = protojson.fromJson(historyType, JSON.parse(text), { ignoreUnknownFields: true });
  if (!loaded) throw new TypeError('not a workflow history');
  return loaded as History;
}
