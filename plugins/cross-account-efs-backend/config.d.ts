export interface Config {
  crossAccountEfs?: {
    /**
     * Who is told about new requests (entity refs of users or groups),
     * e.g. group:default/platform-team. Approval itself is the
     * cross-account-efs.request.approve permission.
     */
    approvers?: string[];
  };
}
