/**
 * The device lab: a simulated fleet of IOS-XE, NX-OS and FRR devices, each
 * behind its own SSH server on 127.0.0.1. It imports nothing from the rest of
 * the project: it is the world outside.
 */
export { startLab, Lab, DEFAULT_CREDENTIALS, type StartLabOptions } from './lab';
export { LabDevice, type PowerState, type SystemMode } from './device';
export { Fabric, type DownstreamBundle, type PathState, type VpcLeg } from './fabric';
export { VpcDomain, type VpcView, type VpcPortState } from './vpc';
export { loadTopology, parseTopology, generateTopology, type GenerateOptions } from './topology';
export { makeLabImage, labImageName, versionFromImageName, checkImage, ImageVerifier, IMAGE_HEADER_BYTES } from './images';
export { verifyEventLog, readEventLog, formatVerifyResult, type Breach, type BreachKind, type VerifyOptions, type VerifyResult } from './verify';
export { EventLog, type LabEvent, type LabEventBody, type LabEventType, type MutatingReason } from './events';
export { DEFAULT_TIMINGS, FAST_TIMINGS, resolveTimings } from './timings';
export type { WriteInventoryOptions } from './inventory';
export type { FlashFile } from './flash';
export * from './types';
