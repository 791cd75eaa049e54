export interface Config {
  crossAccountEfs?: {
    /**
     * Who is told about new requests (entity refs of users or groups),
     * e.g. group:default/platform-team. Approval itself is the
     * cross-account-efs.request.approve permission.
     */
    approvers?: string[];
    health?: {
      /** Minutes between health sweeps of all connections. Default 10. */
      frequencyMinutes?: number;
      /** AWS calls in flight per service, account and region during a sweep. Default 8. */
      concurrency?: number;
    };
  };
}
