import { z } from 'zod/v3';

/** What every mutating action reports: the changes it made, or would make in a dry run. */
export const plan = () =>
  z
    .array(
      z.object({
        layer: z.string(),
        accountId: z.string(),
        action: z.enum(['create', 'update', 'delete']),
        resource: z.string(),
        summary: z.string(),
      }),
    )
    .describe(
      'Changes made (or, in a dry run, that would be made), one per resource',
    );
