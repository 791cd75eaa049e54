/** Whether an SDK command only reads (by AWS's naming: Describe*, List*, Get*). */
export function isReadOnly(commandName: string): boolean {
  return /^(Describe|List|Get)/.test(commandName);
}
