/**
 * Types, schemas and naming rules shared by every cross-account EFS package.
 *
 * @packageDocumentation
 */
export * from './fields';
export * from './connection';
export * from './topology';
export * from './naming';
export * from './health';
export * from './inputErrors';
export * from './storage';
export * from './driverVersion';
export * from './request';
export * from './permissions';
