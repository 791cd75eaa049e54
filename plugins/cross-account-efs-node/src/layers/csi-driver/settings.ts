import type { Addon } from '@aws-sdk/client-eks';
import { parse } from 'yaml';

/** The installed driver's settings that change what IAM must allow. */
export interface DriverSettings {
  /**
   * `controller.deleteAccessPointRootDir` (`--delete-access-point-root-dir`):
   * DeleteVolume mounts the file system's root as the controller's role to
   * delete the volume's directory, which needs ClientRootAccess as well.
   */
  deleteAccessPointRootDir: boolean;
}

/** The settings an add-on's configuration values (JSON or YAML, as EKS takes them) give. */
export function driverSettingsOf(addon?: Addon): DriverSettings {
  let values: any;
  try {
    values = addon?.configurationValues
      ? parse(addon.configurationValues)
      : undefined;
  } catch {
    // EKS validates the values against the add-on's schema: unreadable means none we know.
    values = undefined;
  }
  return {
    deleteAccessPointRootDir:
      values?.controller?.deleteAccessPointRootDir === true,
  };
}
