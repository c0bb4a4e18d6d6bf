/**
 * The cloud-init fields of the New VM wizard (source "cloud image"). Virtdeck turns them into a
 * NoCloud seed (user-data, meta-data, optional network-config; volume label "cidata"), built as
 * an ISO image by the backend itself. https://cloudinit.readthedocs.io/en/22.4/topics/datasources/nocloud.html
 */
import { z } from 'zod';
import { ObjectName, ObjectUuid } from './storage';

const noNul = (s: string) => !s.includes('\0');

/** Linux user names as useradd's default NAME_REGEX accepts them (Debian: adduser is stricter). */
export const CloudUserName = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a user name like “debian” (lower case letters, digits, _ and -; at most 32)');

/** RFC 1123 host name (labels of letters, digits and -), at most 253 characters. */
export const CloudHostname = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'a host name like “web-1” or “web-1.example.org”');

/** One OpenSSH public key line ("ssh-ed25519 AAAA… comment"). */
export const SshPublicKey = z
  .string()
  .max(16 * 1024)
  .refine((s) => /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( [^\n\r]*)?$/.test(s.trim()), 'an OpenSSH public key line (“ssh-ed25519 AAAA… comment”)');

/** A distribution package name (Debian/RPM/Alpine names, optionally =version). */
export const PackageName = z.string().max(200).regex(/^[A-Za-z0-9][A-Za-z0-9.+_:~=@-]*$/, 'a package name like “nginx”');

export const CloudInit = z
  .object({
    /** A user made by cloud-init (with sudo); absent: the image's default user only. */
    userName: CloudUserName.optional(),
    /** Plain text here, only ever sent to the backend, which writes a `$6$` SHA-512 crypt hash into user-data. Needs userName. */
    password: z.string().min(1).max(1024).refine(noNul, 'no NUL').optional(),
    sshKeys: z.array(SshPublicKey).max(100).default([]),
    /** Also the meta-data's local-hostname; absent: derived from the VM name. */
    hostname: CloudHostname.optional(),
    packages: z.array(PackageName).max(1000).default([]),
    /** The free editor: a whole `#cloud-config` document the fields above are merged into. */
    userData: z.string().max(1024 * 1024).refine(noNul, 'no NUL').optional(),
    /** network-config (version 1 or 2 YAML); absent: the image's default (DHCP on the first NIC). */
    networkConfig: z.string().max(64 * 1024).refine(noNul, 'no NUL').optional(),
  })
  .strict();
export type CloudInit = z.infer<typeof CloudInit>;
export type CloudInitInput = z.input<typeof CloudInit>;

/** The cloud image: a volume of a pool (uploaded with storage.volumes.upload, or already there). */
export const CloudImageSource = z
  .object({
    kind: z.literal('cloud'),
    image: z.object({ poolUuid: ObjectUuid, name: ObjectName }).strict(),
    /**
     * true: the new disk is a qcow2 overlay whose backing file is the image (fast, small; the
     * image must then stay unchanged); false: a full copy. Either is grown to the storage size.
     */
    linked: z.boolean().default(true),
    cloudInit: CloudInit,
  })
  .strict();
export type CloudImageSource = z.infer<typeof CloudImageSource>;

/** One public key of this computer's user (~/.ssh/*.pub), offered by the wizard. */
export const LocalSshKey = z.object({ file: z.string(), key: z.string(), comment: z.string() });
export type LocalSshKey = z.infer<typeof LocalSshKey>;

/** What the plan shows of the seed; the password hash is replaced by ********. */
export const SeedPreview = z.object({
  userData: z.string(),
  metaData: z.string(),
  networkConfig: z.string().nullable(),
  /** The ISO image's size in bytes. */
  bytes: z.number(),
  volume: z.string(),
  /** Where `cloud-init schema` checked the user-data; null: the host has no cloud-init. */
  schemaChecked: z.string().nullable(),
});
export type SeedPreview = z.infer<typeof SeedPreview>;
