export interface Config {
  crossAccountEfs?: {
    /**
     * Who is told about new requests (entity refs of users or groups),
     * e.g. group:default/platform-team. Approval itself is the
     * cross-account-efs.request.approve permission.
     */
    approvers?: string[];
    requests?: {
      /** Days a pending request waits for an approver before it expires. Default 14. */
      expireAfterDays?: number;
    };
    health?: {
      /** Minutes between health sweeps of all connections. Default 10. */
      frequencyMinutes?: number;
      /**
       * Minutes a sweep may run. A replica that dies mid-sweep holds the
       * sweep's lock this long, so keep it near what a sweep takes. Default 5.
       */
      timeoutMinutes?: number;
      /** AWS calls in flight per service, account and region during a sweep. Default 8. */
      concurrency?: number;
    };
  };
}
