import { z } from 'zod/v3';

/**
 * One schema per kind of identifier, each with a message that says what a
 * valid value looks like, so a bad input names its field and its fix.
 *
 * @public
 */
export const accountIdSchema = z
  .string()
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account id, such as 111111111111');

/** @public */
export const regionSchema = z
  .string()
  .regex(
    /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/,
    'must be an AWS region name, such as us-west-2',
  );

/** @public */
export const fileSystemIdSchema = z
  .string()
  .regex(
    /^fs-[0-9a-f]{8}([0-9a-f]{9})?$/,
    'must be an EFS file system id: fs- followed by 8 or 17 hex digits, such as fs-0123456789abcdef0',
  );

/**
 * EKS: 1-100 characters, alphanumerics, hyphens and underscores, starting alphanumeric.
 *
 * @public
 */
export const clusterNameSchema = z
  .string()
  .regex(
    /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/,
    'must be an EKS cluster name: 1-100 letters, digits, hyphens or underscores, starting with a letter or digit',
  );

/** @public */
export const vpcIdSchema = z
  .string()
  .regex(
    /^vpc-[0-9a-f]{8,17}$/,
    'must be a VPC id, such as vpc-0123456789abcdef0',
  );

/** @public */
export const securityGroupIdSchema = z
  .string()
  .regex(
    /^sg-[0-9a-f]{8,17}$/,
    'must be a security group id, such as sg-0123456789abcdef0',
  );

/** @public */
export const subnetIdSchema = z
  .string()
  .regex(
    /^subnet-[0-9a-f]{8,17}$/,
    'must be a subnet id, such as subnet-0123456789abcdef0',
  );

/** @public */
export const routeTableIdSchema = z
  .string()
  .regex(
    /^rtb-[0-9a-f]{8,17}$/,
    'must be a route table id, such as rtb-0123456789abcdef0',
  );

/** @public */
export const peeringConnectionIdSchema = z
  .string()
  .regex(
    /^pcx-[0-9a-f]{8,17}$/,
    'must be a VPC peering connection id, such as pcx-0123456789abcdef0',
  );

/** @public */
export const azIdSchema = z
  .string()
  .regex(
    /^[a-z]{2,4}\d{0,2}-az\d{1,2}$/,
    'must be an availability zone id, such as usw2-az1',
  );

/** @public */
export const ipv4CidrSchema = z
  .string()
  .regex(
    /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/,
    'must be an IPv4 CIDR block, such as 10.1.0.0/16',
  );

/** @public */
export const ipv4AddressSchema = z
  .string()
  .regex(
    /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/,
    'must be an IPv4 address, such as 10.0.1.25',
  );
