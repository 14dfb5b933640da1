import { HashMismatch } from '../devices/errors';
import { deleteFile, deviceMd5, showFileSystem, uploadFile, verifyFile } from '../devices/operations';
import { findFile } from '../devices/platforms';
import { deviceActivity, heartbeat, type DeviceRuntime } from './runtime';
import type { StageImageInput, StageImageResult, VerifyImageInput } from './types';

export function imageActivities(rt: DeviceRuntime) {
  /**
   * Copies an image to the device and checks its hash there. Idempotent: a
   * file already present with the right hash is left alone; anything else
   * under that name (a partial copy from a dropped attempt, a corrupt copy)
   * is deleted first, so every attempt starts clean. A corrupt result is
   * deleted and reported as a retryable HashMismatch, so it is staged again.
   */
  const stageImage = deviceActivity(async ({ device, image, protocol }: StageImageInput): Promise<StageImageResult> =>
    rt.session(device, async (s) => {
      const md5 = image.md5.toLowerCase();
      const present = findFile(await showFileSystem(s), image.file);
      if (present) {
        if (present.size === image.size && (await deviceMd5(s, image.file)).md5 === md5) return { status: 'already-staged', bytesSent: 0, md5 };
        rt.logger.warn({ device: device.name, file: image.file, size: present.size }, 'deleting an incomplete or wrong copy before staging');
        await deleteFile(s, image.file);
      }
      let bytesSent = 0;
      await uploadFile(s, {
        source: { size: image.size, open: () => rt.openImage(image) },
        file: image.file,
        protocol: protocol ?? 'scp',
        onProgress: (n) => {
          bytesSent = n;
          heartbeat({ bytesSent: n, totalBytes: image.size });
        },
      });
      try {
        await verifyFile(s, image.file, md5, true);
      } catch (err) {
        if (err instanceof HashMismatch) await deleteFile(s, image.file);
        throw err;
      }
      return { status: 'staged', bytesSent, md5 };
    }),
  );

  /** Confirms the staged file's hash on the device; a wrong image is not retryable. */
  const verifyImage = deviceActivity(async ({ device, file, md5 }: VerifyImageInput): Promise<{ md5: string }> =>
    rt.session(device, async (s) => ({ md5: await verifyFile(s, file, md5, false) })),
  );

  return { stageImage, verifyImage };
}
