/**
 * Scaffolder actions that connect an EFS file system to an EKS cluster in
 * another account, one action per step.
 *
 * @packageDocumentation
 */
export { scaffolderModuleCrossAccountEfs as default } from './module';
