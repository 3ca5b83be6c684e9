// What a session's device is called, and what "seen before" compares (docs/authentication.md, Devices).
// An app names itself with x-client-name/x-client-version; a browser is named from its user agent. A client
// that keeps a random id of its own sends it as x-device-id: a device is then known by that id, which an
// attacker with the same browser cannot guess. Without one, the label without versions is compared, so a
// browser update is not a new device but the same browser and system elsewhere is not one either.
import { createHash } from 'node:crypto';
import Bowser from 'bowser';
import { badUserInput } from '../../shared/errors.js';

export interface DeviceHeaders {
  userAgent: string | null;
  clientName: string | null;
  clientVersion: string | null;
  deviceId: string | null;
}

export interface Device {
  /** Shown to the user: "Chrome 120 on Windows 10", "Dairy Android 3.2.1". */
  label: string;
  /** Hash of the device id, or of the label without versions; compared per user. */
  key: string;
}

const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/;
const CLIENT_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,19}$/;
const DEVICE_ID = /^[A-Za-z0-9_-]{16,128}$/;

/** The headers checked, each refusal naming its header; the user agent is only read, never refused. */
export function describeDevice(headers: DeviceHeaders): { label: string; coarse: string; deviceId: string | null } {
  const clientName = headers.clientName?.trim() || null;
  const clientVersion = headers.clientVersion?.trim() || null;
  if (clientName !== null && !CLIENT_NAME.test(clientName)) {
    throw badUserInput('x-client-name', 'must be 1 to 40 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit');
  }
  if (clientVersion !== null && !CLIENT_VERSION.test(clientVersion)) {
    throw badUserInput('x-client-version', 'must be 1 to 20 letters, digits, dots, plus or minus signs, starting with a letter or digit');
  }
  if (clientVersion !== null && clientName === null) throw badUserInput('x-client-version', 'needs x-client-name');
  const deviceId = headers.deviceId?.trim() || null;
  if (deviceId !== null && !DEVICE_ID.test(deviceId)) throw badUserInput('x-device-id', 'must be 16 to 128 letters, digits, dashes or underscores');
  if (clientName !== null) {
    return { label: clientVersion ? `${clientName} ${clientVersion}` : clientName, coarse: `app:${clientName.toLowerCase()}`, deviceId };
  }
  return { ...browserLabel(headers.userAgent), deviceId };
}

function browserLabel(userAgent: string | null): { label: string; coarse: string } {
  const parsed = userAgent ? Bowser.parse(userAgent) : null;
  const browser = parsed?.browser.name || null;
  const system = parsed?.os.name || null;
  if (!browser && !system) return { label: 'Unknown device', coarse: 'unknown' };
  const major = parsed?.browser.version?.split('.')[0];
  const systemVersion = parsed?.os.versionName ?? parsed?.os.version?.split('.')[0];
  const named = [browser && (major ? `${browser} ${major}` : browser), system && (systemVersion ? `${system} ${systemVersion}` : system)];
  return { label: named.filter(Boolean).join(' on ').slice(0, 100), coarse: `browser:${browser ?? ''}/${system ?? ''}`.toLowerCase() };
}

/** The device of one user's sign-in: the id (or the coarse label) hashed with the user's id. */
export function deviceOf(userId: string, headers: DeviceHeaders): Device {
  const described = describeDevice(headers);
  const identity = described.deviceId !== null ? `id:${described.deviceId}` : `label:${described.coarse}`;
  return { label: described.label, key: createHash('sha256').update(`${userId}:${identity}`, 'utf8').digest('hex') };
}
