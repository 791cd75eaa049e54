export interface Config {
  crossAccountEfs?: {
    /**
     * Who is told about new requests (entity refs of users or groups),
     * e.g. group:default/platform-team. Approval itself is the
     * cross-account-efs.request.approve permission.
     */
    approvers?: string[];
    /**
     * The role this plugin assumes in every EFS and EKS account, so that
     * other AWS plugins keep a read-only role in `aws.accountDefaults`.
     * Unset: the `aws` section's roles. The accounts' partition and STS
     * region still come from the `aws` section.
     */
    aws?: {
      /** The role's name, the same in every account. */
      roleName?: string;
      /**
       * The external id the role's trust policy asks for (none if unset).
       *
       * @visibility secret
       */
      externalId?: string;
    };
    requests?: {
      /** Days a pending request waits for an approver before it expires. Default 14. */
      expireAfterDays?: number;
    };
    /**
     * Which catalog entities are file systems and clusters, and where they
     * say which AWS resource they are. An `aws.amazon.com/arn` annotation
     * (the file system's or the EKS cluster's ARN) always works too; for a
     * cluster, so do the Kubernetes plugin's annotations
     * (`kubernetes.io/x-k8s-aws-id`, an EKS `kubernetes.io/api-server`).
     */
    catalog?: {
      fileSystem?: {
        /** spec.type values of file system Resources. Default [efs-file-system]. */
        types?: string[];
        annotations?: {
          /** Default aws.amazon.com/account-id. */
          accountId?: string;
          /** Default aws.amazon.com/region. */
          region?: string;
          /** Default aws.amazon.com/efs-file-system-id. */
          fileSystemId?: string;
        };
      };
      cluster?: {
        /** spec.type values of cluster Resources. Default [kubernetes-cluster]. */
        types?: string[];
        annotations?: {
          /** Default aws.amazon.com/account-id. */
          accountId?: string;
          /** Default aws.amazon.com/region. */
          region?: string;
          /** Default aws.amazon.com/eks-cluster-name. */
          clusterName?: string;
        };
      };
    };
    kubernetes?: {
      /**
       * Let a plan give the portal's role an EKS access entry
       * (AmazonEKSClusterAdminPolicy at cluster scope) on a cluster in
       * authentication mode API or API_AND_CONFIG_MAP that does not let it
       * in, shown to the approver like every change and removed with the
       * cluster's last connection. Needs the portal role's
       * access-entry statements (docs/iam). Default false: the
       * plan is blocked with the commands to grant the access by hand.
       */
      manageAccessEntries?: boolean;
    };
    health?: {
      /** Minutes between health sweeps of all connections. Default 10. */
      frequencyMinutes?: number;
      /**
       * Minutes a sweep may run. A replica that dies mid-sweep holds the
       * sweep's lock this long, so keep it near what a sweep takes. Default 5.
       */
      timeoutMinutes?: number;
      /**
       * Share of each AWS request-rate quota a sweep may use (0-1]: the
       * rest is left for everyone else in the account. Default 0.8.
       */
      requestRateHeadroom?: number;
      /**
       * AWS request-rate quotas by SDK service name (ec2, efs, eks, iam,
       * route53, sts), as token buckets, where an account's differ from
       * AWS's defaults (a raised quota). Default: AWS's published figures.
       */
      requestQuotas?: {
        [service: string]: { burst: number; perSecond: number };
      };
    };
  };
}
